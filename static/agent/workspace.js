// The case workspace: the left pane's list is fetched once the page is drawn, the timeline
// opens at its newest entry (the bottom), and below 1280 px the "Details" button opens and
// closes the context drawer.
"use strict";

// The list the agent came from, its current case in view. Until it arrives (or if it cannot),
// the pane holds a link to the list. A redirect (signed out meanwhile) is not a list.
const loadQueuePane = (pane) => {
  fetch(pane.dataset.pane, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then((response) => {
      const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
      return html && !response.redirected ? response.text() : Promise.reject(response.status);
    })
    .then((html) => {
      pane.innerHTML = html;
      pane.querySelector(".is-current")?.scrollIntoView({ block: "nearest" });
    })
    .catch(() => {});
};

document.addEventListener("DOMContentLoaded", () => {
  const pane = document.querySelector(".ws-queue[data-pane]");
  if (pane) {
    loadQueuePane(pane);
  }
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
