"""The completion pages: the overview per unit, a unit's people with filter and sort, the
exports, the links that lead there, and that no content text shows anywhere."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.conversations.models import Conversation
from samtale.conversations.services.invitation import round_launch
from samtale.oversight import views
from samtale.testing import Mus, Org, grow_org
from samtale.testing.oversight import SECRET, deadline_passed, plant_states
from samtale.testing.queries import Page, assert_same_queries
from samtale.testing.signing import english


def _overview(mus: Mus) -> str:
    return reverse("oversight:overview", args=[mus.round.uuid])


def _unit(mus: Mus, org: Org, name: str = "unit") -> str:
    return reverse(f"oversight:{name}", args=[mus.round.uuid, org.payroll.uuid])


def test_hr_reads_counts_and_shares_per_unit(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    english(org, "hr")
    page = org.client("hr").get(_overview(mus)).content.decode()
    assert "Completion of MUS-2027" in page
    assert "Løn" in page and "Børn" in page
    assert '2 <span class="muted">(40&nbsp;%)</span>' in page  # Løn: 2 of 5 held
    assert 'width="40"' in page  # and the bar shows it
    assert 'aria-hidden="true"' in page


def test_the_drill_down_filters_and_sorts_without_javascript(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    deadline_passed(mus.round)
    english(org, "hr")
    client = org.client("hr")
    everyone = client.get(_unit(mus, org)).content.decode()
    assert org.employee.name in everyone and org.colleague.name in everyone
    assert "Not held by the deadline" in everyone
    late = client.get(_unit(mus, org) + "?overdue=on").content.decode()
    assert org.employee.name not in late and org.daily_leader.name in late
    scheduled = client.get(_unit(mus, org) + "?step=scheduled").content.decode()
    assert org.colleague.name in scheduled and org.employee.name not in scheduled
    by_state = client.get(_unit(mus, org) + "?sort=state").content.decode()
    assert by_state.index(org.daily_leader.name) < by_state.index(org.employee.name)
    nonsense = client.get(_unit(mus, org) + "?sort=nonsense&step=nonsense")
    assert nonsense.status_code == 200


def test_no_content_text_in_any_page_or_export(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    for persona in ("hr", "leader", "head", "director"):
        client = org.client(persona)
        for url in (_overview(mus), _unit(mus, org), _unit(mus, org, "csv"), reverse("oversight:rounds")):
            response = client.get(url)
            assert response.status_code == 200
            assert SECRET.encode() not in response.getvalue(), (persona, url)  # the exports are streamed
        xlsx = client.get(_unit(mus, org, "xlsx")).getvalue()
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        assert sheet is not None
        assert not any(SECRET in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def test_exports_neutralise_cells_that_would_run_as_formulas(org: Org, mus: Mus) -> None:
    org.colleague.name = '=HYPERLINK("http://evil.example")'
    org.colleague.save(update_fields=["name"])
    org.union_rep.name = "@SUM(A1)"
    org.union_rep.save(update_fields=["name"])
    client = org.client("hr")
    text = client.get(_unit(mus, org, "csv")).getvalue().decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(text), delimiter=";")]
    assert '\'=HYPERLINK("http://evil.example")' in names and "'@SUM(A1)" in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(_unit(mus, org, "xlsx")).getvalue())).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "'@SUM(A1)" in cells and not any(str(cell).startswith(("=", "+", "-", "@")) for cell in cells)


def test_every_export_is_audited(org: Org, mus: Mus) -> None:
    org.client("hr").get(_unit(mus, org, "csv"))
    event = AuditEvent.objects.get(action="oversight.export")
    assert event.actor_id == org.user("hr").pk
    assert event.target_id == str(org.payroll.uuid)
    assert event.data["format"] == "csv"


def test_hr_and_leaders_find_the_overview(org: Org, mus: Mus) -> None:
    overview = _overview(mus)
    assert overview in org.client("hr").get(reverse("oversight:rounds")).content.decode()
    assert reverse("oversight:rounds") in org.client("hr").get(reverse("rounds:list")).content.decode()
    assert overview in org.client("hr").get(reverse("rounds:detail", args=[mus.round.uuid])).content.decode()
    assert overview in org.client("leader").get(reverse("dashboards:team")).content.decode()
    assert overview not in org.client("daily_leader").get(reverse("dashboards:team")).content.decode()


def test_the_pages_make_the_same_number_of_queries_for_a_bigger_organisation(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    pages = [
        ("hr", _overview(mus)),
        ("head", _overview(mus)),
        ("hr", _unit(mus, org)),
        ("leader", _unit(mus, org)),
        ("hr", _unit(mus, org, "csv")),
    ]

    def grow() -> None:
        grow_org(org, 12)
        round_launch(viewer=viewer_for(org.user("hr")), round_=mus.round)

    assert_same_queries(grow, *(Page(org.client(persona), url) for persona, url in pages))


def test_hr_covering_part_of_the_organisation_finds_the_overview_in_the_menu(org: Org, mus: Mus) -> None:
    rounds = reverse("oversight:rounds")
    assert f'href="{rounds}"' in org.client("regional_hr").get(reverse("dashboards:home")).content.decode()
    assert f'href="{rounds}"' not in org.client("leader").get(reverse("dashboards:home")).content.decode()


def test_a_unit_below_the_levels_shown_opens_on_its_own_within_the_scope(org: Org, mus: Mus) -> None:
    english(org, "hr", "regional_hr")
    page = org.client("hr").get(_overview(mus) + f"?under={org.payroll.uuid}").content.decode()
    assert "The units of Løn." in page and "Børn" not in page
    assert org.client("regional_hr").get(_overview(mus) + f"?under={org.payroll.uuid}").status_code == 404
    assert org.client("hr").get(_overview(mus) + "?under=nonsense").status_code == 404


def test_the_drill_down_comes_in_pages_and_the_export_holds_every_row(
    org: Org, mus: Mus, monkeypatch: pytest.MonkeyPatch
) -> None:
    english(org, "hr")
    client = org.client("hr")
    root = reverse("oversight:unit", args=[mus.round.uuid, org.root.uuid])
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    first = client.get(root + "?sort=name").content.decode()
    second = client.get(root + "?sort=name&page=2").content.decode()
    assert "Page 1 of 3" in first and "?sort=name&amp;page=2" in first
    assert "Page 2 of 3" in second
    exported = client.get(reverse("oversight:csv", args=[mus.round.uuid, org.root.uuid])).getvalue().decode("utf-8-sig")
    assert len(exported.strip().splitlines()) == 1 + Conversation.objects.filter(round=mus.round).count()


def test_each_cell_of_the_drill_down_reads_as_the_template_wrote_it() -> None:
    """The cells are written in Python (``views._cells``): dates in the language's format, a time
    in Danish time, the states as tags, the follow-up's date or deadline, the late steps one a
    line, and nothing of a name marked safe."""
    from datetime import UTC, date, datetime

    from django.utils import translation

    from samtale.oversight.selectors.drill_down import PersonRow

    def row(**changes: object) -> PersonRow:
        values: dict[str, object] = {
            "person_uuid": None,
            "name": "<b>Åse</b>",
            "employee_number": "1",
            "unit_name": "Løn",
            "leader_id": None,
            "leader_name": "",
            "status": "held",
            "starts_at": datetime(2027, 3, 1, 23, 30, tzinfo=UTC),  # 2 March 00:30 in Copenhagen
            "held_on": date(2027, 3, 2),
            "plan_status": "",
            "plan_due_on": None,
            "plan_submitted_at": None,
            "plan_signed_at": None,
            "follow_up_by": date(2027, 9, 2),
            "follow_up_status": "",
            "follow_up_held_on": None,
            "overdue": ("overdue_plan", "overdue_follow_up"),
        }
        return PersonRow(**{**values, **changes})  # type: ignore[arg-type]

    with translation.override("da"):
        (cells,) = views._cells([row()])
        assert cells["name"] == "<b>Åse</b>"  # a plain string: the template escapes it
        assert cells["time"].startswith("2. marts 2027")
        assert cells["held_on"] == "2. marts 2027"
        assert cells["conversation"] == '<span class="badge badge-success">Afholdt</span>'
        assert cells["plan"] == "" and cells["plan_due_on"] == ""
        assert cells["follow_up"] == ' <span class="muted">senest 2. september 2027</span>'
        assert cells["late"] == (
            '<strong class="error-text">Planen er ikke underskrevet inden fristen</strong><br>'
            '<strong class="error-text">Opfølgningen er ikke afholdt i tide</strong>'
        )
    with translation.override("en"):
        (cells,) = views._cells([row(follow_up_status="held", follow_up_held_on=date(2027, 9, 1), overdue=())])
        assert cells["follow_up"] == '<span class="badge badge-success">Held</span> 1 September 2027'
        assert cells["late"] == ""


def test_the_filter_form_written_once_reads_as_django_writes_it() -> None:
    """The drill-down's filter form is kept as HTML per language and values: the same HTML as
    Django's own rendering, the choice shown selected, and a wrong value's error in its language."""
    from django import forms
    from django.http import QueryDict
    from django.utils import translation

    from samtale.oversight.forms import PeopleFilterForm, _form_html

    _form_html.cache_clear()
    for language in ("da", "en"):
        with translation.override(language):
            for query in ("", "step=held&sort=date&overdue=on", "step=<nonsense>", "sort=state&sort=name"):
                kept = str(PeopleFilterForm(QueryDict(query)))
                assert kept == forms.Form.render(PeopleFilterForm(QueryDict(query)))
                assert kept == str(PeopleFilterForm(QueryDict(query)))
            assert 'value="held" selected' in str(PeopleFilterForm(QueryDict("step=held")))
    with translation.override("da"):
        assert "Marker en gyldig valgmulighed" in str(PeopleFilterForm(QueryDict("step=x")))
    assert _form_html.cache_info().hits >= 8  # written once each, then kept
