"""Fixed vocabularies of Indian cinema."""

from django.utils.translation import gettext_lazy as _

CERTIFICATIONS = [
    ("U", _("U — universal")),
    ("UA", _("UA — parental guidance")),
    ("UA7+", "UA 7+"),
    ("UA13+", "UA 13+"),
    ("UA16+", "UA 16+"),
    ("A", _("A — adults only")),
    ("S", _("S — specialised audiences")),
]

# Films only adults may watch: the customer confirms being 18 or older before holding seats.
ADULTS_ONLY = frozenset({"A"})
# UA films with an age in the rating: the show page tells parents what the rating means.
AGE_NOTICES = {
    "UA13+": _("Rated UA 13+: children under 13 may watch only with a parent or guardian."),
    "UA16+": _("Rated UA 16+: children under 16 may watch only with a parent or guardian."),
}

FORMATS = [("2D", "2D"), ("3D", "3D"), ("IMAX", "IMAX"), ("4DX", "4DX")]

# What each kind of screen can project: every screen shows 2D, 3D needs a 3D-capable room.
SCREEN_SUPPORTS = {
    "2D": {"2D"},
    "3D": {"2D", "3D"},
    "IMAX": {"2D", "3D", "IMAX"},
    "4DX": {"2D", "3D", "4DX"},
}

# Accessibility tags a show can carry: (query value, label, ShowPage field, short label for chips).
ACCESSIBILITY = [
    ("cc", _("Captions (CC)"), "captions", "CC"),
    ("audio_description", _("Audio description"), "audio_description", "AD"),
    ("sensory_friendly", _("Sensory-friendly"), "sensory_friendly", _("Sensory-friendly")),
]

# Times of day customers filter showtimes by: (query value, label, local hours [from, to)).
# Night runs past midnight: 8 pm to 6 am.
TIME_BANDS = [
    ("morning", _("Morning (6 am–12 pm)"), (6, 12)),
    ("matinee", _("Matinee (12–4 pm)"), (12, 16)),
    ("evening", _("Evening (4–8 pm)"), (16, 20)),
    ("night", _("Night (after 8 pm)"), (20, 30)),
]
