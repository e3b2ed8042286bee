/* Marquee: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  /* Words in the page's language: Django's JavaScript catalog (/jsi18n/<language>/, loaded
     before this file) gives gettext, ngettext, pgettext and interpolate; without it, English. */
  var fill = function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) {
      return String(values[name]);
    });
  };
  window.MarqueeText = {
    t: function (text, values) {
      var said = window.gettext ? window.gettext(text) : text;
      return values ? fill(said, values) : said;
    },
    n: function (one, many, count, values) {
      var said = window.ngettext ? window.ngettext(one, many, count) : count === 1 ? one : many;
      return fill(said, Object.assign({ count: count }, values || {}));
    },
    p: function (context, text) {
      return window.pgettext ? window.pgettext(context, text) : text;
    },
  };
  var _ = window.MarqueeText.t;

  /* Trailer facade: nothing is requested from the video host until the customer presses play. */
  function playTrailer(box) {
    var src = box.getAttribute("data-trailer");
    if (!src || !/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(src)) return;
    var frame = document.createElement("iframe");
    frame.src = src + (src.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    frame.title = box.getAttribute("data-trailer-title") || _("Trailer");
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
