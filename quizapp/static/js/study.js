// Keyboard study for flashcard pages; every page works without this file.
// Space or Enter shows the answer, 1-4 rate the card, U undoes the last rating.
(function () {
  "use strict";

  var shortcuts = document.getElementById("shortcuts");
  if (shortcuts) {
    shortcuts.hidden = false;
  }

  // After the reveal, move focus to the answer so screen readers read it next.
  var back = document.getElementById("card-back");
  if (back) {
    back.focus({ preventScroll: true });
  }

  // Keys typed into a field, or that work the focused control, keep their usual meaning.
  function ownsKey(target, key) {
    if (!target || !target.closest) {
      return false;
    }
    if (target.closest("input, textarea, select, [contenteditable]")) {
      return true;
    }
    var control = target.closest("a, button, summary");
    return Boolean(control) && (key === " " || key === "Enter");
  }

  function press(element) {
    if (!element) {
      return false;
    }
    var form = element.form;
    if (form && form.dataset.sent === "yes") {
      return true;
    }
    element.click();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) {
      return;
    }
    if (ownsKey(event.target, event.key)) {
      return;
    }
    var handled = false;
    if (event.key === " " || event.key === "Enter") {
      handled = press(document.getElementById("reveal"));
    } else if (/^[1-4]$/.test(event.key)) {
      handled = press(document.querySelector('button[name="rating"][value="' + event.key + '"]'));
    } else if (event.key === "u" || event.key === "U") {
      handled = press(document.getElementById("undo"));
    }
    if (handled) {
      event.preventDefault();
    }
  });
})();
