"""The demo catalogue: made-up films, theaters, seat layouts and staff logins.

Plain data only, so it reads like a brief. Dates are offsets from the day the command runs;
names are looked up before anything is created, so editing this file and re-running adds
what is new and leaves existing rows alone.
"""

HOME_HERO = {
    "hero_heading": "Tonight, the big screen is yours",
    "hero_text": "IMAX, recliners and Dolby Atmos in Mumbai and Bengaluru. Pick your seat in under a minute.",
}
MOVIE_INDEX = {"title": "Movies", "slug": "movies", "intro": "Everything on our screens this week, and what is coming next."}
THEATER_INDEX = {"title": "Theaters", "slug": "theaters", "intro": "Find a Marquee near you."}

GENRES = ["Action", "Animation", "Comedy", "Crime", "Drama", "Family", "Historical", "Musical", "Romance", "Sci-Fi", "Thriller"]
LANGUAGES = ["Hindi", "English", "Tamil", "Telugu", "Malayalam"]
AMENITIES = [
    "Recliners",
    "Dolby Atmos",
    "Food & beverages",
    "Wheelchair access",
    "Parking",
    "4K laser projection",
    "Baby-care room",
]

# --- seat layouts: rows from the screen backwards ---------------------------------------------
_FRONT, _MIDDLE, _BACK = "Classic", "Prime", "Recliner"
CATEGORY_NOTES = {
    "Recliner": "Power recliners in the last rows, with a side table.",
    "Prime": "Centre rows: the best sound and sight lines.",
    "Classic": "Front rows, closest to the screen.",
}


def _rows(labels: str, seats: int, category: str, **extra) -> list[dict]:
    return [{"label": label, "seats": seats, "category": category, **extra} for label in labels]


SEAT_LAYOUTS = [
    {
        "name": "Grand auditorium",
        "categories": [_BACK, _MIDDLE, _FRONT],
        "rows": [
            {
                "label": "A",
                "seats": 22,
                "category": _FRONT,
                "offset": 1,
                "aisles_after": "5, 17",
                "wheelchair": "1-2, 21-22",
                "companion": "3, 20",
            },
            *_rows("BCD", 22, _FRONT, offset=1, aisles_after="5, 17"),
            {"label": "E", "seats": 24, "category": _MIDDLE, "aisles_after": "6, 18", "walkway_before": True},
            *_rows("FGHIJK", 24, _MIDDLE, aisles_after="6, 18"),
            {"label": "L", "seats": 24, "category": _MIDDLE, "aisles_after": "6, 18", "blocked": "12-13"},
            {"label": "M", "seats": 14, "category": _BACK, "offset": 5, "aisles_after": "7", "walkway_before": True},
            {"label": "N", "seats": 14, "category": _BACK, "offset": 5, "aisles_after": "7"},
        ],
    },
    {
        "name": "Standard auditorium",
        "categories": [_MIDDLE, _FRONT],
        "rows": [
            {"label": "A", "seats": 18, "category": _FRONT, "aisles_after": "4, 14", "wheelchair": "17-18", "companion": "16"},
            *_rows("BCDE", 18, _FRONT, aisles_after="4, 14"),
            {"label": "F", "seats": 18, "category": _MIDDLE, "aisles_after": "4, 14", "walkway_before": True},
            *_rows("GHI", 18, _MIDDLE, aisles_after="4, 14"),
            {"label": "J", "seats": 18, "category": _MIDDLE, "aisles_after": "4, 14", "blocked": "9"},
        ],
    },
    {
        "name": "Studio",
        "categories": [_BACK, _MIDDLE, _FRONT],
        "rows": [
            {"label": "A", "seats": 14, "category": _FRONT, "aisles_after": "7", "wheelchair": "1", "companion": "2"},
            *_rows("BC", 14, _FRONT, aisles_after="7"),
            {"label": "D", "seats": 14, "category": _MIDDLE, "aisles_after": "7", "walkway_before": True},
            *_rows("EFGH", 14, _MIDDLE, aisles_after="7"),
            {"label": "I", "seats": 10, "category": _BACK, "offset": 2, "aisles_after": "5", "walkway_before": True},
            {"label": "J", "seats": 10, "category": _BACK, "offset": 2, "aisles_after": "5"},
        ],
    },
    {
        "name": "Lounge (60 recliners)",
        "categories": [_BACK],
        "category_notes": {_BACK: "Fully flat recliner with blanket and at-seat service."},
        "rows": [
            {"label": "A", "seats": 12, "category": _BACK, "aisles_after": "4, 8", "wheelchair": "1", "companion": "2"},
            *_rows("BCD", 12, _BACK, aisles_after="4, 8"),
            {"label": "E", "seats": 12, "category": _BACK, "aisles_after": "4, 8", "walkway_before": True},
        ],
    },
]

