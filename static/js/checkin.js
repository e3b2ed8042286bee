/* Marquee check-in (admin page templates/ticketing/admin/checkin.html).

   Typed codes and camera scans go to POST /api/checkin with the page's CSRF token; the
   server decides and words the result, this file only shows it. The camera button appears
   only where the browser has BarcodeDetector with QR support and a camera; everywhere else
   the page works by typing (or a hand-held scanner that types), and with JavaScript off the
   form posts to the page itself. */
(function () {
  "use strict";

  var root = document.querySelector("[data-checkin]");
  if (!root) return;

  var form = root.querySelector("[data-checkin-form]");
  var codeInput = form.querySelector("input[name=code]");
  var showSelect = form.querySelector("select[name=show]");
  var submitButton = form.querySelector("[data-checkin-submit]");
  var cameraButton = form.querySelector("[data-checkin-camera]");
  var video = root.querySelector("[data-checkin-video]");
  var panel = root.querySelector("[data-checkin-result]");
  var headlines = JSON.parse(document.getElementById("checkin-headlines").textContent);
  var apiUrl = root.getAttribute("data-api-url");
  var busy = false;

  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  /* "2026-11-21T18:00:00+05:30" (the server sends IST) → "Sat 21 Nov 2026, 6:00 pm", read
     from the string itself so the device's time zone cannot shift it. */
  function showTime(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso || "");
    if (!m) return "";
    var day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
    var hour = +m[4];
    var clock = (hour % 12 || 12) + ":" + m[5] + " " + (hour < 12 ? "am" : "pm");
    return DAYS[day] + " " + +m[3] + " " + MONTHS[+m[2] - 1] + " " + m[1] + ", " + clock;
  }

  function csrfToken() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function detail(list, label, value) {
    var row = element("div");
    row.appendChild(element("dt", "", label));
    row.appendChild(element("dd", "", value || "\u2014"));
    list.appendChild(row);
  }

  function render(result, message, ticket) {
    panel.className = "checkin-result checkin-result--" + result;
    panel.replaceChildren(element("p", "checkin-result__headline", headlines[result] || result));
    panel.appendChild(element("p", "checkin-result__message", message));
    if (ticket) {
      var list = element("dl", "checkin-result__details");
      detail(list, "Seat", ticket.seat + (ticket.category ? " \u00b7 " + ticket.category : ""));
      detail(list, "Booking", ticket.booking);
      detail(list, "Customer", ticket.customer);
      detail(list, "Movie", ticket.movie);
      detail(list, "Rated", ticket.certification === "A" ? "A \u00b7 adults only (18+)" : ticket.certification);
      if (ticket.certification === "A") list.lastChild.className = "checkin-result__adults";
      detail(list, "Show", showTime(ticket.starts_at));
      detail(list, "Where", ticket.theater + ", " + ticket.screen);
      panel.appendChild(list);
    }
    panel.hidden = false;
  }

  function submit(code) {
    code = (code || "").trim();
    if (!code || busy) return;
    busy = true;
    submitButton.disabled = true;
    panel.className = "checkin-result checkin-result--pending";
    panel.setAttribute("aria-busy", "true");
    var body = { code: code.slice(0, 200), show: showSelect && showSelect.value ? Number(showSelect.value) : null };
    fetch(apiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json().then(
          function (data) {
            return { ok: response.ok, status: response.status, data: data };
          },
          function () {
            return { ok: false, status: response.status, data: {} };
          }
        );
      })
      .then(function (answer) {
        if (answer.ok) {
          render(answer.data.result, answer.data.message, answer.data.ticket);
          // Keep a mistyped code to correct it; clear the rest for the next ticket.
          if (answer.data.result === "invalid") codeInput.select();
          else codeInput.value = "";
        } else if (answer.status === 401 || answer.status === 403) {
          render("error", (answer.data.detail || "Not allowed.") + " Reload the page and sign in again if this persists.");
        } else {
          render("error", answer.data.detail || "The server could not check this code (" + answer.status + ").");
        }
      })
      .catch(function () {
        render("error", "Could not reach the server. Check the connection and try again.");
      })
      .finally(function () {
        busy = false;
        submitButton.disabled = false;
        panel.removeAttribute("aria-busy");
        if (!scanning) codeInput.focus();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit(codeInput.value);
  });

  codeInput.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      codeInput.value = "";
      panel.hidden = true;
    }
  });

  /* ---------- the camera (only where BarcodeDetector reads QR codes) ---------- */
  var scanning = false;
  var stream = null;
  var detector = null;
  var lastCode = "";
  var lastAt = 0;
  var REPEAT_MS = 4000; // the same QR held in front of the camera is one scan, not many

  function stopCamera() {
    scanning = false;
    if (stream) stream.getTracks().forEach(function (track) {
      track.stop();
    });
    stream = null;
    video.hidden = true;
    video.srcObject = null;
    cameraButton.textContent = "Scan with camera";
    cameraButton.setAttribute("aria-pressed", "false");
  }

  function scanLoop() {
    if (!scanning) return;
    if (video.readyState < 2 || busy) {
      window.setTimeout(scanLoop, 200);
      return;
    }
    detector
      .detect(video)
      .then(function (codes) {
        var now = Date.now();
        if (codes.length) {
          var raw = codes[0].rawValue || "";
          if (raw !== lastCode || now - lastAt > REPEAT_MS) {
            lastCode = raw;
            lastAt = now;
            codeInput.value = raw;
            submit(raw);
          } else {
            lastAt = now;
          }
        }
      })
      .catch(function () {})
      .finally(function () {
        window.setTimeout(scanLoop, 200);
      });
  }

  function startCamera() {
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        scanning = true;
        cameraButton.textContent = "Stop camera";
        cameraButton.setAttribute("aria-pressed", "true");
        return video.play().then(scanLoop);
      })
      .catch(function (error) {
        stopCamera();
        render("error", "The camera could not start (" + (error && error.name ? error.name : "no camera") + "). Type the code instead.");
        codeInput.focus();
      });
  }

  var canScan =
    "BarcodeDetector" in window &&
    window.isSecureContext &&
    navigator.mediaDevices &&
    typeof navigator.mediaDevices.getUserMedia === "function";
  if (canScan) {
    Promise.resolve(window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : [])
      .then(function (formats) {
        if (formats.indexOf("qr_code") === -1) return;
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        cameraButton.hidden = false;
        cameraButton.addEventListener("click", function () {
          if (scanning) stopCamera();
          else startCamera();
        });
        document.addEventListener("visibilitychange", function () {
          if (document.hidden && scanning) stopCamera();
        });
      })
      .catch(function () {});
  }
})();
