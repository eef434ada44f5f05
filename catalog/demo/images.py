"""Pictures for the demo catalogue, drawn locally with Pillow.

The machines have no internet, and photographs of real products would need their owners' licence
anyway, so each demo product gets a clearly illustrative card: a gradient in its group's colours,
a few soft shapes, its name and the words "Ảnh minh hoạ". Producers get a round logo with their
initials. Text needs a font with Vietnamese glyphs: DejaVu Sans if the system has it, otherwise
Pillow's built-in scalable font (Pillow ≥ 10.1), which covers Vietnamese too.
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


def _wrap(draw: ImageDraw.ImageDraw, text: str, max_width: int, max_lines: int = 3):
    """The largest font (76 px down to 40) at which `text` fits in `max_lines` lines of `max_width`."""
    for size in range(76, 39, -4):
        face = font(size)
        lines, line = [], ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if line and draw.textlength(candidate, font=face) > max_width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
        if len(lines) <= max_lines and all(draw.textlength(ln, font=face) <= max_width for ln in lines):
            return face, size, lines
    return face, size, lines


def _rng(text: str) -> random.Random:
    """A generator seeded by the text, so a product always gets the same picture."""
    return random.Random(int(hashlib.sha256(text.encode()).hexdigest()[:12], 16))


def draw_product_card(title: str, group_slug: str, subtitle: str = "", size=(1200, 900)) -> bytes:
    """A 1200×900 JPEG with the product's name over its group's colours."""
    top, bottom = GROUP_COLOURS.get(group_slug, DEFAULT_COLOURS)
    image = _gradient(size, top, bottom)
    shapes = Image.new("RGBA", size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(shapes)
    rng = _rng(title)
    for _ in range(7):
        radius = rng.randint(80, 260)
        x, y = rng.randint(-100, size[0] + 100), rng.randint(-100, size[1] + 100)
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, rng.randint(25, 60)))
    shapes = shapes.filter(ImageFilter.GaussianBlur(6))
    image = Image.alpha_composite(image.convert("RGBA"), shapes)

    draw = ImageDraw.Draw(image)
    panel = (80, 250, size[0] - 80, size[1] - 220)
    draw.rounded_rectangle(panel, radius=36, fill=(255, 255, 255, 215))
    title_font, font_size, lines = _wrap(draw, title, panel[2] - panel[0] - 100)
    line_height = int(font_size * 1.22)
    y = (panel[1] + panel[3]) // 2 - line_height * len(lines) // 2 - (24 if subtitle else 0)
    for line in lines:
        draw.text((size[0] // 2, y), line, font=title_font, fill=(40, 40, 40), anchor="mt")
        y += line_height
    if subtitle:
        draw.text((size[0] // 2, y + 12), subtitle, font=font(40), fill=(90, 90, 90), anchor="mt")
    draw.text((size[0] - 40, size[1] - 40), "Ảnh minh hoạ – dữ liệu demo", font=font(30),
              fill=(255, 255, 255), anchor="rd")
    out = BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def initials(name: str, limit: int = 3) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isalpha())[:limit].upper()


def draw_logo(name: str, letters: str, size=(400, 400)) -> bytes:
    """A 400×400 PNG: a coloured disc with the producer's initials."""
    rng = _rng(name)
    colour = (rng.randint(30, 140), rng.randint(70, 150), rng.randint(40, 120))
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size[0] - 8, size[1] - 8), fill=colour, outline=(255, 255, 255), width=10)
    draw.ellipse((40, 40, size[0] - 40, size[1] - 40), outline=(255, 255, 255, 120), width=4)
    draw.text((size[0] // 2, size[1] // 2), letters, font=font(150 if len(letters) <= 2 else 118),
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
