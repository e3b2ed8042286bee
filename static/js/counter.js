/* The Counter page's seat map (templates/ticketing/admin/counter/sell.html).

   The map is the customers' markup (includes/seat_map.html). Here it becomes selectable and
   writes the chosen labels into the sale form's Seats field, which stays the source of truth:
   typing labels works without this script. Keyboard: the map is one Tab stop (roving tabindex),
   arrow keys move, Space/Enter toggle. Seat states are refreshed from GET /api/shows/{id}/seats
   every few seconds (with If-None-Match). No prices are computed here: the total and the
   change due come from the server (the form posted with action=price), swapped in. */
(function () {
  "use strict";

  var root = document.querySelector("[data-counter]");
  var map = root && root.querySelector(".seatmap");
  var input = root && root.querySelector("input[name='seats']");
  if (!root || !map || !input) return;

  var REFRESH_MS = 5000;
  var seatsUrl = root.getAttribute("data-seats-url");
  var buttons = Array.prototype.slice.call(map.querySelectorAll(".seat"));
  var byLabel = {};
  buttons.forEach(function (button) {
    byLabel[button.getAttribute("data-label")] = button;
  });
  var etag = null;

  function chosen() {
    return input.value.toUpperCase().split(/[\s,]+/).filter(Boolean);
  }

  function paint() {
    var picked = chosen();
    buttons.forEach(function (button) {
      var label = button.getAttribute("data-label");
      var free = button.getAttribute("data-state") === "available";
      var on = picked.indexOf(label) !== -1;
      button.disabled = false;
      button.setAttribute("aria-disabled", free || on ? "false" : "true");
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function toggle(button) {
    if (button.getAttribute("aria-disabled") === "true") return;
    var label = button.getAttribute("data-label");
    var picked = chosen();
    var at = picked.indexOf(label);
    if (at === -1) picked.push(label);
    else picked.splice(at, 1);
    input.value = picked.join(" ");
    paint();
    price();
  }

  function focusSeat(button) {
    buttons.forEach(function (b) {
      b.tabIndex = -1;
    });
    button.tabIndex = 0;
    button.focus();
  }

  function neighbour(button, dx, dy) {
    var rows = Array.prototype.slice.call(map.querySelectorAll(".seatrow:not(.seatrow--walkway)"));
    var row = button.closest(".seatrow");
    var seatsIn = function (r) {
      return Array.prototype.slice.call(r.querySelectorAll(".seat"));
    };
    var r = rows.indexOf(row);
    var here = seatsIn(row);
    var i = here.indexOf(button);
    if (dy) {
      var next = rows[r + dy];
      if (!next) return null;
      var there = seatsIn(next);
      return there[Math.min(i, there.length - 1)] || null;
    }
    return here[i + dx] || null;
  }

  map.addEventListener("click", function (event) {
    var button = event.target.closest(".seat");
    if (button) toggle(button);
  });
  map.addEventListener("keydown", function (event) {
    var button = event.target.closest(".seat");
    if (!button) return;
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (moves[event.key]) {
      var next = neighbour(button, moves[event.key][0], moves[event.key][1]);
      if (next) focusSeat(next);
      event.preventDefault();
    } else if (event.key === " " || event.key === "Enter") {
      toggle(button);
      event.preventDefault();
    }
  });
  input.addEventListener("input", paint);

  var form = root.querySelector("[data-counter-form]");
  var summary = root.querySelector("[data-counter-total]");
  var priceTimer = null;
  function price() {
    if (!form || !summary) return;
    clearTimeout(priceTimer);
    priceTimer = setTimeout(function () {
      var body = new FormData(form);
      body.set("action", "price");
      fetch(window.location.pathname, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-counter-total]");
          if (fresh && summary) summary.innerHTML = fresh.innerHTML;
        })
        .catch(function () {});
    }, 250);
  }
  if (form && summary) {
    form.addEventListener("input", function (event) {
      if (event.target.name === "seats" || event.target.name === "tendered") price();
    });
  }

  function refresh() {
    var headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(seatsUrl, { headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304 || !response.ok) return null;
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        data.seats.forEach(function (seat) {
          var button = byLabel[seat.label];
          if (!button) return;
          button.setAttribute("data-state", seat.state);
          button.className = button.className.replace(/\bs-(available|held|sold|blocked)\b/, "s-" + seat.state);
        });
        paint();
      })
      .catch(function () {});
  }

  buttons.forEach(function (button, index) {
    button.tabIndex = index === 0 ? 0 : -1;
  });
  map.classList.add("is-interactive");
  var hint = root.querySelector("[data-counter-hint]");
  if (hint) hint.hidden = false;
  paint();
  setInterval(refresh, REFRESH_MS);
})();
