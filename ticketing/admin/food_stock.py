"""Food stock in the admin: a new count row is typed in full once; after that staff record what
happened ("received 50", "wasted 3", "counted 42 on the shelf") and
ticketing.services.stock_adjust applies it as a change under the row's lock, so a checkout's
decrement made while the form was open is never overwritten."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.log_actions import LogFormatter
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from ticketing.errors import StockChangeRefused
from ticketing.models import ConcessionStock
from ticketing.services.stock_adjust import MAX_CHANGE, StockChange, adjust_stock, describe


class StockChangeForm(WagtailAdminModelForm):
    """What happened to the stock; never the count itself. ``loaded``: the count the form showed."""

    change = forms.ChoiceField(
        choices=StockChange.CHOICES, initial=StockChange.RECEIVED, widget=forms.RadioSelect, label="What happened"
    )
    amount = forms.IntegerField(
        min_value=0,
        max_value=MAX_CHANGE,
        label="How many",
        help_text="Received or wasted: how many. Counted: the total on the shelf.",
    )
    note = forms.CharField(
        max_length=200, required=False, help_text="Optional, kept in the history: a delivery note, why it was wasted."
    )
    loaded = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = ConcessionStock
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded"].initial = self.instance.quantity

    def save(self, commit=True):
        return self.instance  # the view applies the change through the service, never the count


CHANGE_PANEL = ObjectList(
    [
        FieldRowPanel(
            [
                FieldPanel("item", read_only=True),
                FieldPanel("theater", read_only=True),
                FieldPanel("quantity", read_only=True, heading="Count now"),
            ]
        ),
        FieldPanel("change"),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("note")]),
    ],
    base_form_class=StockChangeForm,
)


class StockChangeView(EditView):
    """The snippet's edit view, saving through adjust_stock(); a refusal is a form error."""

    success_message = "%(object)s: the change is recorded."

    def save_instance(self):
        data = self.form.cleaned_data
        done = adjust_stock(
            self.object.pk, data["change"], data["amount"], loaded=data["loaded"], by=self.request.user, note=data["note"]
        )
        return done.stock

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except StockChangeRefused as refusal:
            form.add_error("amount", refusal.message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = refusal.message
            return self.form_invalid(form)


class ConcessionStockViewSet(SnippetViewSet):
    model = ConcessionStock
    icon = "list-ol"
    menu_label = "Food stock"
    add_to_admin_menu = True
    menu_order = 212
    list_display = ["item", "theater", "quantity", "updated_at"]
    list_filter = ["theater"]
    panels = [FieldPanel("theater"), FieldPanel("item"), FieldPanel("quantity")]  # a new row: its first count
    edit_view_class = StockChangeView

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(panel=CHANGE_PANEL.bind_to_model(ConcessionStock), form_class=None, **kwargs)


class StockChangeFormatter(LogFormatter):
    label = "Change food stock"

    def format_message(self, log_entry):
        return describe(log_entry.data or {})
