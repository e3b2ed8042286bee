/* Marquee: the personal bits of a page that is the same for everyone (the show page is cached).
   Asks GET /api/session (which also sets the csrftoken cookie), then paints the header's
   "Your account" and "Sign out", hides the seat picker's sign-in note, and gives staff an
   "Edit this page" link. Without JavaScript the header offers "Sign in". */
(function () {
  "use strict";

  var box = document.querySelector("[data-session-url]");
  if (!box || !window.fetch) return;
  var _ = window.MarqueeText.t;

  var ICON =
    '<svg class="i" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="2"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>';

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function link(href, className, text) {
    var a = document.createElement("a");
    a.href = href;
    a.className = className;
    a.textContent = text;
    return a;
  }

  function paint(me) {
    var parts = [];
    if (me.staff_edit_url) parts.push(link(me.staff_edit_url, "btn btn--ghost btn--small", _("Edit this page")));
    if (me.authenticated) {
      var account = link(me.account_url, "site-account__link", "");
      account.innerHTML = ICON;
      var text = document.createElement("span");
      text.className = "site-account__text";
      text.textContent = _("Your account");
      account.appendChild(text);
      parts.push(account);

      var form = document.createElement("form");
      form.className = "site-account__form";
      form.method = "post";
      form.action = me.logout_url;
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrfToken();
      var button = document.createElement("button");
      button.className = "btn btn--ghost btn--small";
      button.type = "submit";
      button.textContent = _("Sign out");
      form.append(token, button);
      parts.push(form);
      document.querySelectorAll("[data-signin]").forEach(function (note) {
        note.hidden = true;
      });
    } else {
      var signIn = box.querySelector("[data-sign-in]");
      if (signIn) parts.push(signIn);
    }
    box.replaceChildren.apply(box, parts);
    box.setAttribute("data-session", me.authenticated ? "signed-in" : "signed-out");
  }

  fetch(box.getAttribute("data-session-url"), {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (me) {
      if (me) paint(me);
    })
    .catch(function () {
      /* the signed-out header stays: signing in still works */
    });
})();
