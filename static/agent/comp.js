// The compensation panel's proposal form: shows the base-currency equivalent of the typed
// amount and whether it needs a supervisor, before it is sent. The rate, the limit and the
// texts come from data attributes on the form; the server decides again on submit.
(function () {
  "use strict";

  function parseAmount(text) {
    text = text.trim();
    if (text.indexOf(".") === -1) {
      text = text.replace(",", ".");
    }
    if (!/^\d+(\.\d+)?$/.test(text)) {
      return null;
    }
    return text;
  }

  function decimalsOf(text) {
    var dot = text.indexOf(".");
    return dot === -1 ? 0 : text.length - dot - 1;
  }

  function format(amount, currency, decimals, locale) {
    try {
      return new Intl.NumberFormat(locale, {
        style: "currency",
        currency: currency,
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
      }).format(amount);
    } catch (error) {
      return amount.toFixed(decimals) + " " + currency;
    }
  }

  function setUp(form) {
    var input = form.querySelector("input[name=amount]");
    var base = form.querySelector("[data-comp-base]");
    var hint = form.querySelector("[data-comp-hint]");
    if (!input || !base || !hint) {
      return;
    }
    var data = form.dataset;
    var staticHint = hint.textContent.trim();
    var rate = parseFloat(data.rate);
    var threshold = parseFloat(data.threshold);
    var decimals = parseInt(data.decimals, 10);
    var baseDecimals = parseInt(data.baseDecimals, 10);

    function update() {
      hint.classList.remove("is-supervisor", "is-bad");
      var text = parseAmount(input.value);
      if (input.value.trim() === "") {
        base.textContent = "";
        hint.textContent = staticHint;
        return;
      }
      if (text === null || decimalsOf(text) > decimals) {
        base.textContent = "";
        hint.textContent = data.msgBad;
        hint.classList.add("is-bad");
        return;
      }
      if (isNaN(rate)) {
        return;
      }
      var factor = Math.pow(10, baseDecimals);
      var inBase = Math.round(parseFloat(text) * rate * factor) / factor;
      base.textContent = data.currency === data.baseCurrency
        ? ""
        : "≈ " + format(inBase, data.baseCurrency, baseDecimals, data.locale);
      if (inBase > threshold) {
        hint.textContent = data.canApprove === "1" ? data.msgSupervisorYou : data.msgSupervisor;
        hint.classList.add("is-supervisor");
      } else {
        hint.textContent = data.msgAuto;
      }
    }

    input.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("form[data-comp-form]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
