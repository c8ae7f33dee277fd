// The case workspace: the timeline opens at its newest entry (the bottom), and below 1280 px
// the "Details" button opens and closes the context drawer.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const timeline = document.getElementById("timeline");
  if (timeline && !new URLSearchParams(window.location.search).has("before")) {
    timeline.scrollTop = timeline.scrollHeight;
  }
  const errors = document.getElementById("composer-errors");
  if (errors) {
    document.getElementById("composer-body")?.focus();
  }
});

document.addEventListener("click", (event) => {
  const toggle = event.target instanceof HTMLElement && event.target.closest(".ws-drawer-toggle");
  const drawer = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!drawer) {
    return;
  }
  const open = drawer.classList.toggle("is-open");
  toggle.setAttribute("aria-expanded", String(open));
});
