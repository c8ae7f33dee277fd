"""Two-way email: customers' replies come back to their case, through a provider's inbound
webhook (django-anymail) or a polled IMAP mailbox; tickets.services.inbound does the writing."""
