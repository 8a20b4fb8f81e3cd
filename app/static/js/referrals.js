// Referrals: choosing a life domain shows the organisations for it at once (the form also
// works without this, with its button).
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.value) { select.form.submit(); }
    });
  });
})();
