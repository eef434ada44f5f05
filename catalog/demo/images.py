"""Pictures for the demo catalogue, drawn locally with Pillow.

The machines have no internet, and photographs of real products would need their owners' licence
anyway, so each demo product gets an illustration of its OCOP group (a bowl of fruit for food, a
bottle for drinks, a herbal jar, a basket, a potted plant, a stilt house for tourism) in the
group's colours, varied per product, with no text: the storefront prints the name under it.
Producers get a round logo with their initials, drawn on a 4:3 canvas so that the listings' 4:3
thumbnail (`THUMB_RENDITION`) keeps the whole disc. Text needs a font with Vietnamese glyphs:
DejaVu Sans if the system has it, otherwise Pillow's built-in scalable font (Pillow ≥ 10.1).
"""

import hashlib
import random
from functools import cache
from io import BytesIO
from pathlib import Path

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from wagtail.images import get_image_model

DEMO_TAG = "demo-ocop"

# Two gradient colours per OCOP group (by group slug), and a fallback.
GROUP_COLOURS = {
    "thuc-pham": ((244, 162, 89), (180, 62, 48)),
    "do-uong": ((120, 190, 220), (36, 84, 140)),
    "duoc-lieu": ((150, 200, 120), (40, 110, 70)),
    "thu-cong-my-nghe": ((214, 190, 150), (120, 80, 50)),
    "sinh-vat-canh": ((240, 170, 190), (120, 60, 120)),
    "du-lich": ((130, 210, 190), (30, 100, 120)),
}
DEFAULT_COLOURS = ((200, 200, 200), (90, 90, 90))

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]


@cache
def _font_path() -> str | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    for folder in ("/usr/share/fonts", "/usr/local/share/fonts"):
        for found in sorted(Path(folder).rglob("DejaVuSans*.ttf")) if Path(folder).exists() else []:
            return str(found)
    return None


def font(size: int) -> ImageFont.FreeTypeFont:
    path = _font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _gradient(size: tuple[int, int], top: tuple, bottom: tuple) -> Image.Image:
    """Top colour fading into the bottom one, slightly diagonal."""
    mask = Image.linear_gradient("L").resize((size[0] * 2, size[1] * 2)).rotate(20, resample=Image.BICUBIC)
    left, upper = size[0] // 2, size[1] // 2
    mask = mask.crop((left, upper, left + size[0], upper + size[1]))
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _rng(text: str) -> random.Random:
    """A generator seeded by the text, so a product always gets the same picture."""
    return random.Random(int(hashlib.sha256(text.encode()).hexdigest()[:12], 16))


def _shade(colour: tuple, factor: float) -> tuple:
    """`colour` lighter (factor > 1) or darker (< 1), each channel kept within 0–255."""
    return tuple(max(0, min(255, int(channel * factor))) for channel in colour[:3])


def _vary(colour: tuple, rng: random.Random, spread: int = 28) -> tuple:
    return tuple(max(0, min(255, channel + rng.randint(-spread, spread))) for channel in colour[:3])


# One illustration per OCOP group, drawn on a 1200×900 canvas around the point (x, y):
# simple shapes in the group's colours, with a product's own accent colour and proportions.
def _food(pen, x, y, rng, accent):
    """A bowl heaped with fruit or grains."""
    for _ in range(rng.randint(4, 7)):
        fx, fy, r = x + rng.randint(-150, 150), y - rng.randint(20, 140), rng.randint(55, 90)
        pen.ellipse((fx - r, fy - r, fx + r, fy + r), fill=_vary(accent, rng), outline=_shade(accent, .7), width=5)
    pen.chord((x - 260, y - 130, x + 260, y + 190), 0, 180, fill=(250, 244, 230), outline=(120, 80, 50), width=8)
    pen.rectangle((x - 70, y + 185, x + 70, y + 215), fill=(120, 80, 50))


def _drink(pen, x, y, rng, accent):
    """A bottle and a glass."""
    tall = rng.randint(0, 80)
    pen.rounded_rectangle((x - 130, y - 150 - tall, x + 30, y + 230), radius=50, fill=accent, outline=_shade(accent, .6), width=6)
    pen.rectangle((x - 80, y - 290 - tall, x - 20, y - 140 - tall), fill=accent, outline=_shade(accent, .6), width=6)
    pen.rectangle((x - 88, y - 320 - tall, x - 12, y - 285 - tall), fill=(150, 90, 40))
    pen.rounded_rectangle((x - 115, y - 20, x + 15, y + 100), radius=16, fill=(250, 244, 230))
    pen.polygon([(x + 80, y + 30), (x + 230, y + 30), (x + 210, y + 230), (x + 100, y + 230)],
                fill=(235, 245, 250), outline=(90, 120, 140))
    pen.polygon([(x + 88, y + 100), (x + 222, y + 100), (x + 210, y + 230), (x + 100, y + 230)], fill=_vary(accent, rng))


