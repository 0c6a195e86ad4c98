"""The app's two icons, drawn here (no image files to ship): a color icon of 192x192
and a white outline icon of 32x32 on transparency, as Teams asks. Two speech
balloons, for a dialogue. Also the little PNG reading the package check needs."""

from __future__ import annotations

import functools
import math
import struct
import zlib
from collections.abc import Callable

from bot.errors import MalformedInput

ACCENT = (0x1F, 0x6F, 0x78)
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_RGBA = 6
# Samples per pixel side, for smooth edges.
_SUPERSAMPLE = 4

Pixel = tuple[int, int, int, int]


@functools.cache
def color_icon(size: int = 192) -> bytes:
    """White balloons on the accent color, edge to edge (Teams rounds the corners)."""

    def pixel(x: float, y: float) -> tuple[float, float, float, float]:
        front = _balloon(x, y, 0.40, 0.40, 0.25, tail=-1)
        back = _balloon(x, y, 0.63, 0.60, 0.21, tail=1)
        ring = _balloon(x, y, 0.40, 0.40, 0.29, tail=-1)
        if front:
            return (1.0, 1.0, 1.0, 1.0)
        if back and not ring:
            return (0.75, 0.88, 0.89, 1.0)
        return (ACCENT[0] / 255, ACCENT[1] / 255, ACCENT[2] / 255, 1.0)

    return encode(size, size, _render(size, pixel))


@functools.cache
def outline_icon(size: int = 32) -> bytes:
    """The balloons' outlines in white; everything else transparent."""
    stroke = 2.2 / size

    def pixel(x: float, y: float) -> tuple[float, float, float, float]:
        front = _balloon(x, y, 0.40, 0.40, 0.27, tail=-1)
        front_inside = _balloon(x, y, 0.40, 0.40, 0.27 - stroke, tail=-1, inset=stroke)
        back = _balloon(x, y, 0.66, 0.62, 0.22, tail=1)
        back_inside = _balloon(x, y, 0.66, 0.62, 0.22 - stroke, tail=1, inset=stroke)
        covered = (front and not front_inside) or (back and not back_inside and not front)
        return (1.0, 1.0, 1.0, 1.0 if covered else 0.0)

    return encode(size, size, _render(size, pixel))


def _balloon(
    x: float, y: float, cx: float, cy: float, r: float, *, tail: int, inset: float = 0.0
) -> bool:
    """Inside a round balloon with a small tail at its lower left (-1) or right (1)."""
    if math.hypot(x - cx, y - cy) <= r:
        return True
    # The tail: a triangle below the circle, leaning outward.
    tip_x, tip_y = cx + tail * (r * 0.95 - inset), cy + r * 1.05 - inset
    base_left, base_right = cx + tail * r * 0.15, cx + tail * r * 0.65
    top = cy + r * 0.55
    if not (top <= y <= tip_y):
        return False
    share = (y - top) / max(tip_y - top, 1e-9)
    low, high = sorted(
        (base_left + (tip_x - base_left) * share, base_right + (tip_x - base_right) * share)
    )
    return low <= x <= high


def _render(
    size: int, pixel: Callable[[float, float], tuple[float, float, float, float]]
) -> list[list[Pixel]]:
    rows: list[list[Pixel]] = []
    n = _SUPERSAMPLE
    for j in range(size):
        row: list[Pixel] = []
        for i in range(size):
            total = [0.0, 0.0, 0.0, 0.0]
            for sj in range(n):
                for si in range(n):
                    r, g, b, a = pixel((i + (si + 0.5) / n) / size, (j + (sj + 0.5) / n) / size)
                    total[0] += r * a
                    total[1] += g * a
                    total[2] += b * a
                    total[3] += a
            alpha = total[3] / (n * n)
            if alpha == 0:
                row.append((0, 0, 0, 0))
                continue
            color = [round(255 * c / total[3]) for c in total[:3]]
            row.append((color[0], color[1], color[2], round(255 * alpha)))
        rows.append(row)
    return rows


def encode(width: int, height: int, rows: list[list[Pixel]]) -> bytes:
    """An 8-bit RGBA PNG."""
    raw = b"".join(b"\x00" + bytes(v for pixel in row for v in pixel) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, _RGBA, 0, 0, 0)
    return (
        _SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# -- reading (for the package check) -------------------------------------------------------


class NotAPng(MalformedInput):
    """An icon file that is not a PNG we can read."""


def size_of(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG."""
    if not png.startswith(_SIGNATURE) or png[12:16] != b"IHDR":
        raise NotAPng("not a PNG file")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def pixels(png: bytes) -> list[list[Pixel]]:
    """The pixels of an 8-bit RGBA PNG (any filter); NotAPng for anything else."""
    width, height = size_of(png)
    depth, color, _, _, interlace = png[24], png[25], png[26], png[27], png[28]
    if depth != 8 or color != _RGBA or interlace != 0:
        raise NotAPng("not an 8-bit RGBA PNG")
    data, at = b"", 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(data)
    stride = width * 4
    rows: list[list[Pixel]] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        method, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - 4] if x >= 4 else 0
            up = previous[x]
            corner = previous[x - 4] if x >= 4 else 0
            line[x] = (line[x] + _predict(method, left, up, corner)) & 0xFF
        rows.append([(line[i], line[i + 1], line[i + 2], line[i + 3]) for i in range(0, stride, 4)])
        previous = line
    return rows


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    if kind == 4:
        estimate = left + up - corner
        near = min(
            (abs(estimate - left), 0, left),
            (abs(estimate - up), 1, up),
            (abs(estimate - corner), 2, corner),
        )
        return near[2]
    raise NotAPng(f"unknown PNG filter {kind}")
