// Tell the server the learner's time zone, so flashcards count the learner's own day.
(function () {
  "use strict";
  var field = document.getElementById("timezone");
  if (field && window.Intl && Intl.DateTimeFormat) {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }
})();