def _leaf(pen, cx, cy, length, angle, colour):
    import math

    dx, dy = math.cos(angle), math.sin(angle)
    tip = (cx + dx * length, cy + dy * length)
    side = (-dy * length * .28, dx * length * .28)
    mid = (cx + dx * length * .5, cy + dy * length * .5)
    pen.polygon([(cx, cy), (mid[0] + side[0], mid[1] + side[1]), tip, (mid[0] - side[0], mid[1] - side[1])], fill=colour)
    pen.line([(cx, cy), tip], fill=_shade(colour, .6), width=5)


def _herbal(pen, x, y, rng, accent):
    """A jar of herbal goods under a sprig of leaves."""
    import math

    for i in range(rng.randint(5, 8)):
        angle = -math.pi / 2 + rng.uniform(-1.3, 1.3)
        _leaf(pen, x - 20 + i * 6, y - 60, rng.randint(170, 260), angle, _vary((60, 140, 70), rng, 35))
    pen.rounded_rectangle((x - 150, y - 40, x + 150, y + 230), radius=40, fill=(250, 244, 230), outline=(90, 110, 80), width=7)
    pen.rectangle((x - 165, y - 80, x + 165, y - 30), fill=accent, outline=_shade(accent, .6), width=5)
    pen.ellipse((x - 70, y + 40, x + 70, y + 180), fill=_vary(accent, rng))


