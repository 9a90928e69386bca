// On every page: a double-clicked submit sends one request (the server would refuse or
// ignore the second anyway, but the learner should not see a "stale page" message for it).
(function () {
  "use strict";
  document.querySelectorAll("form[method=post], form[method=POST]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent === "yes") {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "yes";
      form.querySelectorAll("button[data-once]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
  });
})();
