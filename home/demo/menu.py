"""The demo's food-and-drinks menu (what an Indian multiplex stand sells) and its pictures,
drawn locally with Pillow: a coloured card with a simple shape and the item's name."""

from __future__ import annotations

from io import BytesIO

from PIL import ImageDraw

from home.demo.posters import font, gradient

MENU_SIZE = (480, 360)
MENU = [
    # sku, name, description, price before GST, category, diet, allergens, colours, shape
    (
        "POP-R",
        "Salted popcorn (regular)",
        "Freshly popped, 90 g tub.",
        "180.00",
        "popcorn",
        "veg",
        "",
        ("#f6c945", "#c2410c"),
        "tub",
    ),
    (
        "POP-L",
        "Salted popcorn (large)",
        "Freshly popped, 150 g tub.",
        "260.00",
        "popcorn",
        "veg",
        "",
        ("#f6c945", "#c2410c"),
        "tub",
    ),
    (
        "POP-CL",
        "Caramel popcorn (large)",
        "Butter caramel, 150 g tub.",
        "300.00",
        "popcorn",
        "veg",
        "milk",
        ("#f59e0b", "#7c2d12"),
        "tub",
    ),
    (
        "NACHO",
        "Nachos with cheese dip",
        "Corn tortilla chips, jalapeños, warm cheese dip.",
        "220.00",
        "snacks",
        "veg",
        "milk",
        ("#fde68a", "#b45309"),
        "triangle",
    ),
    (
        "SAMOSA",
        "Samosa (2 pcs)",
        "Potato and pea, with mint chutney.",
        "120.00",
        "snacks",
        "veg",
        "gluten",
        ("#fbbf24", "#92400e"),
        "triangle",
    ),
    (
        "CHK-PUFF",
        "Chicken puff",
        "Flaky pastry, spiced chicken filling.",
        "150.00",
        "snacks",
        "non_veg",
        "gluten, egg",
        ("#fca5a5", "#7f1d1d"),
        "circle",
    ),
    ("COLA-M", "Cola (500 ml)", "Chilled, with ice.", "140.00", "drinks", "veg", "", ("#7f1d1d", "#111827"), "cup"),
    ("WATER", "Mineral water (500 ml)", "", "60.00", "drinks", "veg", "", ("#bae6fd", "#0369a1"), "cup"),
    (
        "COLD-COFFEE",
        "Cold coffee",
        "Blended with milk and ice.",
        "180.00",
        "drinks",
        "veg",
        "milk",
        ("#d6a77a", "#451a03"),
        "cup",
    ),
    (
        "COMBO-1",
        "Popcorn + cola combo",
        "Large salted popcorn and a 500 ml cola.",
        "360.00",
        "combos",
        "veg",
        "",
        ("#f97316", "#7c2d12"),
        "tub",
    ),
]
BUNDLE = (
    "BND-2R",
    "2 Recliners + 2 large popcorn",
    "Two recliner seats and two large salted popcorns.",
    "1400.00",
    "bundles",
    "veg",
    "",
    ("#a855f7", "#3b0764"),
    "tub",
)
BUNDLE_SEATS = (2, "Recliner")
DEMO_STOCK = {"SAMOSA": 40, "CHK-PUFF": 25}


def draw_item(name: str, colours: tuple[str, str], shape: str) -> bytes:
    """One menu picture: gradient, a shape standing for the item, its name."""
    image = gradient(MENU_SIZE, *colours)
    draw = ImageDraw.Draw(image)
    w, h = MENU_SIZE
    light = (255, 255, 255, 230)
    if shape == "tub":
        draw.polygon([(w * 0.32, h * 0.3), (w * 0.68, h * 0.3), (w * 0.62, h * 0.72), (w * 0.38, h * 0.72)], fill=light)
        for i in range(7):
            x = w * (0.34 + i * 0.05)
            draw.ellipse([x, h * 0.18, x + w * 0.07, h * 0.32], fill=(255, 248, 220, 255))
    elif shape == "cup":
        draw.polygon([(w * 0.38, h * 0.22), (w * 0.62, h * 0.22), (w * 0.58, h * 0.74), (w * 0.42, h * 0.74)], fill=light)
        draw.line([(w * 0.55, h * 0.1), (w * 0.52, h * 0.3)], fill=light, width=6)
    elif shape == "triangle":
        draw.polygon([(w * 0.5, h * 0.16), (w * 0.7, h * 0.72), (w * 0.3, h * 0.72)], fill=light)
    else:
        draw.ellipse([w * 0.34, h * 0.2, w * 0.66, h * 0.72], fill=light)
    draw.text((w / 2, h * 0.86), name, font=font(26), fill=(255, 255, 255, 255), anchor="mm")
    out = BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
