/* The show page's bottom bar on phones (below 1100 px the seat picker sits under the map):
   the chosen seats, the picker's latest alert or the hold's countdown and total, and the one
   next step — Hold seats, Update hold or Continue — always in reach while the map is zoomed
   and panned. It mirrors the picker (seatmap.js announces each change as "marquee:selection")
   and acts through the picker's own form and link, so there is one way to hold. Screen-reader
   users hear the picker's live regions; the bar is a landmark ("Your selection"), not a second
   voice. Needs booking.js (window.MarqueeBooking). */
(function () {
  "use strict";

  var M = window.MarqueeBooking;
  var _ = window.MarqueeText.t;
  var ngettext = window.MarqueeText.n;
  var bar = document.querySelector("[data-picker-bar]");
  var picker = document.querySelector("[data-seat-picker]");
  if (!M || !bar || !picker) return;

  var count = bar.querySelector("[data-bar-count]");
  var detail = bar.querySelector("[data-bar-detail]");
  var action = bar.querySelector("[data-bar-action]");
  var form = picker.querySelector("[data-hold-form]");
  var holdButton = picker.querySelector("[data-hold-button]");
  var proceed = picker.querySelector("[data-continue]");
  var alert = picker.querySelector("[data-alert]");
  var countdown = picker.querySelector("[data-countdown]");
  var last = null;

  function paint() {
    if (!last) return;
    var n = last.seats.length;
    count.textContent = n
      ? ngettext("%(count)s seat: %(seats)s", "%(count)s seats: %(seats)s", n, { seats: last.seats.join(", ") })
      : _("No seats yet");
    var said = alert.textContent.trim();
    var line = _("Up to %(max)s per booking", { max: last.max });
    if (last.held) line = _("Held \u00b7 %(time)s left \u00b7 %(total)s", { time: countdown.textContent, total: M.inr(last.total) });
    else if (last.stale) line = _("Update the hold to see the new price");
    detail.textContent = said || line;
    detail.classList.toggle("is-alert", !!said);
    action.textContent = last.held ? _("Continue") : last.action;
    action.disabled = last.held ? false : last.disabled;
  }

  picker.addEventListener("marquee:selection", function (event) {
    last = event.detail;
    paint();
  });
  var watch = { childList: true, characterData: true, subtree: true };
  new MutationObserver(paint).observe(countdown, watch);
  new MutationObserver(paint).observe(alert, watch);

  action.addEventListener("click", function () {
    if (last && last.held) window.location.href = proceed.href;
    else form.requestSubmit(holdButton);
  });

  bar.hidden = false;
  document.body.classList.add("has-picker-bar");
})();
