/* Zooming the show page's seat map, for phones first.

   The map opens fitted to its width (static/css/marquee.css: every seat of the widest layout
   on screen at once, however small). Zoomed in, seats are never smaller than 32 px, a
   comfortable finger, and the map pans both ways inside its box. Ways in and out:
   - pinch (two fingers) anywhere on the map, released below 32 px it settles on 32 px or the
     whole map, whichever is nearer;
   - on the fitted overview, one tap (or a double tap) zooms in around the finger, and does not
     choose the seat under it: it was too small to aim at;
   - zoomed in, a double tap goes back to the whole map (the seat tapped twice is as it was);
   - the buttons above the map (Zoom out, Zoom in, Whole map), and the + / - / 0 keys inside it.
   The page's HTML is the same for everyone (cached, DESIGN.md §11); all of this is here. */
(function () {
  "use strict";

  var _ = window.MarqueeText.t;

  var MIN = 32; // the smallest zoomed-in seat: a fingertip
  var STEPS = [32, 40, 48, 56];
  var TAP_ZOOM = 40;
  var MAX = STEPS[STEPS.length - 1];
  var OVERVIEW = 20; // fitted seats below this show no number
  var AIMABLE = 24; // fitted seats below this are zoomed into by a tap, not chosen (WCAG 2.5.8)
  var DOUBLE_MS = 320;
  var TAP_SLOP = 12;
  var DOUBLE_SLOP = 24; // a double tap lands twice on one spot; zoomed seats are 36 px or more apart

  document.querySelectorAll(".seatmap").forEach(setUp);

  function setUp(map) {
    var box = map.querySelector(".seatmap__scroll");
    var probe = map.querySelector(".seat");
    if (!box || !probe) return;

    var zoom = null; // null: fitted to the width; else the seat size in px
    var fitted = 0;
    var pinch = null;
    var press = null; // the touch that may become a tap
    var lastTap = null;
    var swallow = null; // {until, x, y}: the click of a tap that zoomed chooses no seat
    var leaving = null; // a double tap's zoom-out, made once its second click has landed
    var leaveTimer = null;
    var frame = null;

    function seatSize() {
      return probe.getBoundingClientRect().width;
    }

    function measureFit() {
      if (zoom === null) {
        fitted = seatSize();
        return;
      }
      map.classList.remove("is-zoomed");
      fitted = seatSize();
      map.classList.add("is-zoomed");
    }

    /* Set the seat size (null: the whole map), keeping the point under `anchor` (client
       coordinates; default the box's centre) where it was. */
    function apply(size, anchor) {
      var rect = box.getBoundingClientRect();
      var x = anchor ? anchor.x - rect.left : rect.width / 2;
      var y = anchor ? anchor.y - rect.top : rect.height / 2;
      var fx = (box.scrollLeft + x) / box.scrollWidth;
      var fy = (box.scrollTop + y) / box.scrollHeight;
      if (size === null || size <= fitted) {
        zoom = null;
        map.classList.remove("is-zoomed");
        map.style.removeProperty("--seat-zoom");
      } else {
        zoom = Math.min(size, MAX);
        map.style.setProperty("--seat-zoom", zoom.toFixed(1) + "px");
        map.classList.add("is-zoomed");
      }
      box.scrollLeft = fx * box.scrollWidth - x;
      box.scrollTop = fy * box.scrollHeight - y;
      map.classList.toggle("is-overview", seatSize() < OVERVIEW);
      showState();
    }

    /* A settled zoom: never between the whole map and 32 px. */
    function settle(size, anchor, announce) {
      if (size !== null && size < MIN) size = size - fitted < MIN - size ? null : MIN;
      apply(size, anchor);
      if (zoom !== null) bringIntoView();
      if (announce) say(zoom === null ? _("Showing the whole seat map.") : _("Seats zoomed in. Drag to move around the map."));
    }

    function bringIntoView() {
      var rect = box.getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > window.innerHeight) box.scrollIntoView({ block: "nearest" });
    }

    function stepIn() {
      var now = zoom === null ? fitted : zoom;
      for (var i = 0; i < STEPS.length; i++) if (STEPS[i] > now + 0.5) return STEPS[i];
      return MAX;
    }

    function stepOut() {
      if (zoom === null) return null;
      for (var i = STEPS.length - 1; i >= 0; i--) if (STEPS[i] < zoom - 0.5) return STEPS[i];
      return null;
    }

    /* ---------- the buttons ---------- */
    if (!box.id) box.id = "seatmap-" + Math.random().toString(36).slice(2, 8);
    var bar = document.createElement("div");
    bar.className = "seatzoom";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", _("Seat map zoom"));
    var hint = document.createElement("p");
    hint.className = "seatzoom__hint";
    hint.textContent = window.matchMedia("(pointer: coarse)").matches ? _("Tap or pinch to zoom.") : _("Zoom: + and \u2212 keys.");
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    function button(text, label, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.setAttribute("aria-controls", box.id);
      b.addEventListener("click", function () {
        settle(action(), null, true);
      });
      return b;
    }
    var outButton = button("\u2212", _("Zoom out"), stepOut);
    var inButton = button("+", _("Zoom in"), stepIn);
    var fitButton = button(_("Whole map"), _("Show the whole seat map"), function () {
      return null;
    });
    fitButton.setAttribute("data-zoom-fit", "");
    outButton.setAttribute("data-zoom-out", "");
    inButton.setAttribute("data-zoom-in", "");
    bar.append(hint, outButton, inButton, fitButton, status);
    map.parentNode.insertBefore(bar, map);

    function showState() {
      outButton.disabled = zoom === null;
      fitButton.disabled = zoom === null;
      inButton.disabled = zoom !== null && zoom >= MAX;
      map.setAttribute("data-zoom", zoom === null ? "fit" : String(Math.round(zoom)));
    }

    function say(text) {
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = text;
      }, 30);
    }

    /* ---------- keys: + / - / 0 inside the map ---------- */
    map.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var size;
      if (event.key === "+" || event.key === "=") size = stepIn();
      else if (event.key === "-") size = stepOut();
      else if (event.key === "0") size = null;
      else return;
      event.preventDefault();
      var focused = document.activeElement;
      var anchor = null;
      if (focused && map.contains(focused) && focused.classList.contains("seat")) {
        var r = focused.getBoundingClientRect();
        anchor = { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      settle(size, anchor, true);
      if (anchor) focused.scrollIntoView({ block: "nearest", inline: "nearest" });
    });

    /* ---------- pinch ---------- */
    function spread(touches) {
      var dx = touches[0].clientX - touches[1].clientX;
      var dy = touches[0].clientY - touches[1].clientY;
      return Math.sqrt(dx * dx + dy * dy) || 1;
    }

    function middle(touches) {
      return { x: (touches[0].clientX + touches[1].clientX) / 2, y: (touches[0].clientY + touches[1].clientY) / 2 };
    }

    box.addEventListener(
      "touchstart",
      function (event) {
        if (event.touches.length === 2) {
          press = null;
          pinch = { start: spread(event.touches), from: seatSize(), at: middle(event.touches), size: null };
        }
      },
      { passive: true }
    );
    box.addEventListener(
      "touchmove",
      function (event) {
        if (!pinch || event.touches.length !== 2) return;
        event.preventDefault();
        pinch.size = Math.max(fitted, Math.min(MAX, (pinch.from * spread(event.touches)) / pinch.start));
        pinch.at = middle(event.touches);
        if (frame === null) {
          frame = window.requestAnimationFrame(function () {
            frame = null;
            if (pinch && pinch.size !== null) apply(pinch.size, pinch.at);
          });
        }
      },
      { passive: false }
    );
    function endPinch(event) {
      if (!pinch || event.touches.length >= 2) return;
      var done = pinch;
      pinch = null;
      swallow = { until: Date.now() + 400, x: done.at.x, y: done.at.y, anywhere: true };
      settle(done.size === null ? zoom : done.size, done.at, true);
    }
    box.addEventListener("touchend", endPinch);
    box.addEventListener("touchcancel", endPinch);

    /* ---------- taps ---------- */
    map.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "touch" || !event.isPrimary || pinch) {
        press = null;
        return;
      }
      press = { x: event.clientX, y: event.clientY };
    });
    map.addEventListener("pointerup", function (event) {
      if (!press || event.pointerType !== "touch" || pinch) return;
      var moved = Math.abs(event.clientX - press.x) + Math.abs(event.clientY - press.y);
      press = null;
      if (moved > TAP_SLOP) return;
      tap({ x: event.clientX, y: event.clientY });
    });
    map.addEventListener("pointercancel", function () {
      press = null; // the browser took the touch for panning
    });

    function leave() {
      window.clearTimeout(leaveTimer);
      if (!leaving) return;
      var at = leaving;
      leaving = null;
      settle(null, at, true);
    }

    function tap(at) {
      var now = Date.now();
      var double = lastTap && now - lastTap.time < DOUBLE_MS && Math.abs(at.x - lastTap.x) + Math.abs(at.y - lastTap.y) < DOUBLE_SLOP;
      if (double && lastTap.zoomedIn) {
        swallow = { until: now + 400, x: at.x, y: at.y }; // the second tap of a double tap that already zoomed in
        lastTap = null;
        return;
      }
      if (zoom === null && fitted < AIMABLE) {
        swallow = { until: now + 400, x: at.x, y: at.y }; // a seat this small was not aimed at: zoom, do not choose
        settle(TAP_ZOOM, at, true);
        lastTap = { x: at.x, y: at.y, time: now, zoomedIn: true };
        return;
      }
      if (double) {
        // Zoom out after the second tap's click, so it lands on the seat the first one toggled.
        lastTap = null;
        leaving = { until: now + 400, x: at.x, y: at.y };
        leaveTimer = window.setTimeout(leave, 350);
        return;
      }
      lastTap = { x: at.x, y: at.y, time: now, zoomedIn: false };
    }

    // Runs before seatmap.js's own click handler on the map: a zooming tap chooses no seat.
    map.addEventListener(
      "click",
      function (event) {
        if (leaving) window.setTimeout(leave, 0); // after this click has chosen or dropped its seat
        if (!swallow || Date.now() > swallow.until) return;
        var near = Math.abs(event.clientX - swallow.x) + Math.abs(event.clientY - swallow.y) < DOUBLE_SLOP;
        if (!swallow.anywhere && !near) return;
        swallow = null;
        event.stopImmediatePropagation();
        event.preventDefault();
      },
      true
    );

    /* ---------- start ---------- */
    map.classList.add("is-zoomable");
    measureFit();
    map.classList.toggle("is-overview", fitted < OVERVIEW);
    showState();
    var width = map.clientWidth;
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (map.clientWidth === width) return; // zooming changes the height only
        width = map.clientWidth;
        measureFit();
        if (zoom !== null && zoom <= fitted) apply(null);
        map.classList.toggle("is-overview", seatSize() < OVERVIEW);
        showState();
      }).observe(map);
    }
  }
})();
