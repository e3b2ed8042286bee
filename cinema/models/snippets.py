"""Reference data editors manage as snippets: genres, languages, amenities and seat layouts."""

import contextlib

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin, RevisionMixin
from wagtail.search import index

from cinema.layouts import LayoutError, RowSpec, compile_layout, parse_numbers
from cinema.signals import seat_layout_edited


class NamedSnippet(index.Indexed, models.Model):
    """A short, unique name with a slug; the shape genres, languages and amenities share."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True, blank=True, help_text="Filled in from the name when left empty.")

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:60]
        super().save(*args, **kwargs)


class Genre(NamedSnippet):
    class Meta(NamedSnippet.Meta):
        pass


class Language(NamedSnippet):
    class Meta(NamedSnippet.Meta):
        pass


class Amenity(NamedSnippet):
    class Meta(NamedSnippet.Meta):
        verbose_name_plural = "amenities"


class NumberListBlock(blocks.CharBlock):
    """Seat numbers such as "1, 2, 7-9", checked as the editor saves."""

    def clean(self, value):
        value = super().clean(value)
        try:
            parse_numbers(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        return value


class CategoryBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=40, help_text="For example Recliner, Prime or Classic.")
    description = blocks.CharBlock(required=False, max_length=120, help_text="Shown to customers in the legend.")

    class Meta:
        icon = "tag"
        label_format = "{name}"


class RowBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=3, help_text="Row label printed on tickets, for example A.")
    seats = blocks.IntegerBlock(min_value=1, max_value=80, help_text="How many seats in this row.")
    category = blocks.CharBlock(max_length=40, help_text="One of the categories above, for example Prime.")
    first_number = blocks.IntegerBlock(default=1, min_value=1, max_value=999, help_text="Number of the leftmost seat.")
    offset = blocks.IntegerBlock(
        default=0,
        min_value=0,
        max_value=40,
        required=False,
        help_text="Empty places before the first seat, to centre a short row.",
    )
    aisles_after = NumberListBlock(required=False, help_text="Seat numbers followed by an aisle, for example 4, 14.")
    wheelchair = NumberListBlock(required=False, help_text="Wheelchair spaces, for example 1-2.")
    companion = NumberListBlock(
        required=False,
        help_text="Companion seats right beside a wheelchair space, for example 3. Kept for the wheelchair user's "
        "companion until the release time in Booking settings, then sold like any seat.",
    )
    blocked = NumberListBlock(required=False, help_text="Seats never sold (broken, camera position), for example 7.")
    walkway_before = blocks.BooleanBlock(required=False, help_text="Draw a walkway above this row.")

    class Meta:
        icon = "grip"
        label_format = "Row {label}: {seats} × {category}"


class SeatLayoutForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        self.instance._fields_invalid = bool({"categories", "rows"} & set(self.errors))
        return cleaned


class SeatLayout(PreviewableMixin, RevisionMixin, index.Indexed, models.Model):
    """A screen's seating plan. Screens point at a layout; editing it updates future shows
    without touching seats that are held or sold."""

    name = models.CharField(max_length=80, unique=True)
    categories = StreamField(
        [("category", CategoryBlock())],
        help_text="Seat categories from the best to the most affordable; shows set a price for each.",
    )
    rows = StreamField([("row", RowBlock())], help_text="Rows from the front (nearest the screen) to the back.")
    capacity = models.PositiveIntegerField(default=0, editable=False)

    base_form_class = SeatLayoutForm

    panels = [
        HelpPanel(content="Describe rows from the screen backwards. The preview panel draws the grid as customers will see it."),
        FieldPanel("name"),
        FieldPanel("categories"),
        FieldPanel("rows"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def category_names(self) -> list[str]:
        return [block.value["name"].strip() for block in self.categories if block.value.get("name")]

    def row_specs(self) -> list[RowSpec]:
        specs = []
        for block in self.rows:
            value = block.value
            specs.append(
                RowSpec(
                    label=value.get("label") or "",
                    seats=value.get("seats") or 0,
                    category=value.get("category") or "",
                    first_number=value.get("first_number") or 1,
                    offset=value.get("offset") or 0,
                    aisles_after=value.get("aisles_after") or "",
                    wheelchair=value.get("wheelchair") or "",
                    companion=value.get("companion") or "",
                    blocked=value.get("blocked") or "",
                    walkway_before=bool(value.get("walkway_before")),
                )
            )
        return specs

    def compile(self):
        """The validated seat list; raises LayoutError when the layout is not usable."""
        return compile_layout(self.category_names(), self.row_specs())

    def clean(self):
        super().clean()
        if getattr(self, "_fields_invalid", False):
            return  # the editor already sees the field's own error; the stale value would mislead
        try:
            compiled = self.compile()
        except LayoutError as exc:
            raise ValidationError(exc.messages) from exc
        self.capacity = compiled.capacity

    def save(self, *args, **kwargs):
        # clean() reports problems to editors; a layout saved from code unchecked keeps its count.
        with contextlib.suppress(LayoutError):
            self.capacity = self.compile().capacity
        updating = self.pk is not None
        super().save(*args, **kwargs)
        if updating:
            seat_layout_edited.send(sender=SeatLayout, layout=self)  # ticketing resyncs shows using it

    @property
    def default_preview_size(self):
        return "desktop"  # a 300-seat grid needs the width

    def get_preview_template(self, request, mode_name):
        return "cinema/seat_layout_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        try:
            context["layout"] = self.compile()
        except LayoutError as exc:
            context["errors"] = exc.messages
        return context
