// Progressive enhancements for quiz pages; every page works without this file.
(function () {
  "use strict";

  // A double-clicked submit sends one request: the server would refuse the second anyway.
  document.querySelectorAll("form").forEach(function (form) {
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

  // After answering, bring the feedback and the first evidence sentence into view.
  var feedback = document.getElementById("feedback");
  if (feedback && window.location.hash === "#feedback") {
    feedback.focus({ preventScroll: true });
    var evidence = document.querySelector(".quiz-passages .evidence");
    if (evidence) {
      evidence.scrollIntoView({ block: "center" });
    }
    feedback.scrollIntoView({ block: "nearest" });
  }

  // Picked sentences of a highlight question look picked, not only ticked.
  document.querySelectorAll(".sentence-pick input").forEach(function (box) {
    var sync = function () {
      box.parentElement.classList.toggle("picked", box.checked);
    };
    box.addEventListener("change", sync);
    sync();
  });
})();
