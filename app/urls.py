"""The templates' ``url_for``: a URL of the same shape is built once and its ids filled in.

A list shows the same few links on every row, differing only in the row's id ("/clients/17",
"/clients/17/contacts/new?next=..."); Flask builds each from scratch (some 5 to 10 µs, a
caseload page of 74 rows a few hundred times). Here the URL is built once per shape, with a
marker number for each id, and each row's URL is that text with its ids put in (a URL
without ids, such as the navigation's, is simply kept). The result is
the same text as ``flask.url_for``'s: only what cannot differ by more than the id's digits is
built this way (see ``_shape_fits``); anything else goes to ``flask.url_for`` as before.
"""

from __future__ import annotations

from flask import Flask, current_app, url_for
from flask.globals import _cv_request
from werkzeug.routing.converters import NumberConverter

# Marker numbers: longer than any id (bounded at 2**31 - 1, app.bounds), so an id's digits are
# never mistaken for one; the i-th id of a call gets the i-th marker.
_MARKERS = tuple(str(98_765_432_100 + i) for i in range(4))
_MAX_SHAPES = 4096  # shapes kept per app; a next= parameter makes a shape per page it names
_UNFIT = object()


def _shape_fits(app: Flask, endpoint: str, id_names: tuple[str, ...]) -> bool:
    """Whether an id given as ``id_names`` shows in this endpoint's URL as its plain digits,
    whatever its value: in the query string, or in the path through a number converter
    without padding; and the rule chosen does not depend on the value (no rule of the
    endpoint has defaults), nor does anything change the values (no URL defaults)."""
    if app.url_default_functions:
        return False
    rules = app.url_map._rules_by_endpoint.get(endpoint, ())
    if not rules:
        return False
    for rule in rules:
        if rule.defaults or rule.host is not None or rule.subdomain:
            return False
        for name in id_names:
            converter = rule._converters.get(name)
            if converter is None:
                continue
            if not isinstance(converter, NumberConverter) or converter.fixed_digits:
                return False
            if converter.num_convert is not int:
                return False
    return True


def _build_shape(endpoint: str, names: tuple[str, ...], values: dict):
    """The URL's text as (pieces, order): the pieces around the ids, and which id goes in
    each gap (``_UNFIT`` when this URL cannot be built so)."""
    app = current_app._get_current_object()
    if not _shape_fits(app, endpoint, names):
        return _UNFIT
    marked = dict(values)  # same keys in the same order: the same query string
    for position, name in enumerate(names):
        marked[name] = int(_MARKERS[position])
    text = url_for(endpoint, **marked)
    places = []
    for position in range(len(names)):
        if text.count(_MARKERS[position]) != 1:
            return _UNFIT
        places.append((text.index(_MARKERS[position]), position))
    places.sort()
    pieces, start = [], 0
    for index, _position in places:
        pieces.append(text[start:index])
        start = index + len(_MARKERS[0])
    pieces.append(text[start:])
    return tuple(pieces), tuple(position for _index, position in places)


def template_url_for(endpoint: str, **values) -> str:
    """``flask.url_for(endpoint, **values)``, for the templates (see the module docstring)."""
    request_context = _cv_request.get(None)
    if request_context is None or endpoint[:1] == ".":
        return url_for(endpoint, **values)
    ids = []
    key = [endpoint]
    for name, value in values.items():
        if type(value) is int and value >= 0:
            ids.append(value)
            key.append(name)
        elif (value is None or type(value) is str) and name[:1] != "_":
            key.append((name, value))
        else:  # _external, _anchor, ...; values of other types
            return url_for(endpoint, **values)
    if len(ids) > len(_MARKERS):
        return url_for(endpoint, **values)
    adapter = request_context.url_adapter
    key.append((adapter.script_name, adapter.server_name, adapter.subdomain))
    key = tuple(key)
    shapes = _shapes(request_context.app)
    shape = shapes.get(key)
    if shape is None:
        names = tuple(name for name, value in values.items() if type(value) is int and value >= 0)
        shape = _build_shape(endpoint, names, values)
        if len(shapes) >= _MAX_SHAPES:
            shapes.clear()
        shapes[key] = shape
    if shape is _UNFIT:
        return url_for(endpoint, **values)
    pieces, order = shape
    if not ids:  # a URL without ids (the navigation, the stylesheets): the same every time
        return pieces[0]
    if len(ids) == 1:
        return f"{pieces[0]}{ids[0]}{pieces[1]}"
    parts = [pieces[0]]
    for gap, position in enumerate(order):
        parts += [str(ids[position]), pieces[gap + 1]]
    return "".join(parts)


def _shapes(app: Flask) -> dict:
    shapes = app.extensions.get("gezel_url_shapes")
    if shapes is None:
        shapes = app.extensions["gezel_url_shapes"] = {}
    return shapes


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = template_url_for
