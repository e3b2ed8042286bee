"""Poster and hero art drawn locally with Pillow: no downloads, the same picture every run.

Each poster is a bold two-colour gradient, a motif that hints at the film (rails, a lighthouse
beam, waves…), the title in big type and the certification in a badge.
"""

from __future__ import annotations

import math
import random
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFilter, ImageFont

POSTER_SIZE = (600, 900)
HERO_SIZE = (1920, 720)  # 16:6, as HomePage.hero_image asks
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def font(size: int, bold: bool = True) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """DejaVu when the system has it, else Pillow's built-in font at the same size."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _rgba(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    return (*ImageColor.getrgb(colour)[:3], alpha)


def gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    """A vertical gradient, built from Pillow's linear ramp rather than pixel by pixel."""
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask).convert("RGBA")


# --- motifs: each draws on a transparent layer the size of the picture --------------------------
def _rails(draw, w, h, accent, rnd):
    vanish = (w // 2, int(h * 0.36))
    for x in (-w // 2, int(w * 0.2), int(w * 0.8), int(w * 1.5)):
        draw.line([vanish, (x, h)], fill=_rgba(accent, 200), width=10)
    for i in range(1, 14):
        y = vanish[1] + (h - vanish[1]) * (i / 14) ** 1.6
        half = (y - vanish[1]) * 1.1
        draw.line([(w // 2 - half, y), (w // 2 + half, y)], fill=_rgba(accent, 110), width=max(2, i))
    draw.ellipse([vanish[0] - 46, vanish[1] - 46, vanish[0] + 46, vanish[1] + 46], fill=_rgba("#ffffff", 235))


def _beam(draw, w, h, accent, rnd):
    top = (int(w * 0.3), int(h * 0.28))
    draw.polygon([top, (w + 40, int(h * 0.05)), (w + 40, int(h * 0.42))], fill=_rgba(accent, 120))
    draw.rectangle([top[0] - 28, top[1], top[0] + 28, int(h * 0.62)], fill=_rgba("#f8f9fa", 230))
    for y in range(top[1] + 40, int(h * 0.62), 60):
        draw.rectangle([top[0] - 28, y, top[0] + 28, y + 22], fill=_rgba("#d62828", 220))
    draw.ellipse([top[0] - 22, top[1] - 36, top[0] + 22, top[1] + 8], fill=_rgba(accent, 255))
    for _ in range(60):
        x, y = rnd.randrange(w), rnd.randrange(int(h * 0.3))
        draw.ellipse([x, y, x + 3, y + 3], fill=_rgba("#ffffff", rnd.randrange(80, 220)))


def _waves(draw, w, h, accent, rnd):
    for band in range(6):
        base = h * (0.3 + band * 0.08)
        points = [(x, base + 26 * math.sin(x / 55 + band * 1.3)) for x in range(0, w + 10, 10)]
        draw.polygon([*points, (w, h), (0, h)], fill=_rgba(accent if band % 2 else "#ffffff", 40 + band * 22))
    draw.ellipse([w * 0.58, h * 0.08, w * 0.86, h * 0.27], fill=_rgba(accent, 230))


def _sunburst(draw, w, h, accent, rnd):
    cx, cy = w // 2, int(h * 0.38)
    for i in range(24):
        a0, a1 = math.radians(i * 15), math.radians(i * 15 + 7)
        far = w * 1.4
        draw.polygon(
            [(cx, cy), (cx + far * math.cos(a0), cy + far * math.sin(a0)), (cx + far * math.cos(a1), cy + far * math.sin(a1))],
            fill=_rgba(accent, 70),
        )
    draw.ellipse([cx - 120, cy - 120, cx + 120, cy + 120], fill=_rgba(accent, 240))
    for _ in range(90):
        x, y = rnd.randrange(w), rnd.randrange(h)
        colour = rnd.choice(["#ffffff", "#ff006e", "#3a86ff", accent])
        draw.rectangle([x, y, x + 8, y + 14], fill=_rgba(colour, 200))


def _mountains(draw, w, h, accent, rnd):
    draw.ellipse([w * 0.55, h * 0.1, w * 0.85, h * 0.3], fill=_rgba(accent, 235))
    for layer, alpha in enumerate((90, 150, 230)):
        base = h * (0.42 + layer * 0.1)
        points, x = [(0, h)], 0
        while x <= w:
            points.append((x, base - rnd.randrange(40, 180)))
            x += rnd.randrange(70, 140)
        points += [(w, base - 60), (w, h)]
        draw.polygon(points, fill=_rgba("#000000", alpha))


def _kites(draw, w, h, accent, rnd):
    colours = [accent, "#ffd166", "#06d6a0", "#118ab2", "#ffffff"]
    for i in range(9):
        cx, cy, r = rnd.randrange(60, w - 60), rnd.randrange(60, int(h * 0.6)), rnd.randrange(28, 70)
        draw.line([(cx, cy + r), (cx + rnd.randrange(-120, 120), h)], fill=_rgba("#ffffff", 120), width=2)
        draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=_rgba(colours[i % len(colours)], 235))


def _dunes(draw, w, h, accent, rnd):
    draw.ellipse([w * 0.2, h * 0.12, w * 0.8, h * 0.52], fill=_rgba(accent, 220))
    for layer in range(4):
        base = h * (0.45 + layer * 0.09)
        points = [(x, base + 40 * math.sin(x / (120 + layer * 30) + layer)) for x in range(0, w + 10, 10)]
        draw.polygon([*points, (w, h), (0, h)], fill=_rgba("#3d0c02", 120 + layer * 40))


def _orbit(draw, w, h, accent, rnd):
    for _ in range(140):
        x, y = rnd.randrange(w), rnd.randrange(h)
        draw.ellipse([x, y, x + 2, y + 2], fill=_rgba("#ffffff", rnd.randrange(60, 255)))
    cx, cy = w // 2, int(h * 0.38)
    for k in range(3):
        draw.ellipse(
            [cx - 250 + k * 30, cy - 70 - k * 25, cx + 250 - k * 30, cy + 70 + k * 25], outline=_rgba(accent, 160), width=3
        )
    draw.ellipse([cx - 95, cy - 95, cx + 95, cy + 95], fill=_rgba(accent, 235))
    draw.ellipse([cx + 180, cy - 40, cx + 206, cy - 14], fill=_rgba("#ffffff", 255))


MOTIFS = {
    "rails": _rails,
    "beam": _beam,
    "waves": _waves,
    "sunburst": _sunburst,
    "mountains": _mountains,
    "kites": _kites,
    "dunes": _dunes,
    "orbit": _orbit,
}


# --- type ------------------------------------------------------------------------------------
def _wrap(draw, text: str, typeface, max_width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=typeface) > max_width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def _fit_title(draw, text: str, max_width: int, max_lines: int = 3):
    """The biggest type at which the title fits in the width on at most max_lines lines."""
    for size in range(104, 39, -4):
        typeface = font(size)
        lines = _wrap(draw, text.upper(), typeface, max_width)
        if len(lines) <= max_lines and all(draw.textlength(line, font=typeface) <= max_width for line in lines):
            return typeface, lines, size
    typeface = font(40)
    return typeface, _wrap(draw, text.upper(), typeface, max_width), 40


def _shadowed_text(canvas: Image.Image, xy, text: str, typeface, fill="#ffffff"):
    left, top, right, bottom = ImageDraw.Draw(canvas).textbbox(xy, text, font=typeface)
    pad = 20  # room for the blur; only this box is blurred, not the whole poster
    shadow = Image.new("RGBA", (int(right - left) + 2 * pad, int(bottom - top) + 2 * pad), (0, 0, 0, 0))
    ImageDraw.Draw(shadow).text((xy[0] - left + pad + 4, xy[1] - top + pad + 5), text, font=typeface, fill=(0, 0, 0, 170))
    canvas.alpha_composite(shadow.filter(ImageFilter.GaussianBlur(5)), dest=(max(int(left) - pad, 0), max(int(top) - pad, 0)))
    ImageDraw.Draw(canvas).text(xy, text, font=typeface, fill=fill)


def _darker(a: str, b: str) -> str:
    def luminance(colour):
        r, g, b = ImageColor.getrgb(colour)[:3]
        return 0.299 * r + 0.587 * g + 0.114 * b

    return a if luminance(a) <= luminance(b) else b


def _png(canvas: Image.Image) -> bytes:
    out = BytesIO()
    canvas.convert("RGB").save(out, format="PNG")
    return out.getvalue()


def draw_poster(title: str, certification: str, tagline: str, style: dict) -> bytes:
    """A 600x900 PNG poster for one film."""
    w, h = POSTER_SIZE
    rnd = random.Random(title)
    canvas = gradient(POSTER_SIZE, style["top"], style["bottom"])
    layer = Image.new("RGBA", POSTER_SIZE, (0, 0, 0, 0))
    MOTIFS.get(style.get("motif"), _orbit)(ImageDraw.Draw(layer), w, h, style["accent"], rnd)
    canvas.alpha_composite(layer)
    # darken the lower half so the type always reads
    shade = Image.composite(
        Image.new("RGBA", POSTER_SIZE, (0, 0, 0, 225)), Image.new("RGBA", POSTER_SIZE, (0, 0, 0, 0)), gradient_mask(h)
    )
    canvas.alpha_composite(shade)

    draw = ImageDraw.Draw(canvas)
    typeface, lines, size = _fit_title(draw, title, w - 70)
    line_height = int(size * 1.08)
    y = h - 205 - line_height * len(lines)
    for line in lines:
        _shadowed_text(canvas, ((w - draw.textlength(line, font=typeface)) / 2, y), line, typeface)
        y += line_height

    small = font(24, bold=False)
    draw.text((w / 2, h - 178), tagline, font=small, fill=_rgba(style["accent"]), anchor="ma")

    badge = font(54)
    box = draw.textbbox((0, 0), certification, font=badge)
    bw, bh = box[2] - box[0] + 44, box[3] - box[1] + 30
    left, top = (w - bw) // 2, h - 120
    draw.rounded_rectangle([left, top, left + bw, top + bh], radius=14, fill=(255, 255, 255, 240))
    draw.text((w / 2, top + bh / 2), certification, font=badge, fill=_rgba(_darker(style["top"], style["bottom"])), anchor="mm")
    draw.text((w / 2, 26), "MARQUEE PICTURES PRESENTS", font=font(18), fill=(255, 255, 255, 200), anchor="ma")
    return _png(canvas)


def gradient_mask(height: int) -> Image.Image:
    """Transparent at the top half, opaque at the bottom, for the text shade."""
    ramp = Image.linear_gradient("L").resize((POSTER_SIZE[0], height))
    return ramp.point(lambda v: max(0, (v - 128) * 2))


def draw_hero(style: dict) -> bytes:
    """A wide backdrop for the home page: a glowing screen between curtains, over rows of seats."""
    w, h = HERO_SIZE
    rnd = random.Random(style.get("title", "hero"))
    canvas = gradient(HERO_SIZE, style["top"], style["bottom"])
    glow = Image.new("RGBA", HERO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(glow)
    screen = (int(w * 0.24), int(h * 0.12), int(w * 0.76), int(h * 0.56))
    draw.rounded_rectangle(screen, radius=18, fill=_rgba(style["accent"], 150))
    for corner in ((int(w * 0.02), -10), (int(w * 0.98), -10)):
        draw.polygon([corner, (screen[0] + 60, screen[3]), (screen[2] - 60, screen[3])], fill=_rgba(style["accent"], 30))
    canvas.alpha_composite(glow.filter(ImageFilter.GaussianBlur(40)))

    layer = Image.new("RGBA", HERO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(160):
        x, y = rnd.randrange(w), rnd.randrange(int(h * 0.7))
        draw.ellipse([x, y, x + 3, y + 3], fill=_rgba("#ffffff", rnd.randrange(30, 150)))
    draw.rounded_rectangle(screen, radius=10, fill=_rgba("#fff3d6", 235))
    for side in (0, 1):
        for fold in range(9):
            x0 = fold * 42 if side == 0 else w - (fold + 1) * 42
            shade = "#7a0c1e" if fold % 2 else "#a4161a"
            draw.rectangle([x0, 0, x0 + 42, h], fill=_rgba(shade, 255 - fold * 22))
    for row in range(5):
        size = 58 - row * 7
        y = h - 40 - row * (size + 10) + int(abs(row - 2) * 2)
        for x in range(-size, w + size, size + 12):
            bow = int(18 * ((x - w / 2) / (w / 2)) ** 2)
            draw.rounded_rectangle([x, y - bow, x + size, y - bow + size], radius=10, fill=_rgba("#0b0014", 235 - row * 30))
    canvas.alpha_composite(layer)
    return _png(canvas)
