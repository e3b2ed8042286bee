"""Film titles in every Indian script print as real glyphs on the PDF ticket: checked from
the fonts embedded in the PDF (each character's glyph has an outline), not from its text layer,
which a PDF of empty boxes would carry just the same (ticketing/services/pdf_fonts.py)."""

import io
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from cinema.models import MoviePage
from tests.tickets.conftest import confirm
from ticketing.services.pdf_fonts import SCRIPTS
from ticketing.services.ticket_pdf import render_booking_pdf

# WeasyPrint names an embedded @font-face font after its family ("Noto-Sans-Tamil-Bold"); a font
# the host's fontconfig fell back to keeps its own PostScript name ("NotoSansTamil-Regular").
BUNDLED = {family.replace(" ", "-") for family in SCRIPTS}

TITLES = {
    "Devanagari (Hindi)": "दंगल क्षत्रिय",
    "Devanagari (Marathi)": "सैराट",
    "Bengali": "পথের পাঁচালী",
    "Gurmukhi": "ਚੱਲ ਮੇਰਾ ਪੁੱਤ",
    "Gujarati": "હેલ્લારો",
    "Odia": "ଦମନ",
    "Tamil": "கபாலி",
    "Telugu": "బాహుబలి",
    "Kannada": "ಕಾಂತಾರ",
    "Malayalam": "മഞ്ഞുമ്മൽ ബോയ്സ്",
}


def _to_unicode(font) -> dict[int, str]:
    """The font's ToUnicode CMap: glyph id → the characters it stands for."""
    mapping = {}
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    for block in data.split("beginbfchar")[1:]:
        for line in block.split("endbfchar")[0].strip().splitlines():
            source, _, target = line.strip().partition(" ")
            target = target.strip().strip("<>")
            text = "".join(chr(int(target[i : i + 4], 16)) for i in range(0, len(target), 4))
            mapping[int(source.strip("<>"), 16)] = text
    return mapping


def drawn_characters(pdf: bytes) -> dict[str, set[str]]:
    """Every character some embedded font draws with a real glyph (an outline, not .notdef
    and not empty), with the fonts that draw it."""
    drawn: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            program = TTFont(io.BytesIO(descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()))
            glyphs, order = program["glyf"], program.getGlyphOrder()
            for gid, text in _to_unicode(font).items():
                glyph = glyphs[order[gid]] if 0 < gid < len(order) else None
                if glyph is None or glyph.numberOfContours == 0:
                    continue
                for char in text:
                    drawn.setdefault(char, set()).add(str(font["/BaseFont"]).partition("+")[2])
    return drawn


def letters(title: str) -> set[str]:
    return {c for c in title if not c.isspace() and unicodedata.category(c) != "Cf"}  # ZWJ/ZWNJ draw nothing


@pytest.mark.parametrize("script", TITLES)
def test_a_title_in_each_script_prints_with_real_glyphs(as_alice, alice, show, script):
    title = TITLES[script]
    MoviePage.objects.filter(pk=show.movie_id).update(title=title, draft_title=title)
    show.refresh_from_db()
    booking = confirm(as_alice, alice, show, ["A1"])
    pdf = render_booking_pdf(booking)
    drawn = drawn_characters(pdf)
    missing = sorted(c for c in letters(title) if c not in drawn)
    assert not missing, f"{script}: no glyph for {[f'U+{ord(c):04X} {unicodedata.name(c, c)}' for c in missing]}"
    assert "₹" in drawn and "A" in drawn  # the Latin and rupee glyphs still come from the base family
    families = {font.removesuffix("-Bold") for char in letters(title) for font in drawn[char]}
    assert families <= BUNDLED, families  # from the bundled fonts, not whatever the host has


def test_a_script_without_a_bundled_font_is_caught(as_alice, alice, show):
    """The check itself can fail: Ol Chiki has no bundled font, so its letters are either not
    drawn at all or drawn by some font the host happens to have."""
    title = "ᱥᱟᱱᱛᱟᱲᱤ"
    MoviePage.objects.filter(pk=show.movie_id).update(title=title, draft_title=title)
    show.refresh_from_db()
    drawn = drawn_characters(render_booking_pdf(confirm(as_alice, alice, show, ["A1"])))
    missing = [c for c in letters(title) if c not in drawn]
    foreign = {font.removesuffix("-Bold") for c in letters(title) for font in drawn.get(c, ())} - BUNDLED
    assert missing or foreign
