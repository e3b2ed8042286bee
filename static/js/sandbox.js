/* Sandbox checkout: send the browser on to the payment callback at once, as Razorpay Checkout
   does. The form also works by hand (its Continue button) when this file does not run. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) form.submit();
})();
