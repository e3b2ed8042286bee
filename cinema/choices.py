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

FORMATS = [("2D", "2D"), ("3D", "3D"), ("IMAX", "IMAX"), ("4DX", "4DX")]

# What each kind of screen can project: every screen shows 2D, 3D needs a 3D-capable room.
SCREEN_SUPPORTS = {
    "2D": {"2D"},
    "3D": {"2D", "3D"},
    "IMAX": {"2D", "3D", "IMAX"},
    "4DX": {"2D", "3D", "4DX"},
}
