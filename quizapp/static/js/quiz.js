// Progressive enhancements for quiz pages; every page works without this file.
(function () {
  "use strict";

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
