/* Marquee: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  /* Trailer facade: nothing is requested from the video host until the customer presses play. */
  function playTrailer(box) {
    var src = box.getAttribute("data-trailer");
    if (!src || !/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(src)) return;
    var frame = document.createElement("iframe");
    frame.src = src + (src.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    frame.title = box.getAttribute("data-trailer-title") || "Trailer";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "trailer__frame";
    box.replaceChildren(frame);
    box.classList.add("is-playing");
    frame.focus();
  }

  /* Seat maps wider than the screen start centred, where the best seats are. */
  document.querySelectorAll(".seatmap__scroll").forEach(function (box) {
    var extra = box.scrollWidth - box.clientWidth;
    if (extra > 1) box.scrollLeft = extra / 2;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".trailer__play");
    if (button) playTrailer(button.closest("[data-trailer]"));
  });
})();
