"""The agent dashboard (`/agent/`): queues, the case workspace, compensation, reports. Views
parse input, call a service or selector and render; each module owns one part of the screen."""
