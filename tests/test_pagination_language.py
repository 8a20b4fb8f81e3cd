"""Pagination reads "Vorige" / "Volgende" (issue 20, item 4): the shared macro's texts are
translated like every other text."""

from __future__ import annotations

import re

from app.extensions import db
from tests import factories


def test_pagination_is_in_dutch(as_lead, team, companion):
    for number in range(55):
        factories.make_client(team, companion, preferred_name=f"P{number:02d}")
    db.session.commit()
    html = as_lead.get("/clients?page=2").get_data(as_text=True)
    navigation = re.search(r'<nav aria-label="Pagina\'s">(.*?)</nav>', html, re.S)
    assert navigation, "no pagination on the second page"
    links = navigation.group(1)
    assert "Vorige" in links and "Volgende" in links
    assert "Previous" not in links and "Next" not in links
