"""A signature drawn with a finger on the tablet, kept as SVG that Gezel draws itself.

The consent form sends the strokes as signature_pad gives them (``toData()``: a list of
strokes, each with its ``points`` of ``x`` and ``y``). Only those numbers are read; the SVG is
made here from them, so nothing the browser sends ends up in a page as markup. A signature
without any stroke is refused: nothing is stored.
"""

from __future__ import annotations

import json
import math

from flask_babel import gettext as _

from app.bounds import MAX_SIGNATURE_BYTES, MAX_SIGNATURE_POINTS, MAX_SIGNATURE_STROKES
from app.errors import DomainError

PADDING = 8
STROKE_WIDTH = 2.5


def _refuse(message: str) -> DomainError:
    return DomainError(message, 422, "signature")


def empty_signature() -> DomainError:
    return _refuse(
        _(
            "The signature is empty. Ask the person to sign in the box with a finger, or "
            "choose “without a signature”."
        )
    )


def strokes_from(raw: str | None) -> list[list[tuple[float, float]]]:
    """The strokes in the form's value: lists of (x, y); refuses what is not a signature."""
    if not raw or not raw.strip():
        raise empty_signature()
    if len(raw) > MAX_SIGNATURE_BYTES:
        raise _refuse(_("The signature is too detailed to store. Clear it and sign again."))
    try:
        data = json.loads(raw)
    except ValueError:
        raise _refuse(_("The signature could not be read. Clear it and sign again.")) from None
    if not isinstance(data, list) or len(data) > MAX_SIGNATURE_STROKES:
        raise _refuse(_("The signature could not be read. Clear it and sign again."))
    strokes, total = [], 0
    for group in data:
        points = group.get("points") if isinstance(group, dict) else None
        if not isinstance(points, list):
            raise _refuse(_("The signature could not be read. Clear it and sign again."))
        stroke = []
        for point in points:
            x = point.get("x") if isinstance(point, dict) else None
            y = point.get("y") if isinstance(point, dict) else None
            if not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                and -10_000 <= v <= 10_000
                for v in (x, y)
            ):  # fmt: skip
                raise _refuse(_("The signature could not be read. Clear it and sign again."))
            stroke.append((float(x), float(y)))
        total += len(stroke)
        if stroke:
            strokes.append(stroke)
    if total > MAX_SIGNATURE_POINTS:
        raise _refuse(_("The signature is too detailed to store. Clear it and sign again."))
    if not strokes:
        raise empty_signature()
    return strokes


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg(strokes: list[list[tuple[float, float]]]) -> str:
    """The strokes as a self-contained SVG, scaled to their own bounding box."""
    xs = [x for stroke in strokes for x, _y in stroke]
    ys = [y for stroke in strokes for _x, y in stroke]
    left, top = min(xs) - PADDING, min(ys) - PADDING
    width = max(xs) - min(xs) + 2 * PADDING
    height = max(ys) - min(ys) + 2 * PADDING
    paths = []
    for stroke in strokes:
        x0, y0 = stroke[0]
        if len(stroke) == 1:  # a dot
            paths.append(f'<circle cx="{_n(x0)}" cy="{_n(y0)}" r="{_n(STROKE_WIDTH)}"/>')
            continue
        d = f"M{_n(x0)} {_n(y0)}" + "".join(f" L{_n(x)} {_n(y)}" for x, y in stroke[1:])
        paths.append(f'<path d="{d}" fill="none"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{_n(left)} {_n(top)} {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" '
        f'stroke="#000" fill="#000" stroke-width="{_n(STROKE_WIDTH)}" '
        'stroke-linecap="round" stroke-linejoin="round">' + "".join(paths) + "</svg>"
    )
