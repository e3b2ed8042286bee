"""The show page's seat map, drawn by ticketing so the cinema page model needs no ticketing code."""

from django import template

from ticketing.services.seatmap import seat_map_for

register = template.Library()


@register.simple_tag
def show_seat_map(show):
    """The live seat map of a show (one read of its seats): ``{% show_seat_map page as seat_map %}``."""
    return seat_map_for(show)
