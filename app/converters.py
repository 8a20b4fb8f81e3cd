"""URL converters: ids are positive 32-bit integers, so a forged huge id is a 404 on both
databases instead of an out-of-range error from PostgreSQL."""

from werkzeug.routing import IntegerConverter

from app.bounds import MAX_ID

__all__ = ["MAX_ID", "IdConverter"]


class IdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
