// The web page's only script, and an optional one: the form works without it.
// It lets files be dropped on the upload field, says which files were chosen, warns
// before a file over the server's limits is sent, and marks the button busy while the
// server works. Its messages are the page's (data-msg-* attributes), in Swedish.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A page answered with an error: the focus on its list of errors (as autofocus does).
  var errors = document.getElementById("fel");
  if (errors && document.activeElement !== errors) errors.focus();
  var form = document.querySelector("form.upload");
  if (!form) return;
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector(".dropzone");
  var chosen = form.querySelector(".chosen");
  var button = form.querySelector("button[type=submit]");
  var hint = form.querySelector(".drop-hint");
  if (hint) hint.hidden = false;

  function problems() {  // the limits the server stated in the form's data-max-* attributes
    var maxFile = Number(form.dataset.maxFile);
    var maxRequest = Number(form.dataset.maxRequest);
    var maxFiles = Number(form.dataset.maxFiles);
    var out = [];
    var total = 0;
    var files = Array.prototype.slice.call(input.files || []);
    files.forEach(function (f) {
      total += f.size;
      if (f.size > maxFile) out.push(f.name + " " + form.dataset.msgFile);
    });
    if (total > maxRequest) out.push(form.dataset.msgRequest);
    if (files.length > maxFiles) out.push(form.dataset.msgFiles);
    return out;
  }

  function show() {
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    var text = names.length ? form.dataset.msgChosen + " " + names.join(", ") + "." : "";
    var issues = problems();
    chosen.textContent = issues.length ? text + " " + issues.join(" ") : text;
    chosen.classList.toggle("error-text", issues.length > 0);
  }

  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (e) {
      e.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      show();
    }
  });
  var label = button.textContent;
  window.addEventListener("pageshow", function () {  // back to the page: ready again
    button.disabled = false;
    button.textContent = label;
  });
  form.addEventListener("submit", function (e) {
    if (problems().length) {
      e.preventDefault();
      show();
      input.focus();
      return;
    }
    button.disabled = true;
    button.textContent = form.dataset.msgBusy;
  });
});
