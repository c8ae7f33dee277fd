// Keyboard shortcuts of the agent dashboard (UI.md, "Keyboard"), on every agent page:
//   j / k  next / previous case in the list (.case-row[data-href]); Enter opens it
//   r reply, n internal note, a assign to me, e resolve, / search, Ctrl+Enter send, ? help.
// None fires while typing in a field, or with Alt/Ctrl/Meta held (except Ctrl+Enter).
"use strict";

(() => {
  const typing = (target) =>
    target instanceof HTMLElement &&
    (target.isContentEditable || target.closest("input, textarea, select, [contenteditable]"));

  const rows = () => Array.from(document.querySelectorAll(".case-row[data-href]"));

  const move = (step) => {
    const all = rows();
    if (!all.length) {
      return;
    }
    const current = all.findIndex((row) => row.classList.contains("is-current"));
    const next = current === -1 ? (step > 0 ? 0 : all.length - 1)
      : Math.min(all.length - 1, Math.max(0, current + step));
    all.forEach((row) => row.classList.remove("is-current"));
    all[next].classList.add("is-current");
    all[next].scrollIntoView({ block: "nearest" });
  };

  const openCurrent = () => {
    const row = document.querySelector(".case-row.is-current[data-href]");
    if (row) {
      window.location.assign(row.dataset.href);
      return true;
    }
    return false;
  };

  const compose = (mode) => {
    const body = document.getElementById("composer-body");
    if (!body) {
      return;
    }
    const radio = document.querySelector(`#composer input[name=visibility][value=${mode}]`);
    if (radio) {
      radio.checked = true;
    }
    body.focus();
  };

  const submit = (id) => {
    const form = document.getElementById(id);
    if (form) {
      form.requestSubmit();
    }
  };

  const help = () => {
    const dialog = document.getElementById("shortcut-help");
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
  };

  const keys = {
    j: () => move(1),
    k: () => move(-1),
    r: () => compose("public"),
    n: () => compose("internal"),
    a: () => submit("assign-to-me"),
    e: () => submit("resolve"),
    "/": () => document.getElementById("agent-search")?.focus(),
    "?": help,
  };

  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      const form = event.target instanceof HTMLElement && event.target.closest("form");
      if (form && form.id === "composer") {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    if (typing(event.target) || document.querySelector("dialog[open]")) {
      return;
    }
    if (event.key === "Enter") {
      if (openCurrent()) {
        event.preventDefault();
      }
      return;
    }
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  // A form that does something the customer sees asks first (data-confirm: what it will do).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

})();
