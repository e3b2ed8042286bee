"""Cinema content: snippets, the food-and-drinks menu, movies, theaters and shows, split by concern."""

from .concessions import ConcessionCategory, ConcessionItem, DietMark, TheaterConcession
from .legal_entities import LegalEntity
from .movies import Credit, MovieIndexPage, MoviePage
from .price_cards import Holiday, PriceCard, PriceRule
from .shows import ShowPage, ShowPrice, ShowStatus
from .snippets import Amenity, Genre, Language, SeatLayout
from .tax_waivers import TaxWaiver
from .theaters import Screen, TheaterIndexPage, TheaterPage

__all__ = [
    "Amenity",
    "ConcessionCategory",
    "ConcessionItem",
    "DietMark",
    "TheaterConcession",
    "Credit",
    "Genre",
    "Holiday",
    "PriceCard",
    "PriceRule",
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