# --- legal entities: one GST registration per state (check characters computed, core/gstin.py)
LEGAL_ENTITIES = {
    "MH": {
        "legal_name": "Marquee Cinemas Private Limited",
        "address": "Level 3, Mill Compound, Senapati Bapat Marg, Lower Parel, Mumbai 400013",
        "state_code": "27",
        "gstin": "27AAACM1234A1Z8",
        "pan": "AAACM1234A",
        "invoice_prefix": "MQMH",
        "credit_note_prefix": "CNMH",
    },
    "KA": {
        "legal_name": "Marquee Cinemas Private Limited",
        "address": "4th floor, Orchid Square, 100 Feet Road, Indiranagar, Bengaluru 560038",
        "state_code": "29",
        "gstin": "29AAACM1234A1Z4",
        "pan": "AAACM1234A",
        "invoice_prefix": "MQKA",
        "credit_note_prefix": "CNKA",
    },
}

# --- theaters --------------------------------------------------------------------------------
THEATERS = [
    {
        "title": "Marquee Juhu",
        "slug": "marquee-juhu",
        "city": "Mumbai",
        "entity": "MH",
        "address": "Ground floor, Sea Breeze Arcade, Juhu Tara Road, Juhu, Mumbai 400049",
        "map_url": "https://www.openstreetmap.org/?mlat=19.1020&mlon=72.8265#map=17/19.1020/72.8265",
        "amenities": ["Recliners", "Dolby Atmos", "Food & beverages", "Wheelchair access", "Parking", "4K laser projection"],
        "screens": [
            ("IMAX", "IMAX", "Grand auditorium"),
            ("Screen 2", "3D", "Studio"),
            ("Screen 3", "2D", "Standard auditorium"),
            ("Lounge", "2D", "Lounge (60 recliners)"),
        ],
    },
    {
        "title": "Marquee Lower Parel",
        "slug": "marquee-lower-parel",
        "city": "Mumbai",
        "entity": "MH",
        "address": "Level 3, Mill Compound, Senapati Bapat Marg, Lower Parel, Mumbai 400013",
        "map_url": "https://www.openstreetmap.org/?mlat=18.9953&mlon=72.8258#map=17/18.9953/72.8258",
        "amenities": ["Recliners", "Dolby Atmos", "Food & beverages", "Wheelchair access", "Baby-care room"],
        "screens": [
            ("Screen 1", "2D", "Standard auditorium"),
            ("Screen 2", "2D", "Studio"),
            ("Gold Lounge", "2D", "Lounge (60 recliners)"),
        ],
    },
    {
        "title": "Marquee Indiranagar",
        "slug": "marquee-indiranagar",
        "city": "Bengaluru",
        "entity": "KA",
        "address": "4th floor, Orchid Square, 100 Feet Road, Indiranagar, Bengaluru 560038",
        "map_url": "https://www.openstreetmap.org/?mlat=12.9719&mlon=77.6412#map=17/12.9719/77.6412",
        "amenities": ["Dolby Atmos", "Food & beverages", "Wheelchair access", "Parking"],
        "screens": [
            ("Audi 1", "3D", "Grand auditorium"),
            ("Audi 2", "2D", "Standard auditorium"),
            ("Audi 3", "2D", "Studio"),
        ],
    },
]

