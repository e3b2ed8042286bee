"""The showtime scheduler: a week of shows on several screens from one form."""

from datetime import timedelta

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cinema.permissions import SCHEDULE_SHOWS
from cinema.scheduler import SchedulerError, schedule_shows
from cinema.scheduler_form import SchedulerForm
from core.admin_access import RequirePermissionMixin


class SchedulerView(RequirePermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "cinema/admin/scheduler.html"
    form_class = SchedulerForm
    page_title = "Schedule shows"
    header_icon = "date"
    admin_permission = SCHEDULE_SHOWS

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_initial(self):
        today = timezone.localdate()
        initial = {"first_day": today, "last_day": today + timedelta(days=6), "times": "10:00, 13:30, 17:00, 20:30"}
        movie_id = self.request.GET.get("movie", "")
        if movie_id.isdigit():
            initial["movie"] = int(movie_id)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("cinema_scheduler"), submit_button_label="Create shows", submit_button_active_label="Creating…"
        )
        context["media"] = context["form"].media
        return context

    def form_valid(self, form):
        try:
            result = schedule_shows(form.to_request(), user=self.request.user)
        except SchedulerError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        state = "published" if form.cleaned_data.get("publish") else "saved as drafts"
        messages.success(
            self.request,
            f"{len(result.created)} shows {state}; {len(result.skipped)} already existed; {len(result.refused)} refused.",
        )
        return self.render_to_response(self.get_context_data(form=form, result=result))
