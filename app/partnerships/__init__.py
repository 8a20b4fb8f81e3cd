"""Partnerships: the outermost wall of an installation. Each partnership has its own teams,
users, client-code prefix, settings, instruments and social map; nothing crosses it."""
