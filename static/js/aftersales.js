// Our own pages' behaviour, loaded as a file: the Content-Security-Policy allows no inline
// script or event handler attribute. It runs in <head>, before the body exists, so it listens on
// the document: a control is never there before its listener.
"use strict";

// The language menu switches as soon as a language is picked (its button is for no-script).
document.addEventListener("change", (event) => {
  const select = event.target.closest(".language-switcher select");
  if (select) {
    select.form.submit();
  }
});
