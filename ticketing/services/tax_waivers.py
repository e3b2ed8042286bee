"""Whether a show's admission is tax-free in its state (cinema.TaxWaiver): read by quote() on
every hold and checkout, so kept in the cache under the content version, which a waiver's or a
page's save bumps."""

from __future__ import annotations

from cinema.models import ShowPage, TaxWaiver
from core.version_cache import cached
from ticketing.services.invoice_numbers import IST


def waiver_key(show_id: int) -> str:
    return f"show-waiver:{show_id}"


def state_waived(show_id: int) -> bool:
    """True when the show's state waived its GST share on this film for the show's date."""

    def load():
        row = (
            ShowPage.objects.filter(pk=show_id)
            .values_list("movie_id", "starts_at", "screen__theater__legal_entity__state_code")
            .first()
        )
        if row is None or not row[2]:
            return {"waived": False}
        movie_id, starts_at, state = row
        day = starts_at.astimezone(IST).date()
        waived = TaxWaiver.objects.filter(movie_id=movie_id, state_code=state, starts_on__lte=day, ends_on__gte=day).exists()
        return {"waived": waived}

    return cached(waiver_key(show_id), load)["waived"]
