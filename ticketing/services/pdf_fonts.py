"""The fonts every PDF embeds: DejaVu Sans for Latin and the ₹ sign, then one Noto Sans family
per Indian script, all shipped in static/fonts (OFL and the DejaVu licence beside them), so a
PDF never depends on what the host has installed.

The templates name them in one ``font-family`` stack; Pango (under WeasyPrint) takes each
character from the first family in the stack that has a glyph for it, and HarfBuzz shapes
conjuncts and matras within that family. Only the glyphs used are embedded.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
BASE_FAMILY = "Ticket Sans"
# family → file stem in static/fonts/noto/ (…-Regular.ttf, …-Bold.ttf)
SCRIPTS = {
    "Noto Sans Devanagari": "NotoSansDevanagari",  # Hindi, Marathi
    "Noto Sans Bengali": "NotoSansBengali",
    "Noto Sans Gurmukhi": "NotoSansGurmukhi",
    "Noto Sans Gujarati": "NotoSansGujarati",
    "Noto Sans Oriya": "NotoSansOriya",
    "Noto Sans Tamil": "NotoSansTamil",
    "Noto Sans Telugu": "NotoSansTelugu",
    "Noto Sans Kannada": "NotoSansKannada",
    "Noto Sans Malayalam": "NotoSansMalayalam",
}


@cache
def font_faces() -> tuple[dict, ...]:
    """Each family with its regular and bold files as file: URIs, the base family first."""
    faces = [
        {"family": BASE_FAMILY, "regular": (FONTS / "DejaVuSans.ttf").as_uri(), "bold": (FONTS / "DejaVuSans-Bold.ttf").as_uri()}
    ]
    for family, stem in SCRIPTS.items():
        noto = FONTS / "noto"
        faces.append(
            {"family": family, "regular": (noto / f"{stem}-Regular.ttf").as_uri(), "bold": (noto / f"{stem}-Bold.ttf").as_uri()}
        )
    return tuple(faces)


def font_stack() -> str:
    return ", ".join(f'"{face["family"]}"' for face in font_faces())


def context() -> dict:
    """What templates/ticketing/pdf/fonts.html needs, and the script families by name for a
    print view shown in a browser (which takes them from the system, if it has them)."""
    return {"pdf_fonts": font_faces(), "pdf_font_stack": font_stack(), "script_font_stack": ", ".join(f'"{f}"' for f in SCRIPTS)}
