"""Cinema content: snippets, the food-and-drinks menu, movies, theaters and shows, split by concern."""

from .concessions import ConcessionCategory, ConcessionItem, DietMark, TheaterConcession
from .movies import Credit, MovieIndexPage, MoviePage
from .shows import ShowPage, ShowPrice, ShowStatus
from .snippets import Amenity, Genre, Language, SeatLayout
from .theaters import Screen, TheaterIndexPage, TheaterPage

__all__ = [
    "Amenity",
    "ConcessionCategory",
    "ConcessionItem",
    "DietMark",
    "TheaterConcession",
    "Credit",
    "Genre",
    "Language",
    "MovieIndexPage",
    "MoviePage",
    "Screen",
    "SeatLayout",
    "ShowPage",
    "ShowPrice",
    "ShowStatus",
    "TheaterIndexPage",
    "TheaterPage",
]