def _craft(pen, x, y, rng, accent):
    """A woven basket."""
    top = (x - 270, y - 90, x + 270, y - 30)
    body = [(x - 270, y - 60), (x + 270, y - 60), (x + 200, y + 220), (x - 200, y + 220)]
    pen.arc((x - 210, y - 330, x + 210, y + 90), 180, 360, fill=_shade(accent, .6), width=22)
    pen.polygon(body, fill=accent, outline=_shade(accent, .55))
    step = rng.choice((40, 50, 60))
    for k in range(-270, 271, step):
        pen.line([(x + k, y - 60), (x + k * 200 // 270, y + 220)], fill=_shade(accent, .7), width=6)
    for row in range(y - 20, y + 220, step):
        pen.line([(x - 270 + (row - y + 60) // 4, row), (x + 270 - (row - y + 60) // 4, row)], fill=_shade(accent, 1.25), width=7)
    pen.ellipse(top, fill=_shade(accent, .8), outline=_shade(accent, .55), width=6)


def _ornamental(pen, x, y, rng, accent):
    """A potted plant in flower."""
    import math

    pen.line([(x, y + 60), (x, y - 200)], fill=(50, 110, 50), width=14)
    for i in range(rng.randint(3, 5)):
        _leaf(pen, x, y - 40 - i * 40, rng.randint(120, 190), math.pi * (1.1 if i % 2 else -.1) + rng.uniform(-.3, .3),
              _vary((70, 150, 70), rng))
    petal = _vary(accent, rng, 20)
    for k in range(rng.randint(5, 8)):
        angle = k * 2 * math.pi / 7
        px, py = x + math.cos(angle) * 70, y - 240 + math.sin(angle) * 70
        pen.ellipse((px - 55, py - 55, px + 55, py + 55), fill=petal)
    pen.ellipse((x - 45, y - 285, x + 45, y - 195), fill=(250, 210, 70))
    pen.polygon([(x - 170, y + 50), (x + 170, y + 50), (x + 130, y + 240), (x - 130, y + 240)], fill=(180, 90, 60))
    pen.rectangle((x - 185, y + 30, x + 185, y + 75), fill=(150, 70, 45))


def _tourism(pen, x, y, rng, accent):
    """A stilt house in front of mountains, under the sun."""
    sun = rng.randint(-300, 300)
    pen.ellipse((x + sun - 70, y - 330, x + sun + 70, y - 190), fill=(255, 220, 110))
    for offset in (-380, -80, 240):
        height = rng.randint(260, 380)
        pen.polygon([(x + offset - 300, y + 240), (x + offset, y + 240 - height), (x + offset + 300, y + 240)],
                    fill=_vary((70, 130, 110), rng, 20))
    pen.polygon([(x - 260, y - 40), (x, y - 230), (x + 260, y - 40)], fill=_shade(accent, .7))
    pen.rectangle((x - 200, y - 40, x + 200, y + 130), fill=accent, outline=_shade(accent, .55), width=6)
    pen.rectangle((x - 40, y + 20, x + 40, y + 130), fill=_shade(accent, .5))
    for post in (-180, -60, 60, 180):
        pen.rectangle((x + post - 12, y + 130, x + post + 12, y + 240), fill=_shade(accent, .5))


ILLUSTRATIONS = {
    "thuc-pham": (_food, (214, 70, 52)),
    "do-uong": (_drink, (160, 60, 70)),
    "duoc-lieu": (_herbal, (120, 160, 60)),
    "thu-cong-my-nghe": (_craft, (196, 150, 90)),
    "sinh-vat-canh": (_ornamental, (220, 90, 140)),
    "du-lich": (_tourism, (170, 110, 70)),
}


def draw_product_card(title: str, group_slug: str, subtitle: str = "", size=(1200, 900)) -> bytes:
    """A JPEG illustration of the product's OCOP group (a bowl of fruit, a bottle, a herbal jar, a
    basket, a potted plant, a stilt house) with no text in it: the page prints the name beside it.
    The product's name seeds the colours and the drawing's place and proportions, so cards of one
    group differ. `subtitle` is accepted for the loader's sake and not drawn."""
    rng = _rng(title)
    top, bottom = GROUP_COLOURS.get(group_slug, DEFAULT_COLOURS)
    canvas = (1200, 900)
    image = _gradient(canvas, _vary(top, rng, 18), _vary(bottom, rng, 18)).convert("RGBA")
    halo = Image.new("RGBA", canvas, (0, 0, 0, 0))
    soft = ImageDraw.Draw(halo)
    for _ in range(6):
        radius = rng.randint(80, 240)
        x, y = rng.randint(-100, canvas[0] + 100), rng.randint(-100, canvas[1] + 100)
        soft.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, rng.randint(25, 55)))
    image = Image.alpha_composite(image, halo.filter(ImageFilter.GaussianBlur(6)))
    x, y = canvas[0] // 2 + rng.randint(-160, 160), canvas[1] // 2 + rng.randint(-20, 60)
    shadow = Image.new("RGBA", canvas, (0, 0, 0, 0))
    ImageDraw.Draw(shadow).ellipse((x - 330, y + 200, x + 330, y + 280), fill=(0, 0, 0, 45))  # ground to stand on
    image = Image.alpha_composite(image, shadow.filter(ImageFilter.GaussianBlur(8)))
    pen = ImageDraw.Draw(image)
    draw, accent = ILLUSTRATIONS.get(group_slug, (_food, (150, 150, 150)))
    draw(pen, x, y, rng, _vary(accent, rng, 40))
    image = image.convert("RGB")
    if size != canvas:
        image = image.resize(size, Image.LANCZOS)
    out = BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def initials(name: str, limit: int = 3) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isalpha())[:limit].upper()


def draw_logo(name: str, letters: str, size=(480, 360)) -> bytes:
    """A 480×360 PNG: a coloured disc with the producer's initials, centred on a transparent 4:3
    canvas (a square one would lose the disc's top and bottom in the 4:3 thumbnails)."""
    rng = _rng(name)
    colour = (rng.randint(30, 140), rng.randint(70, 150), rng.randint(40, 120))
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    diameter = min(size) - 16
    left, top = (size[0] - diameter) // 2, (size[1] - diameter) // 2
    draw.ellipse((left, top, left + diameter, top + diameter), fill=colour, outline=(255, 255, 255), width=10)
    draw.ellipse((left + 30, top + 30, left + diameter - 30, top + diameter - 30), outline=(255, 255, 255, 120), width=4)
    draw.text((size[0] // 2, size[1] // 2), letters, font=font(diameter * 3 // 8 if len(letters) <= 2 else diameter * 3 // 10),
              fill=(255, 255, 255), anchor="mm")
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def save_wagtail_image(title: str, filename: str, content: bytes):
    """Store bytes as a Wagtail image tagged as demo data (so `load_demo --reset` can find it)."""
    Image_ = get_image_model()
    image = Image_(title=title, file=ImageFile(BytesIO(content), name=filename))
    image._set_image_file_metadata()
    image.save()
    image.tags.add(DEMO_TAG)
    return image
