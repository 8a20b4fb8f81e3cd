"""Instruments are data: the shipped ones come from data files through the migration, the
loader is idempotent, and a third instrument works through the pages without code changes."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.measurements import loader, services
from app.measurements.models import Instrument, Measurement
from app.timeutil import today
from tests.conftest import count

THIRD = {
    "code": "werkladder",
    "version": 1,
    "name": {"nl": "Participatieladder", "en": "Participation ladder"},
    "credit": {"nl": "Testinstrument"},
    "levels": [
        {"score": 1, "label": {"nl": "Geïsoleerd", "en": "Isolated"}},
        {"score": 2, "label": {"nl": "Sociale contacten", "en": "Social contacts"}},
        {"score": 3, "label": {"nl": "Deelname", "en": "Taking part"}},
        {"score": 4, "label": {"nl": "Onbetaald werk", "en": "Unpaid work"}},
        {"score": 5, "label": {"nl": "Betaald werk met hulp", "en": "Paid work with help"}},
        {"score": 6, "label": {"nl": "Betaald werk", "en": "Paid work"}},
    ],
    "domains": [
        {"code": "ladder", "label": {"nl": "Trede op de ladder", "en": "Step on the ladder"}},
        {"code": "hours", "label": {"nl": "Uren actief", "en": "Hours active"}},
    ],
}


def test_the_shipped_instruments_are_there(app):
    dijleland = services.get_instrument("dijleland")
    assert dijleland.name_nl == "Dijleland+ levensdomeinen" and dijleland.active
    assert [d.code for d in dijleland.domains][:3] == [
        "social_skills",
        "mental_wellbeing",
        "addiction",
    ]
    assert len(dijleland.domains) == 10
    assert [level.label_nl for level in dijleland.levels][0] == "Acuut probleem"
    assert dijleland.levels[-1].label_nl == "Volledig zelfredzaam"
    assert dijleland.scale == (1, 5)

    zrm = services.get_instrument("zrm2017")
    assert len(zrm.domains) == 13 and "GGD Amsterdam" in zrm.credit_nl
    assert [level.label_nl for level in zrm.levels] == [
        "Acute problematiek",
        "Niet zelfredzaam",
        "Beperkt zelfredzaam",
        "Voldoende zelfredzaam",
        "Volledig zelfredzaam",
    ]
    assert zrm.domains[-1].label_nl == "Justitie"


def test_loading_the_shipped_files_again_changes_nothing(app):
    assert loader.load_shipped_instruments(db.session.connection()) == {
        "dijleland": "unchanged",
        "zrm2017": "unchanged",
    }
    assert count(Instrument) == 2


def test_a_newer_version_updates_labels_and_keeps_the_active_flag(app):
    data = json.loads((loader.DATA_DIR / "zrm-2017.json").read_text())
    zrm = services.get_instrument("zrm2017")
    zrm.active = False
    db.session.flush()
    newer = copy.deepcopy(data)
    newer["version"] = 2
    newer["domains"][0]["label"]["nl"] = "Financiën en schulden"
    newer["domains"] = newer["domains"][:-1]  # a domain left out stays for old scores
    assert services.add_instrument(newer) is not None
    zrm = services.get_instrument("zrm2017")
    assert zrm.version == 2 and not zrm.active
    assert zrm.domains[0].label_nl == "Financiën en schulden"
    assert [d.code for d in zrm.domains][-1] == "justice"
    assert loader.load_instrument(db.session.connection(), newer) == "unchanged"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "Not A Code"}, "code"),
        ({"levels": [{"score": 1, "label": {"nl": "a"}}, {"score": 3, "label": {"nl": "c"}}]},
         "levels"),
        ({"domains": []}, "domains"),
        ({"domains": [{"code": "a", "label": {"nl": "A"}}, {"code": "a", "label": {"nl": "B"}}]},
         "domains"),
        ({"name": {"en": "English only"}}, "name"),
    ],
)  # fmt: skip
def test_the_loader_refuses_broken_data(app, change, message):
    with pytest.raises(loader.InstrumentDataError, match=message):
        services.add_instrument({**THIRD, **change})
    assert services.get_instrument("werkladder") is None


def test_a_third_instrument_works_through_the_pages(app, login, companion, person):
    services.add_instrument(THIRD)
    db.session.commit()
    browser = login(companion)

    form = browser.get(f"/clients/{person.id}/measurements/new?instrument=werkladder")
    html = form.get_data(as_text=True)
    assert form.status_code == 200
    assert "Trede op de ladder" in html and "Betaald werk met hulp" in html
    assert 'name="score_ladder" type="radio" value="6"' in html

    for days_ago, kind, scores in ((100, "intake", ("2", "1")), (10, "periodic", ("6", ""))):
        response = browser.post(
            f"/clients/{person.id}/measurements/new?instrument=werkladder",
            data={
                "measured_on": (today() - timedelta(days=days_ago)).isoformat(),
                "kind": kind,
                "score_ladder": scores[0],
                "score_hours": scores[1],
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    assert count(Measurement) == 2

    page = browser.get(f"/clients/{person.id}/measurements?instrument=werkladder")
    html = page.get_data(as_text=True)
    radar = json.loads(html.split('id="radar-data">')[1].split("</script>")[0])
    assert radar["labels"] == ["Trede op de ladder", "Uren actief"]
    assert radar["scale"]["max"] == 6 and radar["scale"]["labels"]["6"] == "Betaald werk"
    assert [d["data"] for d in radar["datasets"]] == [[2, 1], [6, None]]
    # The score outside the shipped 1..5 scale is fine on this instrument's 1..6 scale.
    assert (
        '<tr data-domain="ladder"><th scope="row">Trede op de ladder</th><td>2</td><td>6</td>'
        in html
    )


def test_instrument_labels_follow_the_interface_language(app, login, companion, person):
    companion.locale = "en"
    db.session.commit()
    html = login(companion).get(f"/clients/{person.id}/measurements/new").get_data(as_text=True)
    assert "Social skills" in html and "Manages with help" in html
    assert db.session.scalar(sa.select(Instrument.name_en).where(Instrument.code == "dijleland"))


def test_the_load_command_adds_an_instrument_once(runner, tmp_path):
    path = tmp_path / "ladder.json"
    path.write_text(json.dumps(THIRD), encoding="utf-8")
    result = runner.invoke(args=["instruments", "load", str(path)])
    assert result.exit_code == 0 and "werkladder: created" in result.output
    result = runner.invoke(args=["instruments", "load", str(path)])
    assert "werkladder: unchanged" in result.output
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["instruments", "load", str(path)])
    assert result.exit_code != 0 and "not a readable JSON file" in result.output
