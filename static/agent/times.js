// Exact times on hover: every <time datetime="..."> without a title gets one, in the page's
// language and the agent's time zone (<body data-time-zone>); one with a data-title ("Due
// %(time)s", an SLA badge) gets those words around it. The server sends the ISO time only;
// formatting hundreds of dates per page in Python cost more than the rest of the page. Times
// that arrive later (the workspace's queue pane, earlier timeline entries) get theirs too.
"use strict";

(() => {
  const formatter = () => {
    const zone = document.body.dataset.timeZone || undefined;
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        dateStyle: "medium", timeStyle: "short", timeZone: zone,
      });
    } catch (error) {
      return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    }
  };
  const label = (format) => {
    document.querySelectorAll("time[datetime]:not([title])").forEach((element) => {
      const moment = new Date(element.dateTime);
      if (!Number.isNaN(moment.getTime())) {
        const exact = format.format(moment);
        const words = element.dataset.title;
        element.title = words ? words.replace("%(time)s", exact) : exact;
      }
    });
  };
  const start = () => {
    const format = formatter();
    label(format);
    new MutationObserver(() => label(format)).observe(document.body, {
      childList: true,
      subtree: true,
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
