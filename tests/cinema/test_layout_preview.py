"""The seat layout's live preview draws the grid editors are building, or lists its problems."""

import pytest
from django.test import RequestFactory

from tests.factories import make_layout, row

pytestmark = pytest.mark.django_db


def preview(layout):
    request = RequestFactory().get("/admin/")
    return layout.serve_preview(request, layout.default_preview_mode).render().content.decode()


def test_preview_draws_every_seat_with_its_state():
    layout = make_layout(rows=[row("A", 4, "Classic", blocked="2", wheelchair="4"), row("B", 3, "Prime")])
    html = preview(layout)
    for label in ("A1", "A3", "B3"):
        assert f'data-label="{label}"' in html
    assert 'data-label="A2" data-state="blocked"' in html
    assert 'data-label="A1" data-state="available"' in html
    assert "Classic" in html and "Prime" in html


def test_preview_of_an_invalid_layout_lists_the_problems():
    layout = make_layout()
    layout.rows = [("row", row("A", 4, "Nowhere"))]
    html = preview(layout)
    assert "uses category “Nowhere”" in html
