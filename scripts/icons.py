#!/usr/bin/env python3
"""Draws the app's icons (assets/icons/*.png): the header's pilcrow, white on the accent colour.

Standard library only (the PNG is written with zlib), so the icons can be remade anywhere:
    python3 scripts/icons.py
- icon-192.png, icon-512.png: purpose "any", a rounded square with the mark at 60% of the size;
- icon-maskable-512.png: purpose "maskable", full bleed, the mark inside the central circle of
  radius 40% that every mask shape keeps (https://w3c.github.io/manifest/#icon-masks).
"""
import struct
import zlib
from pathlib import Path

ACCENT = (0x2A, 0x5B, 0x8C)  # --accent of the light theme (styles/app.css)
MARK = (0xFF, 0xFF, 0xFF)  # --accent-text
SAMPLES = 4  # per axis: 16 samples a pixel smooth the edges


def in_pilcrow(x, y):
    """Whether (x, y), in the mark's box (0..1 both ways, y down), is inside the pilcrow."""
    if not (0 <= x <= 1 and 0 <= y <= 1):
        return False
    # A half disc flat against the left stem, hanging from the top bar; two stems to the foot.
    bowl = x <= 0.45 and (x - 0.45) ** 2 + (y - 0.28) ** 2 <= 0.28**2
    top_bar = y <= 0.09 and 0.45 <= x <= 0.83
    left_stem = 0.45 <= x <= 0.57
    right_stem = 0.71 <= x <= 0.83
    return bowl or top_bar or left_stem or right_stem


def in_rounded_square(x, y, radius):
    """Whether (x, y), in the icon (0..1), is inside a square with corners of `radius`."""
    cx = min(max(x, radius), 1 - radius)
    cy = min(max(y, radius), 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def draw(size, mark_size, corner):
    """RGBA rows of an icon `size` px wide: the mark `mark_size` (share of the icon) centred,
    on a square with corners of radius `corner` (share of the icon; 0 for full bleed)."""
    low = (1 - mark_size) / 2
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            ground = mark = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) / size
                    y = (py + (sy + 0.5) / SAMPLES) / size
                    if corner and not in_rounded_square(x, y, corner):
                        continue
                    ground += 1
                    mark += in_pilcrow((x - low) / mark_size, (y - low) / mark_size)
            total = SAMPLES * SAMPLES
            if ground == 0:
                row += bytes(4)
                continue
            colour = [round((m * mark + a * (ground - mark)) / ground) for m, a in zip(MARK, ACCENT)]
            row += bytes(colour + [round(255 * ground / total)])
        rows.append(bytes(row))
    return rows


def png(size, rows):
    """A PNG file (8-bit RGBA, no filtering) of `rows`."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    out = Path(__file__).resolve().parent.parent / "assets" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for name, size, mark_size, corner in [
        ("icon-192.png", 192, 0.6, 0.18),
        ("icon-512.png", 512, 0.6, 0.18),
        ("icon-maskable-512.png", 512, 0.5, 0),
    ]:
        (out / name).write_bytes(png(size, draw(size, mark_size, corner)))
        print(f"wrote {out / name}")


if __name__ == "__main__":
    main()
