"""The bulk scheduler's form: one movie on several screens over a range of days."""

from datetime import time

from django import forms
from wagtail.admin.widgets import AdminDateInput

from cinema.choices import FORMATS
from cinema.models import Language, MoviePage, Screen, SeatLayout
from cinema.scheduler import ScheduleRequest


class ScreenChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.theater.title} — {obj.name} ({obj.format}, {obj.seat_layout.capacity} seats)"


def parse_times(text: str) -> list:
    """ "10:00, 13:30 19:45" → sorted distinct times; a ValidationError names the bad entry."""
    found = set()
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        part = part.strip()
        if not part:
            continue
        hours, sep, minutes = part.partition(":")
        if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60):
            raise forms.ValidationError(f"“{part}” is not a time like 19:30 (24-hour clock).")
        found.add(time(int(hours), int(minutes)))
    if not found:
        raise forms.ValidationError("Give at least one start time, for example 10:00, 13:30, 19:45.")
    if len(found) > 12:
        raise forms.ValidationError("At most 12 start times a day.")
    return sorted(found)


class SchedulerForm(forms.Form):
    """One movie, several screens, a date range and start times → many shows."""

    movie = forms.ModelChoiceField(queryset=None, help_text="Shows are created under this movie's page.")
    screens = ScreenChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    first_day = forms.DateField(widget=AdminDateInput)
    last_day = forms.DateField(widget=AdminDateInput, help_text="Inclusive.")
    times = forms.CharField(
        label="Start times", help_text="24-hour clock, separated by commas: 10:00, 13:30, 17:00, 20:30.", max_length=200
    )
    language = forms.ModelChoiceField(queryset=None)
    format = forms.ChoiceField(choices=FORMATS, initial="2D")
    max_per_booking = forms.IntegerField(min_value=1, max_value=20, initial=10, label="Most seats per booking")
    publish = forms.TypedChoiceField(
        choices=[("1", "Publish now (on sale at once)"), ("", "Save as drafts to review")],
        coerce=bool,
        empty_value=False,
        initial="1",
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["movie"].queryset = MoviePage.objects.order_by("title")
        self.fields["screens"].queryset = Screen.objects.select_related("theater", "seat_layout").order_by(
            "theater__title", "sort_order", "name"
        )
        self.fields["language"].queryset = Language.objects.all()
        categories: list[str] = []
        for layout in SeatLayout.objects.all():
            categories += [c for c in layout.category_names() if c not in categories]
        self.price_fields = {}
        for index, category in enumerate(categories):
            name = f"price_{index}"
            self.fields[name] = forms.DecimalField(
                label=f"Price — {category} (₹)",
                required=False,
                min_value=1,
                max_digits=8,
                decimal_places=2,
                help_text="Leave empty to take each show's price from its screen's or theater's price card; "
                "a price typed here overrides the card.",
            )
            self.price_fields[name] = category

    def clean_times(self):
        return parse_times(self.cleaned_data["times"])

    def prices(self) -> dict:
        return {cat: self.cleaned_data.get(name) for name, cat in self.price_fields.items() if self.cleaned_data.get(name)}

    def to_request(self):
        data = self.cleaned_data
        return ScheduleRequest(
            movie=data["movie"],
            screens=list(data["screens"]),
            first_day=data["first_day"],
            last_day=data["last_day"],
            times=data["times"],
            language=data["language"],
            format=data["format"],
            prices=self.prices(),
            publish=bool(data.get("publish")),
            max_per_booking=data["max_per_booking"],
        )
