"""The `--partnership PREFIX` option of the commands that work inside one partnership."""

from __future__ import annotations

import click

from app.partnerships import services


def named(prefix: str) -> int:
    """The id of the partnership with this client-code prefix; an unknown one is refused."""
    partnership = services.by_prefix(prefix)
    if partnership is None:
        raise click.ClickException(f"No partnership with the prefix {prefix!r}.")
    return partnership.id


def chosen(prefix: str | None) -> int:
    """The partnership named by ``prefix``, else the installation's only one; with several
    and none named, the command is refused."""
    if prefix:
        return named(prefix)
    only = services.only_partnership_id()
    if only is None:
        raise click.ClickException(
            "This installation has several partnerships: choose one with --partnership PREFIX."
        )
    return only
