"""Age ratings at the box office: an A-rated film is held only by a customer who confirmed
being 18 or older, and the hold records who said so and when (docs/DESIGN.md §3)."""

from __future__ import annotations

from cinema.choices import ADULTS_ONLY
from ticketing.errors import AgeNotConfirmed


def rating_of(show) -> tuple[str, str]:
    """(certification, film title) of a hold's ShowFacts or of a ShowPage."""
    if hasattr(show, "certification"):
        return show.certification, show.movie_title
    return show.movie.certification, show.movie.title


def age_confirmation(show, user, confirmed: bool, now) -> tuple[object, int | None]:
    """(when, by whom) to record on the hold: an A-rated film needs the customer's word that
    they are 18 or older, refused without it; other films record nothing."""
    certification, title = rating_of(show)
    if certification not in ADULTS_ONLY:
        return None, None
    if not confirmed:
        raise AgeNotConfirmed(title)
    return now, user.pk