# --- movies ----------------------------------------------------------------------------------
# released: days from today (negative = already out). formats: what prints exist; shows pick the
# best one a screen can project. poster: two gradient colours, an accent and a motif to draw.
MOVIES = [
    {
        "title": "Monsoon Express",
        "tagline": "One train. Nine stations. No brakes.",
        "synopsis": "When the overnight express from Mumbai to Madgaon loses its brakes in the middle of a "
        "cloudburst, a suspended railway cop and a teenage stowaway have nine stations to stop it.",
        "runtime": 158,
        "certification": "UA13+",
        "languages": ["Hindi", "Tamil", "Telugu"],
        "genres": ["Action", "Thriller"],
        "released": -4,
        "formats": ["2D", "IMAX"],
        "trailer": "https://www.youtube.com/watch?v=Mq3nT7xWb2E",
        "credits": [
            ("Rohan Khanna", "Director", ""),
            ("Varun Sehgal", "Actor", "Inspector Aditya Rane"),
            ("Meher Qureshi", "Actor", "Zoya"),
            ("K. Sudharsan", "Actor", "Loco pilot Murugan"),
            ("Anvay Desai", "Music", ""),
        ],
        "poster": {"top": "#0b2545", "bottom": "#13315c", "accent": "#f4a261", "motif": "rails"},
    },
    {
        "title": "The Last Lighthouse",
        "tagline": "The sea remembers everything.",
        "synopsis": "A marine biologist returns to the island lighthouse her grandfather kept, and finds its "
        "beam pointing at something under the Arabian Sea that should not be there.",
        "runtime": 142,
        "certification": "UA",
        "languages": ["English", "Hindi"],
        "genres": ["Sci-Fi", "Drama"],
        "released": -11,
        "formats": ["2D", "3D", "IMAX"],
        "trailer": "https://www.youtube.com/watch?v=Lh8pK2vQz0A",
        "credits": [
            ("Anita Fernandes", "Director", ""),
            ("Sara D'Costa", "Actor", "Dr. Maya Pereira"),
            ("Neil Mathews", "Actor", "Father Lobo"),
            ("Imran Baig", "Actor", "Salim"),
        ],
        "poster": {"top": "#001219", "bottom": "#005f73", "accent": "#e9d8a6", "motif": "beam"},
    },
    {
        "title": "காவேரி ப்ளூஸ்",  # a Tamil title: tickets print it in Noto Sans Tamil
        "slug": "kaveri-blues",
        "poster_title": "Kaveri Blues",
        "tagline": "Some songs only a river can finish.",
        "synopsis": "A washed-up Carnatic violinist and a Chennai street rapper are forced to share a houseboat "
        "in Kerala for one monsoon, and one unfinished song.",
        "runtime": 128,
        "certification": "U",
        "languages": ["Malayalam", "Tamil"],
        "genres": ["Drama", "Musical"],
        "released": -18,
        "formats": ["2D"],
        "trailer": "",
        "credits": [
            ("Jomon Varghese", "Director", ""),
            ("Aswathy Menon", "Actor", "Gayathri"),
            ("Arivu Selvan", "Actor", "MC Kuyil"),
            ("Sreeja Nair", "Music", ""),
        ],
        "poster": {"top": "#264653", "bottom": "#2a9d8f", "accent": "#e9c46a", "motif": "waves"},
    },
    {
        "title": "धूम धमाका शादी",  # a Hindi title: tickets print it in Noto Sans Devanagari
        "slug": "dhoom-dhamaka-shaadi",
        "poster_title": "Dhoom Dhamaka Shaadi",
        "tagline": "Four families. One wedding. Zero chill.",
        "synopsis": "A destination wedding in Udaipur goes sideways when both grooms turn up for the same bride, "
        "and her three aunts have each booked a different caterer.",
        "runtime": 136,
        "certification": "U",
        "languages": ["Hindi"],
        "genres": ["Comedy", "Romance", "Family"],
        "released": -25,
        "formats": ["2D"],
        "trailer": "",
        "credits": [
            ("Nandini Kapoor", "Director", ""),
            ("Ayaan Malhotra", "Actor", "Kabir"),
            ("Tanvi Arora", "Actor", "Rhea"),
            ("Rajesh Tiwari", "Actor", "Chachaji"),
            ("Kamla Rao", "Actor", "Bua"),
            ("Gaurav Joshi", "Music", ""),
        ],
        "poster": {"top": "#9d0208", "bottom": "#e85d04", "accent": "#ffba08", "motif": "sunburst"},
    },
    {
        "title": "Shadow of the Ghats",
        "tagline": "A kingdom is won in a single night.",
        "synopsis": "1674, the Western Ghats. A disgraced general leads three hundred rebels up a cliff no army "
        "has climbed, to take a fort before the monsoon closes the passes.",
        "runtime": 172,
        "certification": "UA16+",
        "languages": ["Telugu", "Hindi", "Tamil"],
        "genres": ["Action", "Historical"],
        "released": -6,
        "formats": ["2D", "3D", "IMAX"],
        "trailer": "https://www.youtube.com/watch?v=Gh4tS9rK1cY",
        "credits": [
            ("P. Venkatesh", "Director", ""),
            ("Tejas Varma", "Actor", "Senapati Veerabhadra"),
            ("Lavanya Reddy", "Actor", "Rani Chennamma"),
            ("Farooq Ali", "Actor", "Subedar Khan"),
            ("R. Keerthana", "Music", ""),
        ],
        "poster": {"top": "#10002b", "bottom": "#5a189a", "accent": "#ff9e00", "motif": "mountains"},
    },
    {
        "title": "Paper Kites",
        "tagline": "Hold on tight. The wind has plans.",
        "synopsis": "On the morning of Uttarayan, a shy paper kite from an Ahmedabad rooftop is carried off by "
        "the wind and has one day to find its way home. An animated adventure for the whole family.",
        "runtime": 102,
        "certification": "U",
        "languages": ["Hindi", "English"],
        "genres": ["Animation", "Family", "Comedy"],
        "released": -2,
        "formats": ["2D", "3D"],
        "trailer": "",
        "credits": [
            ("Neha Parikh", "Director", ""),
            ("Kunal Trivedi", "Voice", "Patang"),
            ("Ira Mehta", "Voice", "Chiku"),
        ],
        "poster": {"top": "#0077b6", "bottom": "#48cae4", "accent": "#ffafcc", "motif": "kites"},
    },
    {
        "title": "Red Sand Republic",
        "tagline": "In the desert, everyone is for sale.",
        "synopsis": "A Jaisalmer customs officer follows a smuggled consignment of rare-earth ore into a village "
        "that does not appear on any map, and a sarpanch who runs it like a country.",
        "runtime": 148,
        "certification": "A",
        "languages": ["Hindi"],
        "genres": ["Crime", "Thriller"],
        "released": 10,
        "formats": ["2D"],
        "trailer": "https://www.youtube.com/watch?v=Rs7dQ3pLx9U",
        "credits": [
            ("Siddharth Bhatia", "Director", ""),
            ("Devendra Yadav", "Actor", "Officer Bhairon Singh"),
            ("Ritika Das", "Actor", "Sarpanch Leela"),
            ("Harsh Saini", "Actor", "Tariq"),
        ],
        "poster": {"top": "#370617", "bottom": "#dc2f02", "accent": "#faa307", "motif": "dunes"},
    },
    {
        "title": "Orbit of Us",
        "tagline": "400 kilometres up. Still not over you.",
        "synopsis": "Two astronauts who divorced on Earth are the only crew left on India's first space station "
        "when ground control goes silent.",
        "runtime": 131,
        "certification": "UA7+",
        "languages": ["English", "Hindi", "Telugu"],
        "genres": ["Sci-Fi", "Romance"],
        "released": 24,
        "formats": ["2D", "3D", "IMAX"],
        "trailer": "",
        "credits": [
            ("Vikram Iyer", "Director", ""),
            ("Dev Sharma", "Actor", "Cmdr. Arjun Rao"),
            ("Swathi Naidu", "Actor", "Dr. Nila Rao"),
            ("Arjun Hameed", "Music", ""),
        ],
        "poster": {"top": "#03071e", "bottom": "#3a0ca3", "accent": "#4cc9f0", "motif": "orbit"},
    },
]

HERO_IMAGE = {"title": "Marquee home hero", "top": "#14001f", "bottom": "#7b2cbf", "accent": "#ffb703"}

# --- shows -----------------------------------------------------------------------------------
FIRST_SHOW = (9, 0)  # the earliest start time of the day on any screen
LAST_START = (23, 0)  # no show starts later than this
SHOWS_PER_SCREEN = 5
SCREEN_STAGGER_MINUTES = 15  # neighbouring screens start a little apart so the lobby breathes

# --- logins ----------------------------------------------------------------------------------
SUPERUSER = {"username": "admin", "password": "marquee-admin", "email": "admin@example.com", "first_name": "Admin"}
STAFF_USERS = [
    {"username": "editor", "password": "marquee-demo", "email": "editor@example.com", "first_name": "Esha", "group": "Editors"},
    {
        "username": "finance",
        "password": "marquee-demo",
        "email": "finance@example.com",
        "first_name": "Farhan",
        "group": "Finance",
    },
    {
        "username": "boxoffice",
        "password": "marquee-demo",
        "email": "boxoffice@example.com",
        "first_name": "Bhavna",
        "group": "Box office",
    },
]
