// Macros and presence on the case workspace (templates/tickets/agent/_macro_picker.html,
// _presence_bar.html). Vanilla JS, no inline handlers (Content-Security-Policy).
(function () {
  "use strict";
  if (window.aftersalesCollab) {
    return; // Each tag loads this file; run once.
  }
  window.aftersalesCollab = true;

  var PRESENCE_EVERY_MS = 10000;
  var TYPED_RECENTLY_MS = 30000;
  var lastTyped = 0;

  function composerBody() {
    return document.getElementById("composer-body");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- macros -------------------------------------------------------------------------------

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || 0;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    textarea.value = before + text + after;
    var caret = start + text.length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setUpPicker(picker) {
    var select = picker.querySelector("select");
    var button = picker.querySelector(".macro-insert");
    var hidden = picker.querySelector("input[name=macro]");
    var said = picker.querySelector(".macro-actions");
    button.addEventListener("click", function () {
      var id = select.value;
      var textarea = composerBody();
      if (!id || !textarea) {
        return;
      }
      var url = picker.dataset.macroUrl.replace(/\/0\/$/, "/" + encodeURIComponent(id) + "/");
      button.disabled = true;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (macro) {
          insertAtCursor(textarea, macro.text);
          hidden.value = id;
          said.textContent = macro.actions || "";
        })
        .catch(function () {
          said.textContent = picker.dataset.failed || "The macro could not be loaded.";
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }

  // --- presence -----------------------------------------------------------------------------

  function presenceState() {
    var textarea = composerBody();
    if (!textarea) {
      return "viewing";
    }
    var typing = Date.now() - lastTyped < TYPED_RECENTLY_MS;
    return document.activeElement === textarea || typing ? "replying" : "viewing";
  }

  function show(bar, others) {
    var list = bar.querySelector(".presence-list");
    list.textContent = "";
    others.forEach(function (other) {
      var item = document.createElement("span");
      item.className = "presence-item presence-" + other.state;
      var template = other.state === "replying" ? bar.dataset.replying : bar.dataset.viewing;
      item.textContent = template.replace("{name}", other.name);
      list.appendChild(item);
    });
    bar.classList.toggle("presence-busy", others.length > 0);
  }

  function report(bar) {
    var body = new URLSearchParams({ state: presenceState() });
    fetch(bar.dataset.presenceUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: body,
    })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (others) {
        show(bar, others);
      })
      .catch(function () {
        // Offline for a moment: keep what is shown, try again on the next tick.
      });
  }

  function setUpPresence(bar) {
    report(bar);
    window.setInterval(function () {
      if (!document.hidden) {
        report(bar);
      }
    }, PRESENCE_EVERY_MS);
    var textarea = composerBody();
    if (textarea) {
      textarea.addEventListener("input", function () {
        lastTyped = Date.now();
      });
      textarea.addEventListener("focus", function () {
        report(bar);
      });
    }
  }

  function start() {
    document.querySelectorAll(".macro-picker").forEach(setUpPicker);
    document.querySelectorAll(".presence-bar").forEach(setUpPresence);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
