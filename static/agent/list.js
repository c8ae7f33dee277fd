// The case list: a click on a row opens its case, "select all" ticks the page, the bulk bar
// shows the field its action needs. Without this file the links and forms work as they are.
(function () {
  "use strict";

  function onReady() {
    document.querySelectorAll("tr.case-row[data-href]").forEach(function (row) {
      row.addEventListener("click", function (event) {
        if (event.target.closest("a, input, button, label, select")) {
          return;
        }
        window.location.href = row.dataset.href;
      });
    });

    var all = document.getElementById("select-all");
    var boxes = document.querySelectorAll('input[type="checkbox"][name="cases"]');
    var bar = document.getElementById("bulk-form");
    function mark() {
      var any = false;
      boxes.forEach(function (box) {
        box.closest("tr").classList.toggle("selected", box.checked);
        any = any || box.checked;
      });
      if (bar) {
        bar.classList.toggle("idle", !any);
      }
    }
    mark();
    if (all) {
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
        mark();
      });
    }
    boxes.forEach(function (box) { box.addEventListener("change", mark); });

    // Empty filters stay out of the URL, so a shared link says only what it filters.
    var filters = document.querySelector("form.filters");
    if (filters) {
      filters.addEventListener("submit", function () {
        filters.querySelectorAll("input, select").forEach(function (field) {
          if (field.name && !field.value) {
            field.disabled = true;
          }
        });
      });
    }

    var action = document.getElementById("bulk-action");
    if (bar && action) {
      var show = function () { bar.dataset.action = action.value; };
      action.addEventListener("change", show);
      show();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }
})();
