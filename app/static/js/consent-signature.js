// Consent on the tablet (app/clients/templates/clients/consent_form.html): the explanation in
// the language chosen, and a signature drawn with a finger into the form's hidden "signature"
// field as the strokes of signature_pad (the server draws the SVG from them). The print page
// uses the print button only.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var form = document.querySelector("form[data-consent-form]");
  if (!form) { return; }

  // The explanation follows the language chosen (Dutch when there is no text in it).
  var language = form.querySelector("select[name=explained_in]");
  var texts = form.querySelectorAll("[data-consent-text]");
  var missing = form.querySelector("[data-consent-text-missing]");
  function showText() {
    var wanted = language.value;
    var found = Array.prototype.some.call(texts, function (t) { return t.dataset.consentText === wanted; });
    texts.forEach(function (t) {
      t.hidden = t.dataset.consentText !== (found ? wanted : "nl");
    });
    if (missing) { missing.hidden = found; }
  }
  if (language) { language.addEventListener("change", showText); }

  // The signature pad, shown when "signed on the screen" is chosen.
  var canvas = form.querySelector("canvas[data-signature-pad]");
  var area = form.querySelector("[data-signature-area]");
  var field = form.querySelector("input[name=signature]");
  var methods = form.querySelectorAll("input[name=signature_method]");
  if (!canvas || !field || typeof SignaturePad === "undefined") { return; }
  var pad = new SignaturePad(canvas, { minWidth: 1, maxWidth: 3, penColor: "#000" });

  function save() {
    field.value = pad.isEmpty() ? "" : JSON.stringify(pad.toData());
  }
  function fit() {
    // Draw sharp on high-density screens; keep what was drawn when the size changes.
    var data = pad.toData();
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    pad.fromData(data);
  }
  function showPad() {
    var chosen = form.querySelector("input[name=signature_method]:checked");
    area.hidden = !!chosen && chosen.value !== "screen";
    if (!area.hidden) { fit(); }
  }

  if (field.value) {  // the form came back with a message: keep what was signed
    try { pad.fromData(JSON.parse(field.value)); } catch (e) { field.value = ""; }
  }
  pad.addEventListener("endStroke", save);
  form.querySelector("[data-signature-clear]").addEventListener("click", function () {
    pad.clear();
    save();
  });
  methods.forEach(function (m) { m.addEventListener("change", showPad); });
  window.addEventListener("resize", fit);
  form.addEventListener("submit", save);
  showPad();
})();
