/* Marquee booking: helpers shared with the seat map (window.MarqueeBooking) and the booking page.

   Every amount shown here comes from the server as a decimal string and is only formatted,
   never computed. Countdowns run on the server's clock: each API response's Date header tells
   us how far the browser's clock is off, so a wrong clock on the customer's device cannot show
   a hold as longer or shorter than it is. */
(function () {
  "use strict";

  var _ = window.MarqueeText.t;
  var ngettext = window.MarqueeText.n;
  var RUPEE = "\u20b9";
  var MINUS = "\u2212";
  var EMPTY = "\u2014";

  /* ---------- money: "123456.5" → "₹1,23,456.50" (Indian grouping, half-up to the paisa) ---------- */
  function groupIndian(digits) {
    if (digits.length <= 3) return digits;
    var head = digits.slice(0, -3);
    var tail = digits.slice(-3);
    var pairs = [];
    while (head.length > 2) {
      pairs.unshift(head.slice(-2));
      head = head.slice(0, -2);
    }
    if (head) pairs.unshift(head);
    return pairs.concat([tail]).join(",");
  }

  function inr(value) {
    if (value === null || value === undefined || typeof value === "boolean") return EMPTY;
    var text = String(value).trim().replace(/,/g, "").replace(RUPEE, "").trim();
    var match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (!match || (!match[2] && !match[3])) return EMPTY;
    var whole = (match[2] || "0").replace(/^0+(?=\d)/, "");
    var fraction = match[3] || "";
    var paise = BigInt(whole + (fraction + "00").slice(0, 2));
    if (fraction.length > 2 && fraction.charAt(2) >= "5") paise += BigInt(1); // half up (away from zero)
    var digits = paise.toString().padStart(3, "0");
    var formatted = RUPEE + groupIndian(digits.slice(0, -2)) + "." + digits.slice(-2);
    return match[1] === "-" && paise > BigInt(0) ? MINUS + formatted : formatted;
  }

  function isZero(value) {
    return /^[+-]?0*(\.0*)?$/.test(String(value === null || value === undefined ? "0" : value).trim());
  }

  /* ---------- the server's clock ---------- */
  var clock = {
    offset: 0, // server time minus browser time, in ms
    synced: false,
    /* serverMs: the server's time when it answered; receivedAt: Date.now() when the answer arrived. */
    sync: function (serverMs, receivedAt) {
      if (!isFinite(serverMs)) return;
      this.offset = serverMs - (receivedAt === undefined ? Date.now() : receivedAt);
      this.synced = true;
    },
    now: function () {
      return Date.now() + this.offset;
    },
  };

  /* "2026-11-20T10:10:00.123456+05:30" → ms. Trims microseconds, which not every engine parses. */
  function parseTime(iso) {
    if (!iso) return NaN;
    return Date.parse(String(iso).replace(/(\.\d{3})\d+/, "$1"));
  }

  /* ---------- the API: JSON, session cookie, CSRF header ---------- */
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* Resolves to {status, data, etag} (data is the parsed JSON body or {}; etag the answer's ETag
     or null); network failures resolve to status 0 so callers handle every outcome in one place.
     `extra` adds request headers (e.g. If-None-Match: a 304 then resolves with status 304). */
  function request(method, url, body, extra) {
    var headers = { Accept: "application/json" };
    Object.keys(extra || {}).forEach(function (name) {
      headers[name] = extra[name];
    });
    var options = { method: method, credentials: "same-origin", headers: headers, cache: "no-store" };
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(
      function (response) {
        var receivedAt = Date.now();
        var date = response.headers.get("Date");
        // The Date header has whole seconds: the server's true time is on average half a second later.
        if (date) clock.sync(Date.parse(date) + 500, receivedAt);
        var etag = response.headers.get("ETag");
        if (response.status === 204 || response.status === 304) return { status: response.status, data: {}, etag: etag };
        return response.json().then(
          function (data) {
            return { status: response.status, data: data || {}, etag: etag };
          },
          function () {
            return { status: response.status, data: {}, etag: etag };
          }
        );
      },
      function () {
        return { status: 0, data: { detail: _("We could not reach the box office. Check your connection and try again.") } };
      }
    );
  }

  /* ---------- countdown to the server's held_until ---------- */
  function formatRemaining(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    return minutes + ":" + String(seconds % 60).padStart(2, "0");
  }

  function spokenRemaining(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    var parts = [];
    if (minutes) parts.push(ngettext("%(count)s minute", "%(count)s minutes", minutes));
    if (rest || !minutes) parts.push(ngettext("%(count)s second", "%(count)s seconds", rest));
    return parts.join(" ");
  }

  /* Shows m:ss in `element` until `heldUntil` (ISO) by the server's clock. Calls onLow once when a
     minute is left and onExpire once at zero. Returns {stop()}. */
  function countdown(element, heldUntil, handlers) {
    handlers = handlers || {};
    var end = parseTime(heldUntil);
    var warned = false;
    var timer = null;
    var box = element.closest("[data-countdown-box]");
    function tick() {
      var left = end - clock.now();
      element.textContent = formatRemaining(left);
      element.setAttribute("aria-label", _("%(time)s left", { time: spokenRemaining(left) }));
      if (box) box.classList.toggle("is-low", left <= 60000);
      if (!warned && left <= 60000 && left > 0) {
        warned = true;
        if (handlers.onLow) handlers.onLow(left);
      }
      if (left <= 0) {
        stop();
        if (handlers.onExpire) handlers.onExpire();
        return;
      }
      timer = window.setTimeout(tick, (left % 1000) + 20);
    }
    function stop() {
      if (timer !== null) window.clearTimeout(timer);
      timer = null;
    }
    if (isNaN(end)) {
      element.textContent = EMPTY;
      return { stop: stop };
    }
    tick();
    return { stop: stop };
  }

  /* ---------- the quote, as the server sent it ---------- */
  function row(label, amount, className) {
    var tr = document.createElement("tr");
    if (className) tr.className = className;
    var th = document.createElement("th");
    th.scope = "row";
    th.textContent = label;
    var td = document.createElement("td");
    td.textContent = amount;
    tr.append(th, td);
    return tr;
  }

  /* Fills a <table class="quote"> with the quote's lines, mirroring
     templates/ticketing/includes/quote.html. */
  function renderQuote(table, quote, promoCode) {
    var body = document.createElement("tbody");
    body.appendChild(row(_("Tickets"), inr(quote.base)));
    (quote.items || []).forEach(function (item) {
      body.appendChild(row(item.quantity + " \u00d7 " + item.name, inr(item.amount), "quote__item"));
    });
    if (!isZero(quote.discount)) {
      body.appendChild(row(promoCode ? _("Promo %(code)s", { code: promoCode }) : _("Discount"), MINUS + inr(quote.discount), "quote__discount"));
    }
    if (!isZero(quote.fee)) body.appendChild(row(_("Convenience fee"), inr(quote.fee)));
    (quote.taxes || []).forEach(function (tax) {
      body.appendChild(row(tax.name, inr(tax.amount), "quote__tax"));
    });
    var foot = document.createElement("tfoot");
    var total = row(_("Total"), inr(quote.total), "quote__total");
    total.lastChild.setAttribute("data-quote-total", "");
    foot.appendChild(total);
    if (!isZero(quote.wallet_applied)) {
      foot.appendChild(row(_("From your wallet"), MINUS + inr(quote.wallet_applied)));
      foot.appendChild(row(_("To pay"), inr(quote.payable), "quote__payable"));
    }
    var caption = table.querySelector("caption");
    if (caption) table.replaceChildren(caption, body, foot);
    else table.replaceChildren(body, foot);
  }

  function say(region, text) {
    if (!region) return;
    region.textContent = "";
    if (text) region.textContent = text;
  }

  window.MarqueeBooking = {
    inr: inr,
    isZero: isZero,
    clock: clock,
    parseTime: parseTime,
    request: request,
    countdown: countdown,
    renderQuote: renderQuote,
    say: say,
  };

  /* ---------- the booking page ---------- */
  var page = document.querySelector("[data-booking]");
  if (!page) return;

  var live = page.querySelector("[data-booking-live]");
  var ended = page.querySelector("[data-booking-ended]");
  var endedText = page.querySelector("[data-ended-text]");
  var status = page.querySelector("[data-booking-status]");
  var bookingUrl = page.getAttribute("data-api-booking");
  var timer = null;

  // The page was rendered at the server's time: good enough until the first API answer.
  var renderedAt = parseTime(page.getAttribute("data-server-now"));
  if (!isNaN(renderedAt)) clock.sync(renderedAt);

  function end(message, title) {
    if (timer) timer.stop();
    if (!live || !ended) return;
    live.hidden = true;
    ended.hidden = false;
    if (endedText && message) endedText.textContent = message;
    var heading = ended.querySelector("h2");
    if (heading && title) heading.textContent = title;
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  function startCountdown(heldUntil) {
    var element = page.querySelector("[data-countdown]");
    if (!element) return;
    if (timer) timer.stop();
    timer = countdown(element, heldUntil, {
      onLow: function () {
        say(status, _("One minute left on your hold."));
      },
      onExpire: function () {
        end(_("Your hold ran out and the seats went back on sale. They may still be free: choose them again."), _("Your hold has expired"));
      },
    });
  }

  /* Ask the server for the booking: corrects the clock, notices a hold released elsewhere. */
  function check() {
    if (!live || live.hidden) return;
    request("GET", bookingUrl).then(function (result) {
      if (result.status === 404) {
        end(_("This booking is no longer available."));
      } else if (result.status === 200 && result.data.state !== "held") {
        end(_("This hold has ended and the seats went back on sale."));
      } else if (result.status === 200) {
        startCountdown(result.data.held_until);
      }
    });
  }

  if (live && !live.hidden) {
    startCountdown(page.getAttribute("data-held-until"));
    check();
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) check();
    });
  }

  /* food and drinks: the steppers send the whole choice (PUT replaces the items) */
  var menuForm = page.querySelector("[data-menu]");
  if (menuForm) {
    var menuError = menuForm.querySelector("[data-menu-error]");
    var sending = null;
    var sendItems = function () {
      var items = [];
      menuForm.querySelectorAll("input[data-sku]").forEach(function (field) {
        var quantity = parseInt(field.value, 10);
        if (quantity > 0) items.push({ sku: field.getAttribute("data-sku"), quantity: Math.min(quantity, 20) });
      });
      menuError.hidden = true;
      request("PUT", menuForm.getAttribute("data-api-items"), { items: items }).then(function (result) {
        if (result.status === 200) {
          renderQuote(page.querySelector("[data-quote]"), result.data.quote, result.data.promo_code);
          page.querySelectorAll("[data-quote-total-copy]").forEach(function (el) {
            el.textContent = inr(result.data.quote.total);
          });
          say(status, _("Food and drinks updated. New total %(total)s.", { total: inr(result.data.quote.total) }));
        } else {
          menuError.textContent = result.data.detail || _("That could not be added.");
          menuError.hidden = false;
        }
      });
    };
    menuForm.addEventListener("click", function (event) {
      var button = event.target.closest("[data-step]");
      if (!button) return;
      var field = button.parentNode.querySelector("input[data-sku]");
      var next = Math.max(0, Math.min(20, (parseInt(field.value, 10) || 0) + parseInt(button.getAttribute("data-step"), 10)));
      field.value = String(next);
      clearTimeout(sending);
      sending = setTimeout(sendItems, 300);
    });
    menuForm.addEventListener("change", function () {
      clearTimeout(sending);
      sending = setTimeout(sendItems, 300);
    });
    menuForm.addEventListener("submit", function (event) {
      event.preventDefault();
      sendItems();
    });
  }

  /* promo code */
  var promoForm = page.querySelector("[data-promo-form]");
  var promoApplied = page.querySelector("[data-promo-applied]");
  var quoteTable = page.querySelector("[data-quote]");
  if (promoForm) {
    var input = promoForm.querySelector("input[name=code]");
    var error = promoForm.querySelector("[data-promo-error]");
    var applyButton = promoForm.querySelector("button[type=submit]");
    promoForm.hidden = !!(promoApplied && !promoApplied.hidden);

    var showPromo = function (booking) {
      renderQuote(quoteTable, booking.quote, booking.promo_code);
      page.querySelectorAll("[data-quote-total-copy]").forEach(function (el) {
        el.textContent = inr(booking.quote.total);
      });
      var code = booking.promo_code;
      promoForm.hidden = !!code;
      if (promoApplied) {
        promoApplied.hidden = !code;
        var name = promoApplied.querySelector("[data-promo-code]");
        if (name) name.textContent = code || "";
      }
    };

    var setError = function (message) {
      error.textContent = message || "";
      error.hidden = !message;
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    };

    promoForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var code = input.value.trim();
      if (!code) {
        setError(_("Type a promo code first."));
        input.focus();
        return;
      }
      applyButton.disabled = true;
      setError("");
      request("POST", page.getAttribute("data-api-promo"), { code: code }).then(function (result) {
        applyButton.disabled = false;
        if (result.status === 200) {
          showPromo(result.data);
          input.value = "";
          say(status, _("Code %(code)s applied. New total %(total)s.", { code: result.data.promo_code, total: inr(result.data.quote.total) }));
          var remove = promoApplied && promoApplied.querySelector("button");
          if (remove) remove.focus();
        } else {
          setError(result.data.detail || _("That code could not be applied."));
          input.focus();
        }
      });
    });

    if (promoApplied) {
      promoApplied.querySelector("button").addEventListener("click", function (event) {
        var button = event.currentTarget;
        button.disabled = true;
        request("DELETE", page.getAttribute("data-api-promo")).then(function (result) {
          button.disabled = false;
          if (result.status === 200) {
            showPromo(result.data);
            say(status, _("Promo code removed. New total %(total)s.", { total: inr(result.data.quote.total) }));
            input.focus();
          } else {
            say(status, result.data.detail || _("The code could not be removed."));
          }
        });
      });
    }
  }

  /* releasing the seats */
  var release = page.querySelector("[data-release]");
  if (release) {
    release.hidden = false;
    release.addEventListener("click", function () {
      release.disabled = true;
      request("DELETE", page.getAttribute("data-api-hold")).then(function (result) {
        release.disabled = false;
        if (result.status === 204) {
          end(_("You let these seats go: they are back on sale."), _("Seats released"));
        } else {
          say(status, result.data.detail || _("The seats could not be released. Please try again."));
        }
      });
    });
  }

  /* ---------- paying: wallet, sandbox page or Razorpay Checkout ---------- */
  function openRazorpay(order) {
    var launch = function () {
      var checkout = new window.Razorpay({
        key: order.key_id,
        amount: order.amount,
        currency: order.currency,
        order_id: order.order_id,
        name: "Marquee",
        description: _("Booking %(reference)s", { reference: order.reference }),
        callback_url: page.getAttribute("data-callback-url"),
        redirect: true
      });
      checkout.open();
    };
    if (window.Razorpay) return launch();
    var script = document.createElement("script");
    script.src = "https://checkout.razorpay.com/v1/checkout.js";
    script.onload = launch;
    script.onerror = function () {
      say(status, _("The payment window could not be opened. Check your connection and try again."));
    };
    document.head.appendChild(script);
  }

  page.querySelectorAll("[data-pay]").forEach(function (button) {
    button.addEventListener("click", function () {
      var wallet = page.querySelector("[data-use-wallet]");
      button.disabled = true;
      say(status, _("Starting payment…"));
      var body = { use_wallet: !!(wallet && wallet.checked) };
      page.querySelectorAll("[data-business]").forEach(function (field) {
        if (field.value.trim()) body[field.getAttribute("data-business")] = field.value.trim();
      });
      request("POST", page.getAttribute("data-api-pay"), body).then(function (result) {
        var data = result.data;
        if (result.status === 200 && data.state === "confirmed") {
          window.location.reload();
        } else if (result.status === 200 && data.checkout_url) {
          window.location.assign(data.checkout_url);
        } else if (result.status === 200 && data.gateway === "razorpay") {
          button.disabled = false;
          openRazorpay(data);
        } else {
          button.disabled = false;
          say(status, data.detail || _("Payment could not start. Please try again."));
          var note = page.querySelector("[data-pay-note]");
          if (note) note.textContent = data.detail || _("Payment could not start. Please try again.");
        }
      });
    });
  });

  /* Cancelling seats: every change asks the preview for the exact refund; the button confirms
     that very choice (the server works it out again under the booking's lock). */
  var cancelForm = page.querySelector("[data-cancel-form]");
  if (cancelForm) {
    var cancel = cancelForm.querySelector("[data-cancel]");
    var summary = cancelForm.querySelector("[data-cancel-summary]");
    var cancelChoice = function () {
      var seats = [];
      cancelForm.querySelectorAll("input[name=cancel-seat]:checked").forEach(function (box) {
        seats.push(box.value);
      });
      var to = cancelForm.querySelector("input[name=cancel-to]:checked") || cancelForm.querySelector("input[name=cancel-to][type=hidden]");
      return { seats: seats, to: to ? to.value : null };
    };
    var preview = function () {
      var choice = cancelChoice();
      cancel.disabled = true;
      if (!choice.seats.length) {
        summary.textContent = _("Choose the seats to cancel.");
        cancel.textContent = _("Cancel seats");
        return;
      }
      summary.textContent = _("Working out your refund…");
      var url = page.getAttribute("data-api-cancellation") + "?seats=" + encodeURIComponent(choice.seats.join(","));
      if (choice.to) url += "&to=" + encodeURIComponent(choice.to);
      request("GET", url).then(function (result) {
        var now = cancelChoice();
        if (now.seats.join(",") !== choice.seats.join(",") || now.to !== choice.to) return; // a later change asks again
        if (result.status === 200) {
          summary.textContent = result.data.summary;
          summary.setAttribute("data-refund", result.data.refund);
          cancel.textContent = result.data.whole_booking
            ? _("Cancel the booking and refund %(refund)s", { refund: inr(result.data.refund) })
            : _("Cancel %(seats)s and refund %(refund)s", { seats: choice.seats.join(", "), refund: inr(result.data.refund) });
          cancel.disabled = false;
        } else {
          summary.textContent = result.data.detail || _("This cannot be cancelled.");
        }
      });
    };
    cancelForm.querySelectorAll("input").forEach(function (input) {
      input.addEventListener("change", preview);
    });
    cancel.addEventListener("click", function () {
      var choice = cancelChoice();
      cancel.disabled = true;
      request("POST", page.getAttribute("data-api-cancel"), choice).then(function (result) {
        if (result.status === 200) {
          window.location.reload();
        } else {
          cancel.disabled = false;
          summary.textContent = result.data.detail || _("The seats could not be cancelled.");
          say(status, summary.textContent);
        }
      });
    });
    preview();
  }
})();
