/* The card payment page: Stripe's Payment Element, and 3-D Secure when the bank asks for it.
   A static file, not an inline script, for the Content-Security-Policy. */
(function () {
    "use strict";
    if (typeof Stripe === "undefined") { return; }
    var section = document.getElementById("card-payment");
    var stripe = Stripe(JSON.parse(document.getElementById("stripe-key").textContent));
    var clientSecret = JSON.parse(document.getElementById("stripe-client-secret").textContent);
    var errorBox = document.getElementById("card-payment-error");
    if (section.hasAttribute("data-requires-action")) {
        stripe.handleNextAction({clientSecret: clientSecret}).then(function (result) {
            if (result.error) { errorBox.textContent = result.error.message; } else { window.location.reload(); }
        });
    }
    var elements = stripe.elements({clientSecret: clientSecret});
    elements.create("payment").mount("#payment-element");
    document.getElementById("card-payment-form").addEventListener("submit", function (event) {
        event.preventDefault();
        stripe.confirmPayment({elements: elements, confirmParams: {return_url: window.location.href}})
            .then(function (result) { if (result.error) { errorBox.textContent = result.error.message; } });
    });
})();
