/* Marquee seat selection on the show page. Needs booking.js (window.MarqueeBooking).

   Without JavaScript the seat map is a read-only picture (disabled buttons). Here the map
   becomes one keyboard stop with a roving tabindex: arrow keys move between seats, Home/End go
   to the ends of a row, Space/Enter toggle a seat. Seat states come from the API every few
   seconds, asked with If-None-Match: an unchanged map answers 304 and costs the server next to
   nothing. Prices and the quote come only from the server. */
(function () {
  "use strict";

  var M = window.MarqueeBooking;
  var picker = document.querySelector("[data-seat-picker]");
  var mapBox = document.querySelector("[data-seatmap-for='" + (picker && picker.id) + "']");
  if (!M || !picker || !mapBox) return;

  var _ = window.MarqueeText.t;
  var ngettext = window.MarqueeText.n;
  var pgettext = window.MarqueeText.p;
  var REFRESH_MS = 5000;
  /* The same words the server puts at the end of each seat's label (home/templatetags/marquee.py). */
  var STATE_WORDS = {
    available: pgettext("seat state", "available"),
    held: pgettext("seat state", "on hold"),
    sold: pgettext("seat state", "sold"),
    blocked: pgettext("seat state", "not for sale"),
    mine: pgettext("seat state", "held for you"),
  };
  var STATE_SUFFIX = new RegExp(
    ", (" +
      Object.keys(STATE_WORDS)
        .map(function (key) {
          return STATE_WORDS[key].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("|") +
      ")$"
  );

  var max = parseInt(picker.getAttribute("data-max"), 10) || 10;
  var seatsUrl = picker.getAttribute("data-seats-url");
  var holdUrl = picker.getAttribute("data-hold-url");

  var ui = {
    count: picker.querySelector("[data-count]"),
    list: picker.querySelector("[data-selected]"),
    status: picker.querySelector("[data-status]"),
    alert: picker.querySelector("[data-alert]"),
    form: picker.querySelector("[data-hold-form]"),
    button: picker.querySelector("[data-hold-button]"),
    hold: picker.querySelector("[data-hold]"),
    quote: picker.querySelector("[data-quote]"),
    countdown: picker.querySelector("[data-countdown]"),
    warnings: picker.querySelector("[data-warnings]"),
    heldSeats: picker.querySelector("[data-held-seats]"),
    stale: picker.querySelector("[data-stale]"),
    proceed: picker.querySelector("[data-continue]"),
    signin: picker.querySelector("[data-signin]"),
    age: picker.querySelector("[data-age-confirm]"), // an A-rated film: the customer's word that they are 18+
  };

  /* ---------- the grid ---------- */
  var seats = {}; // label → {el, state, mine, category, price, base, row, col}
  var rows = []; // rows of labels in column order (walkways skipped)
  mapBox.querySelectorAll(".seatrow:not(.seatrow--walkway)").forEach(function (rowEl) {
    var labels = [];
    var col = 0;
    Array.prototype.forEach.call(rowEl.children, function (cell) {
      if (cell.classList.contains("seatrow__label")) return;
      if (cell.classList.contains("seat")) {
        var label = cell.getAttribute("data-label");
        seats[label] = {
          el: cell,
          state: cell.getAttribute("data-state"),
          mine: false,
          category: cell.getAttribute("data-category"),
          price: null,
          base: (cell.getAttribute("aria-label") || _("Seat %(label)s", { label: label })).replace(STATE_SUFFIX, ""),
          row: rows.length,
          col: col,
        };
        labels.push(label);
      }
      col += 1;
    });
    if (labels.length) rows.push(labels);
  });
  if (!rows.length) return;

  var selected = []; // labels, in the order picked
  var hold = null; // the server's booking for our current hold
  var timer = null; // countdown
  var bookable = true;
  var busy = false;
  var generation = 0; // bumps on every change we make, so an older refresh cannot undo it
  var refreshTimer = null;
  var active = null; // the seat with tabindex=0
  var etag = null; // the ETag of the answer on screen; null once we change seats ourselves

  function selectable(seat) {
    return bookable && (seat.state === "available" || (seat.state === "held" && seat.mine));
  }

  function paint(label) {
    var seat = seats[label];
    var el = seat.el;
    var free = selectable(seat);
    var shown = seat.state === "held" && seat.mine ? "available" : seat.state;
    var isSelected = selected.indexOf(label) !== -1;
    el.classList.remove("s-available", "s-held", "s-sold", "s-blocked");
    el.classList.add("s-" + shown);
    el.classList.toggle("is-mine", seat.mine && seat.state === "held");
    el.setAttribute("data-state", seat.state);
    el.setAttribute("aria-pressed", isSelected ? "true" : "false");
    if (free || isSelected) el.removeAttribute("aria-disabled");
    else el.setAttribute("aria-disabled", "true");
    el.setAttribute("aria-label", seat.base + ", " + STATE_WORDS[seat.mine && seat.state === "held" ? "mine" : seat.state]);
  }

  function focusSeat(label, move) {
    if (!seats[label]) return;
    if (active && seats[active]) seats[active].el.tabIndex = -1;
    active = label;
    seats[label].el.tabIndex = 0;
    if (move) seats[label].el.focus();
  }

  function firstFocusable() {
    if (selected.length) return selected[0];
    for (var r = 0; r < rows.length; r++) {
      for (var i = 0; i < rows[r].length; i++) if (selectable(seats[rows[r][i]])) return rows[r][i];
    }
    return rows[0][0];
  }

  /* The seat nearest to column `col` in row `r`. */
  function nearest(r, col) {
    var best = null;
    rows[r].forEach(function (label) {
      if (best === null || Math.abs(seats[label].col - col) < Math.abs(seats[best].col - col)) best = label;
    });
    return best;
  }

  function onKey(event) {
    var seatEl = event.target.closest(".seat");
    if (!seatEl || event.altKey || event.metaKey) return;
    var seat = seats[seatEl.getAttribute("data-label")];
    var row = rows[seat.row];
    var index = row.indexOf(seatEl.getAttribute("data-label"));
    var target = null;
    switch (event.key) {
      case "ArrowLeft":
        target = row[Math.max(0, index - 1)];
        break;
      case "ArrowRight":
        target = row[Math.min(row.length - 1, index + 1)];
        break;
      case "ArrowUp":
        target = seat.row > 0 ? nearest(seat.row - 1, seat.col) : null;
        break;
      case "ArrowDown":
        target = seat.row < rows.length - 1 ? nearest(seat.row + 1, seat.col) : null;
        break;
      case "Home":
        target = event.ctrlKey ? rows[0][0] : row[0];
        break;
      case "End":
        target = event.ctrlKey ? rows[rows.length - 1][rows[rows.length - 1].length - 1] : row[row.length - 1];
        break;
      default:
        return; // Space and Enter press the button: handled as a click
    }
    event.preventDefault();
    if (target) focusSeat(target, true);
  }

  /* ---------- selection and the live summary ---------- */
  function toggle(label) {
    var seat = seats[label];
    var at = selected.indexOf(label);
    if (at !== -1) {
      selected.splice(at, 1);
    } else if (!bookable) {
      M.say(ui.status, _("Booking is closed for this show."));
      return;
    } else if (!selectable(seat)) {
      M.say(ui.status, _("Seat %(label)s is %(state)s.", { label: label, state: STATE_WORDS[seat.state] }));
      return;
    } else if (selected.length >= max) {
      M.say(ui.status, ngettext("You can choose up to %(count)s seat per booking.", "You can choose up to %(count)s seats per booking.", max));
      return;
    } else {
      selected.push(label);
    }
    generation += 1;
    paint(label);
    summarise();
  }

  function sameSeats(a, b) {
    if (!a || !b || a.length !== b.length) return false;
    return a.every(function (label) {
      return b.indexOf(label) !== -1;
    });
  }

  function summarise() {
    var n = selected.length;
    ui.count.textContent = n
      ? ngettext("%(n)s of %(count)s seat selected: %(seats)s.", "%(n)s of %(count)s seats selected: %(seats)s.", max, { n: n, seats: selected.join(", ") })
      : _("No seats selected yet. Choose up to %(max)s on the map.", { max: max });
    var items = selected.map(function (label) {
      var seat = seats[label];
      var li = document.createElement("li");
      li.className = "picker__seat";
      var name = document.createElement("span");
      name.className = "picker__label";
      name.textContent = label;
      var category = document.createElement("span");
      category.className = "picker__category";
      category.textContent = seat.category;
      var price = document.createElement("span");
      price.className = "picker__price";
      price.textContent = seat.price ? M.inr(seat.price) : "";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "picker__remove";
      remove.setAttribute("aria-label", _("Remove seat %(label)s", { label: label }));
      remove.setAttribute("data-remove", label);
      remove.textContent = "\u00d7";
      li.append(name, category, price, remove);
      return li;
    });
    ui.list.replaceChildren.apply(ui.list, items);
    var changed = hold && !sameSeats(selected, hold.seats);
    ui.button.disabled = busy || !bookable || !n || (hold !== null && !changed);
    ui.button.textContent = busy ? _("Holding…") : hold ? _("Update hold") : _("Hold seats");
    if (ui.stale) ui.stale.hidden = !changed;
    // Holding the same seats again changes nothing: the button comes back once the selection differs.
    ui.form.hidden = hold !== null && !changed && !busy;
    // For the phone's bottom bar (pickerbar.js): what the picker now says.
    picker.dispatchEvent(
      new CustomEvent("marquee:selection", {
        detail: {
          seats: selected.slice(),
          max: max,
          held: hold !== null && !changed && !busy,
          total: hold ? hold.quote.total : null,
          stale: !!changed,
          action: ui.button.textContent,
          disabled: ui.button.disabled,
        },
      })
    );
  }

  /* ---------- the hold and its countdown ---------- */
  function showHold(booking, warnings) {
    hold = booking;
    ui.hold.hidden = false;
    M.renderQuote(ui.quote, booking.quote, booking.promo_code);
    ui.heldSeats.textContent = booking.seats.join(", ");
    ui.proceed.href = picker.getAttribute("data-booking-url").replace("REFERENCE", encodeURIComponent(booking.reference));
    if (warnings !== undefined) {
      ui.warnings.replaceChildren.apply(
        ui.warnings,
        warnings.map(function (text) {
          var li = document.createElement("li");
          li.textContent = text;
          return li;
        })
      );
      ui.warnings.hidden = !warnings.length;
    }
    if (timer) timer.stop();
    timer = M.countdown(ui.countdown, booking.held_until, {
      onLow: function () {
        M.say(ui.status, _("One minute left on your hold."));
      },
      onExpire: function () {
        dropHold(_("Your hold expired and the seats went back on sale. Choose seats and hold them again."));
        refresh();
      },
    });
    summarise();
  }

  function dropHold(message) {
    etag = null;
    if (timer) timer.stop();
    timer = null;
    if (hold) {
      hold.seats.forEach(function (label) {
        if (seats[label]) seats[label].mine = false;
      });
    }
    hold = null;
    ui.hold.hidden = true;
    ui.warnings.hidden = true;
    generation += 1;
    if (message) M.say(ui.alert, message);
    Object.keys(seats).forEach(paint);
    summarise();
  }

  /* ---------- talking to the server ---------- */
  function apply(data) {
    bookable = data.bookable !== false;
    var prices = {};
    (data.categories || []).forEach(function (c) {
      prices[c.name] = c.price;
    });
    var free = {};
    var taken = [];
    (data.seats || []).forEach(function (s) {
      var seat = seats[s.label];
      if (!seat) return;
      seat.state = s.state;
      seat.mine = !!s.mine;
      seat.category = s.category;
      seat.price = s.price;
      if (s.state === "available") free[s.category] = (free[s.category] || 0) + 1;
    });
    selected = selected.filter(function (label) {
      if (selectable(seats[label])) return true;
      taken.push(label);
      return false;
    });
    Object.keys(seats).forEach(paint);
    document.querySelectorAll("[data-price-for]").forEach(function (el) {
      var price = prices[el.getAttribute("data-price-for")];
      if (price) el.textContent = M.inr(price);
    });
    document.querySelectorAll("[data-free-for]").forEach(function (el) {
      var n = free[el.getAttribute("data-free-for")] || 0;
      el.textContent = n ? _("%(free)s free", { free: n }) : _("Full");
    });
    var total = Object.keys(free).reduce(function (sum, name) {
      return sum + free[name];
    }, 0);
    document.querySelectorAll("[data-free-total]").forEach(function (el) {
      el.textContent = total;
    });
    if (!bookable) {
      M.say(ui.alert, _("Booking is closed for this show."));
    } else if (taken.length) {
      M.say(
        ui.alert,
        ngettext(
          "Sorry, %(seats)s was just taken by someone else and has been removed from your selection.",
          "Sorry, %(seats)s were just taken by someone else and have been removed from your selection.",
          taken.length,
          { seats: taken.join(", ") }
        )
      );
    }
    // The hold the server knows about wins over the one on screen.
    if (data.hold && data.hold.state === "held") {
      if (!hold || hold.reference !== data.hold.reference || hold.held_until !== data.hold.held_until || !sameSeats(hold.seats, data.hold.seats)) {
        showHold(data.hold, hold && hold.reference === data.hold.reference ? undefined : []);
      }
    } else if (hold) {
      dropHold(_("Your hold has ended and the seats went back on sale."));
    }
    summarise();
  }

  /* Draw a fresh answer and remember its ETag; a 304 to the next poll then keeps the picture. */
  function drawn(result) {
    apply(result.data);
    etag = result.etag || null;
  }

  function refresh() {
    window.clearTimeout(refreshTimer);
    var asked = generation;
    var conditional = etag ? { "If-None-Match": etag } : undefined;
    return M.request("GET", seatsUrl, undefined, conditional).then(function (result) {
      if (result.status === 200 && asked === generation && !busy) drawn(result);
      schedule(); // 304: nothing changed, the picture stays as it is
    });
  }

  function schedule() {
    window.clearTimeout(refreshTimer);
    if (!document.hidden) refreshTimer = window.setTimeout(refresh, REFRESH_MS);
  }

  function signInLink() {
    var p = document.createElement("p");
    var link = document.createElement("a");
    link.href = picker.getAttribute("data-login-url");
    link.className = "btn btn--ghost btn--small";
    link.textContent = _("Sign in to book");
    p.append(_("Please sign in to hold seats.") + " ", link);
    return p;
  }

  function placeHold(event) {
    event.preventDefault();
    if (busy || !selected.length) return;
    if (ui.age && !ui.age.checked) {
      M.say(ui.alert, _("This film is rated A (adults only). Tick \u201cI am 18 or older\u201d to hold seats."));
      ui.age.focus();
      return;
    }
    busy = true;
    generation += 1;
    M.say(ui.alert, "");
    summarise();
    ui.button.setAttribute("aria-busy", "true");
    var asked = selected.slice();
    var body = { seats: asked };
    if (ui.age) body.age_confirmed = true;
    M.request("POST", holdUrl, body).then(function (result) {
      busy = false;
      etag = null; // the seats on screen may now differ from the last answer: ask in full
      generation += 1;
      ui.button.removeAttribute("aria-busy");
      var data = result.data;
      if (result.status === 201) {
        data.seats.forEach(function (label) {
          if (seats[label]) {
            seats[label].state = "held";
            seats[label].mine = true;
          }
        });
        Object.keys(seats).forEach(function (label) {
          if (seats[label].mine && data.seats.indexOf(label) === -1) {
            seats[label].mine = false;
            seats[label].state = "available";
          }
        });
        Object.keys(seats).forEach(paint);
        showHold(data, data.warnings || []);
        M.say(ui.status, _("Held %(seats)s. Total %(total)s.", { seats: data.seats.join(", "), total: M.inr(data.quote.total) }));
        ui.proceed.focus();
        schedule();
        return;
      }
      if (result.status === 409) {
        var gone = data.unavailable || [];
        selected = selected.filter(function (label) {
          return gone.indexOf(label) === -1;
        });
        gone.forEach(function (label) {
          if (seats[label]) seats[label].state = "held";
        });
        Object.keys(seats).forEach(paint);
        M.say(ui.alert, data.detail || ngettext("Sorry, %(seats)s was just taken.", "Sorry, %(seats)s were just taken.", gone.length, { seats: gone.join(", ") }));
        summarise();
        refresh();
        return;
      }
      if (result.status === 401) {
        M.say(ui.alert, "");
        ui.alert.appendChild(signInLink());
        summarise();
        return;
      }
      var message = data.detail || _("Something went wrong. Please try again.");
      M.say(ui.alert, message);
      if (result.status === 403 && data.code === "not_verified" && picker.getAttribute("data-verify-url")) {
        var link = document.createElement("a");
        link.href = picker.getAttribute("data-verify-url");
        link.textContent = _("Verify your e-mail address");
        ui.alert.append(" ", link, ".");
      }
      summarise();
    });
  }

  /* ---------- wiring ---------- */
  Object.keys(seats).forEach(function (label) {
    var el = seats[label].el;
    el.disabled = false;
    el.tabIndex = -1;
    paint(label);
  });
  mapBox.classList.add("is-interactive");
  picker.hidden = false;
  focusSeat(firstFocusable(), false);

  mapBox.addEventListener("click", function (event) {
    var seatEl = event.target.closest(".seat");
    if (!seatEl || !mapBox.contains(seatEl)) return;
    var label = seatEl.getAttribute("data-label");
    focusSeat(label, false);
    toggle(label);
  });
  mapBox.addEventListener("keydown", onKey);
  mapBox.addEventListener("focusin", function (event) {
    var seatEl = event.target.closest && event.target.closest(".seat");
    if (seatEl) focusSeat(seatEl.getAttribute("data-label"), false);
  });
  ui.list.addEventListener("click", function (event) {
    var remove = event.target.closest("[data-remove]");
    if (!remove) return;
    var label = remove.getAttribute("data-remove");
    toggle(label);
    M.say(ui.status, _("Removed seat %(label)s.", { label: label }));
    (ui.list.querySelector("[data-remove]") || seats[label].el).focus();
  });
  ui.form.addEventListener("submit", placeHold);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) window.clearTimeout(refreshTimer);
    else refresh();
  });

  summarise();
  // First load: the live states, our existing hold (its seats become the selection) and the clock.
  M.request("GET", seatsUrl).then(function (result) {
    if (result.status === 200) {
      var data = result.data;
      if (data.hold && data.hold.state === "held" && !selected.length) {
        selected = data.hold.seats.slice();
      }
      drawn(result);
      if (!selected.length || !hold) focusSeat(firstFocusable(), false);
    }
    schedule();
  });
})();
