/* Behaviours the storefront's templates ask for with data-* attributes, instead of inline handlers
   (the Content-Security-Policy forbids those). */
(function () {
    "use strict";
    document.addEventListener("change", function (event) {
        var field = event.target.closest("[data-autosubmit]");
        if (field && field.form) { field.form.submit(); }
    });
    document.addEventListener("click", function (event) {
        var target = event.target.closest("[data-history-back], [data-print], [data-href]");
        if (!target) { return; }
        if (target.hasAttribute("data-history-back")) {
            event.preventDefault();
            window.history.back();
        } else if (target.hasAttribute("data-print")) {
            event.preventDefault();
            window.print();
        } else {
            window.location.href = target.getAttribute("data-href");
        }
    });
})();
