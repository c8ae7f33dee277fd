// The case workspace: the left pane's list is fetched once the page is drawn, the timeline
// opens at its newest entry (the bottom), "Show earlier" adds the older entries above the
// ones shown, and below 1280 px the "Details" button opens and closes the context drawer.
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

// The entries before the oldest shown, fetched as the timeline of the link's page alone
// (?part=timeline: the entries and, if there are more, its own "Show earlier") and put in place
// of the link, the entry the agent was reading kept where it was. If they cannot be fetched,
// the link's whole page is opened.
const showEarlier = (link) => {
  const timeline = document.getElementById("timeline");
  const item = link.closest(".ws-earlier");
  const part = new URL(link.href);
  part.searchParams.set("part", "timeline");
  link.setAttribute("aria-busy", "true");
  fetch(part, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then((response) => (response.ok && !response.redirected ? response.text() : Promise.reject()))
    .then((html) => {
      const page = new DOMParser().parseFromString(html, "text/html");
      const older = page.getElementById("timeline");
      if (!older) {
        return Promise.reject();
      }
      const entries = [...older.children].filter((li) => !li.hasAttribute("data-newest"));
      const below = timeline.scrollHeight - timeline.scrollTop;
      item.replaceWith(...entries);
      timeline.scrollTop = timeline.scrollHeight - below;
      return undefined;
    })
    .catch(() => {
      window.location.assign(link.href);
    });
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
  const target = event.target instanceof HTMLElement ? event.target : null;
  const earlier = target?.closest(".ws-earlier a[data-earlier]");
  if (earlier && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
    event.preventDefault();
    showEarlier(earlier);
    return;
  }
  const toggle = target?.closest(".ws-drawer-toggle");
  const drawer = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!drawer) {
    return;
  }
  const open = drawer.classList.toggle("is-open");
  toggle.setAttribute("aria-expanded", String(open));
});
