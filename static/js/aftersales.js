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

// The portal's file fields show a thumbnail of each chosen photo (and the name of each PDF)
// before anything is sent. Without JavaScript the field works the same, without the previews.
document.addEventListener("change", (event) => {
  const input = event.target.closest("input[type=file][data-preview]");
  const list = input && document.getElementById(input.dataset.preview);
  if (!list) {
    return;
  }
  list.replaceChildren();
  for (const file of input.files) {
    const item = document.createElement("li");
    if (file.type.startsWith("image/")) {
      const img = document.createElement("img");
      img.alt = "";
      // A data: URL, which the Content-Security-Policy's img-src allows (blob: it does not).
      const reader = new FileReader();
      reader.addEventListener("load", () => { img.src = reader.result; });
      reader.readAsDataURL(file);
      item.append(img);
    }
    const name = document.createElement("span");
    name.textContent = file.name;
    item.append(name);
    list.append(item);
  }
});
