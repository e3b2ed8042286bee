"""The box office's check-in page in the Wagtail admin.

With JavaScript the page scans QR codes with the device camera (where the browser has
BarcodeDetector) or takes typed codes, and posts them to POST /api/checkin. Without it the
same form posts here and the server renders the result. Both go through
ticketing.services.checkin.check_in().
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cinema.models import ShowPage
from core.admin_access import RequirePermissionMixin
from core.formatting import showdatetime
from ticketing.errors import RateLimited
from ticketing.permissions import CHECK_IN
from ticketing.services.checkin import check_in, ticket_details

# The big word on the result panel, for the server-rendered page and for checkin.js.
HEADLINES = {
    "admitted": "Admit",
    "already_used": "Already used",
    "wrong_show": "Wrong show",
    "cancelled": "Cancelled",
    "invalid": "Invalid code",
    "error": "Not checked",
}


def get_door_shows():
    """Shows a door could be checking in: today's (including those already running) and
    tomorrow's, soonest first."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        ShowPage.objects.filter(starts_at__gte=today, starts_at__lt=today + timedelta(days=2))
        .select_related("movie", "screen__theater")
        .order_by("starts_at", "pk")[:300]
    )


def door_show_label(show: ShowPage) -> str:
    movie = show.movie.title if show.movie_id else show.title
    return f"{showdatetime(show.starts_at)} · {movie} · {show.screen.theater.title}, {show.screen.name}"


class CheckInForm(forms.Form):
    show = forms.ModelChoiceField(
        queryset=ShowPage.objects.none(), required=False, empty_label="Any show", label="Show at this door"
    )
    code = forms.CharField(max_length=200, label="Ticket code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A ModelChoiceField re-filters its queryset on validation; the slice must not reach it.
        ids = [show.pk for show in get_door_shows()]
        self.fields["show"].queryset = (
            ShowPage.objects.filter(pk__in=ids).select_related("movie", "screen__theater").order_by("starts_at", "pk")
        )
        self.fields["show"].label_from_instance = door_show_label
        self.fields["code"].widget.attrs.update(
            autocomplete="off",
            autocapitalize="characters",
            spellcheck="false",
            autofocus=True,
            placeholder="ABCD EFGH JKLM NPQR",
        )


class CheckInView(RequirePermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "ticketing/admin/checkin.html"
    form_class = CheckInForm
    admin_permission = CHECK_IN
    page_title = "Check-in"
    header_icon = "tick-inverse"
    breadcrumbs_items = []  # the plain header: a big "Check-in" title, nothing to navigate

    def get_initial(self):
        show = self.request.GET.get("show", "")
        return {"show": int(show)} if show.isdigit() and len(show) < 10 else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(api_url=reverse("api:checkin"), headlines=HEADLINES, action_url=reverse("ticketing_checkin"))
        return context

    def form_valid(self, form):
        """The no-JavaScript path: admit, then show the result over a fresh form that keeps
        the chosen show."""
        show = form.cleaned_data["show"]
        fresh = self.get_form_class()(initial={"show": show.pk if show else None})
        try:
            outcome = check_in(form.cleaned_data["code"], by=self.request.user, show_id=show.pk if show else None)
        except RateLimited as refusal:
            response = self.render_to_response(self.get_context_data(form=fresh, result=_panel("error", refusal.message)))
            response.status_code = 429
            return response
        panel = _panel(outcome.result, outcome.message)
        if outcome.ticket:
            panel.update(ticket=ticket_details(outcome.ticket), starts_at=outcome.ticket.show.starts_at, used_at=outcome.used_at)
        return self.render_to_response(self.get_context_data(form=fresh, result=panel))


def _panel(result: str, message: str) -> dict:
    return {"result": result, "headline": HEADLINES[result], "message": message}
