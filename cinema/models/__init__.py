"""Cinema content: snippets, movies, theaters and shows, split by concern."""

from .legal_entities import LegalEntity
from .movies import Credit, MovieIndexPage, MoviePage
from .shows import ShowPage, ShowPrice, ShowStatus
from .snippets import Amenity, Genre, Language, SeatLayout
from .tax_waivers import TaxWaiver
from .theaters import Screen, TheaterIndexPage, TheaterPage

__all__ = [
    "Amenity",
    "Credit",
    "Genre",
    "Language",
    "LegalEntity",
    "MovieIndexPage",
    "MoviePage",
    "Screen",
    "SeatLayout",
    "ShowPage",
    "ShowPrice",
    "ShowStatus",
    "TaxWaiver",
    "TheaterIndexPage",
    "TheaterPage",
]
