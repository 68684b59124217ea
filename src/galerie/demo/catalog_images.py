"""Product pictures for the demo, drawn locally with Pillow: a coloured square with a simple
shape and the product's initials (PNG, a few kilobytes), and its thumbnail."""

from __future__ import annotations

import functools
import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

SIZE, THUMBNAIL = 160, 64
PALETTES = {
    "food": ((196, 64, 86), (238, 170, 60), (120, 150, 60)),
    "shoes": ((40, 52, 80), (150, 110, 80), (90, 90, 90)),
    "toys": ((60, 140, 200), (240, 120, 60), (110, 180, 90)),
    "kitchen": ((70, 110, 130), (180, 160, 120), (60, 70, 60)),
    "crafts": ((190, 40, 40), (200, 150, 50), (40, 120, 100)),
    "tea": ((80, 120, 60), (140, 90, 50), (170, 150, 90)),
    "retro": ((70, 60, 140), (200, 60, 90), (40, 40, 40)),
    "decor": ((150, 130, 110), (90, 120, 140), (120, 100, 130)),
    "footwear": ((110, 70, 50), (60, 80, 110), (150, 120, 90)),
    "shoecare": ((90, 60, 40), (50, 50, 60), (130, 100, 70)),
    "woodentoys": ((200, 150, 90), (90, 160, 150), (210, 110, 110)),
    "games": ((50, 110, 170), (190, 80, 60), (90, 150, 70)),
    "cookware": ((60, 90, 110), (150, 90, 60), (80, 80, 70)),
    "retroparts": ((60, 60, 110), (120, 50, 90), (50, 70, 70)),
}
SHAPES = ("circle", "diamond", "triangle", "square")


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError):  # Pillow built without FreeType
        return ImageFont.load_default()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # flat colours: small anyway, 3x faster
    return buffer.getvalue()


def product_image(ref: str, family: str, initials: str) -> tuple[bytes, bytes]:
    """(picture, thumbnail) as PNG bytes; the same arguments give the same bytes."""
    digest = hashlib.sha256(ref.encode()).digest()
    palette = PALETTES.get(family, PALETTES["decor"])
    return _drawn(palette[digest[0] % len(palette)], SHAPES[digest[1] % len(SHAPES)], initials[:2])


@functools.lru_cache(maxsize=4096)  # a few products in three share a picture: draw it once
def _drawn(background: tuple[int, int, int], shape: str, initials: str) -> tuple[bytes, bytes]:
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 70) for c in background)
    box = (28, 28, SIZE - 28, SIZE - 28)
    if shape == "circle":
        draw.ellipse(box, fill=light)
    elif shape == "square":
        draw.rectangle(box, fill=light)
    elif shape == "diamond":
        draw.polygon(
            [(SIZE // 2, 20), (SIZE - 20, SIZE // 2), (SIZE // 2, SIZE - 20), (20, SIZE // 2)],
            fill=light,
        )
    else:
        draw.polygon([(SIZE // 2, 24), (SIZE - 24, SIZE - 30), (24, SIZE - 30)], fill=light)
    draw.text((SIZE // 2, SIZE // 2), initials, fill=(255, 255, 255), font=_font(48), anchor="mm")
    thumbnail = image.resize((THUMBNAIL, THUMBNAIL), Image.Resampling.BOX)
    return _png(image), _png(thumbnail)
