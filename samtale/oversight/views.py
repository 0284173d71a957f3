"""The completion overview (docs/domain.md § Completion overview): HR for the units it covers, a
leader for their team, the chain for its subtree; everyone else gets 404. Dates and states only,
never text (docs/trust.md § HR sees dates and states)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import TextChoices
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samtale.access import round_policies
from samtale.access.lookups import require
from samtale.access.viewer import Viewer, get_viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import ConversationStatus
from samtale.lib.confirm import Question, ask_first
from samtale.lib.formatting import date_filter
from samtale.lib.interface import status
from samtale.lib.requests import AuthenticatedRequest
from samtale.org.models import Unit
from samtale.oversight import exports, services
from samtale.oversight.forms import PeopleFilterForm
from samtale.oversight.selectors import drill_down
from samtale.oversight.selectors.overview import completion_overview
from samtale.oversight.selectors.rounds import round_for_oversight, round_open_ends, rounds_for_oversight
from samtale.oversight.selectors.scope import Scope, oversight_scope, unit_in_scope
from samtale.oversight.selectors.timeline import round_timeline
from samtale.plans.models import FollowUpStatus, PlanStatus
from samtale.rounds.models import Round, RoundStatus

PAGE_SIZE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(viewer: Viewer) -> Scope:
    scope = oversight_scope(viewer)
    if scope is None:
        raise Http404
    return scope


def _round(round_uuid: str) -> Round:
    round_ = round_for_oversight(round_uuid=round_uuid)
    if round_ is None:
        raise Http404
    return round_


def _unit(scope: Scope, unit_uuid: str) -> Unit:
    try:
        unit = unit_in_scope(unit_uuid=UUID(str(unit_uuid)), scope=scope)
    except ValueError:
        raise Http404 from None
    if unit is None:
        raise Http404
    return unit


@login_required
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    """The launched and closed rounds, to choose one to follow."""
    _scope(get_viewer(request))
    return render(request, "oversight/round_list.html", {"rounds": rounds_for_oversight()})


@login_required
def overview(request: AuthenticatedRequest, round_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    scope = _scope(viewer)
    round_ = _round(round_uuid)
    under = _unit(scope, request.GET["under"]) if request.GET.get("under") else None
    context = {
        "round": round_,
        "overview": completion_overview(round_=round_, scope=scope, under=under),
        "timeline": round_timeline(round_=round_, scope=scope),
        "may_nudge": services.may_nudge(viewer) and round_.status == RoundStatus.LAUNCHED,
    }
    return render(request, "oversight/overview.html", context)


def _people(
    request: AuthenticatedRequest, round_uuid: str, unit_uuid: str
) -> tuple[Round, Unit, PeopleFilterForm, drill_down.UnitPeople]:
    scope = _scope(get_viewer(request))
    round_ = _round(round_uuid)
    unit = _unit(scope, unit_uuid)
    form = PeopleFilterForm(request.GET)
    rows = drill_down.unit_people(round_=round_, scope=scope, unit=unit, **form.values())  # type: ignore[arg-type]
    return round_, unit, form, rows


@login_required
def unit_people(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str) -> HttpResponse:
    """The people of a unit and below it: one row each, with dates and states, a page at a time
    (counted, filtered, sorted and cut in SQL)."""
    round_, unit, form, rows = _people(request, round_uuid, unit_uuid)
    pager: Paginator[drill_down.PersonRow] = Paginator(rows, PAGE_SIZE)  # type: ignore[arg-type]  # as a QuerySet
    page = pager.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "round": round_,
        "unit": unit,
        "form": form,
        "page": page,
        "rows": _rows(list(page.object_list)),
        "query": query.urlencode(),
    }
    return render(request, "oversight/unit_people.html", context)


# One row of the drill-down's table, whose head is in templates/oversight/unit_people.html. The
# rows are written in Python, as Django's admin writes its change list's: a page shows a hundred
# rows of ten cells, and the template engine resolving each row's dates, states and labels (with
# a tag and a translation in every row) was half of the page's time.
_ROW = (
    '<tr><th scope="row">{name}</th><td>{unit}</td><td>{conversation}</td><td>{time}</td><td>{held_on}</td>'
    "<td>{plan}</td><td>{plan_due_on}</td><td>{plan_signed}</td><td>{follow_up}</td><td>{late}</td></tr>"
)


def _cells(rows: list[drill_down.PersonRow]) -> list[dict[str, str]]:
    """Each row's cells, in ``_ROW``'s order; the name and the unit are plain text, the rest is
    HTML. A page shows the same few dates, states and late steps again and again: each is written
    once a page."""
    late = exports.overdue_labels()
    written: dict[tuple[Any, ...], str] = {}

    def once(key: tuple[Any, ...], write: Callable[[], str]) -> str:
        if key not in written:
            written[key] = write()
        return written[key]

    def day(value: date | datetime | None, pattern: str = "DATE_FORMAT") -> str:
        if value is None:
            return ""
        moment = value  # narrowed: not None

        def write() -> str:
            return date_filter(timezone.localtime(moment) if isinstance(moment, datetime) else moment, pattern)

        return once(("day", value, pattern), write)

    def tag(kind: type[TextChoices], value: str) -> str:
        return once(("tag", kind, value), lambda: status(value, kind(value).label) if value else "")

    def follow_up(row: drill_down.PersonRow) -> str:
        def write() -> str:
            state = tag(FollowUpStatus, row.follow_up_status)
            if row.follow_up_held_on:
                return format_html("{} {}", state, day(row.follow_up_held_on))
            if row.follow_up_by:
                by = _("by %(date)s") % {"date": day(row.follow_up_by)}
                return format_html('{} <span class="muted">{}</span>', state, by)
            return state

        return once(("follow_up", row.follow_up_status, row.follow_up_held_on, row.follow_up_by), write)

    def late_steps(steps: tuple[str, ...]) -> str:
        return once(
            ("late", steps),
            lambda: format_html_join(
                mark_safe("<br>"), '<strong class="error-text">{}</strong>', ((late[step],) for step in steps)
            ),
        )

    return [
        {
            "name": row.name,
            "unit": row.unit_name,
            "conversation": tag(ConversationStatus, row.status),
            "time": day(row.starts_at, "DATETIME_FORMAT"),
            "held_on": day(row.held_on),
            "plan": tag(PlanStatus, row.plan_status),
            "plan_due_on": day(row.plan_due_on),
            "plan_signed": day(row.plan_signed_at),
            "follow_up": follow_up(row),
            "late": late_steps(row.overdue),
        }
        for row in rows
    ]


def _rows(rows: list[drill_down.PersonRow]) -> SafeString:
    """The table's rows: ``_ROW`` filled with each row's cells, the name and the unit escaped (as
    Django's ``escape`` does it, without its wrapping for lazy text)."""
    return SafeString(
        "".join(
            _ROW.format_map({**cells, "name": html.escape(cells["name"]), "unit": html.escape(cells["unit"])})
            for cells in _cells(rows)
        )
    )


@login_required
def unit_people_export(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str, kind: str) -> FileResponse:
    """Every row (not a page) as a CSV or XLSX file, written to a temporary file before anything is
    sent (a chunk of rows in memory at a time; no half file if a read fails); every export is
    audited with its number of rows (docs/trust.md § Audit trail)."""
    round_, unit, _form, rows = _people(request, round_uuid, unit_uuid)
    file, written = exports.as_file(rows, kind)
    audit_record(
        actor=request.user,
        action="oversight.export",
        target=unit,
        data={"round": str(round_.uuid), "format": kind, "rows": written},
    )
    name = f"{_('completion')}-{round_.name}-{unit.code}.{kind}"
    content_type = XLSX if kind == "xlsx" else "text/csv; charset=utf-8"
    return FileResponse(file, as_attachment=True, filename=name, content_type=content_type)


@login_required
@require_POST
def nudge(request: AuthenticatedRequest, round_uuid: str) -> HttpResponse:
    """HR reminds the leaders of the conversations not held by the deadline; a leader, who may
    read the overview, is refused (403)."""
    viewer = get_viewer(request)
    _scope(viewer)
    round_ = _round(round_uuid)
    if not services.may_nudge(viewer):
        raise PermissionDenied  # refused before being asked
    question = Question(
        title=_("Remind the leaders of the conversations not held by the deadline?"),
        confirm=_("Yes, send the reminders"),
        cancel_url=reverse("oversight:overview", args=[round_.uuid]),
        consequences=(_("Each leader with a late conversation gets an e-mail now, at most once a day."),),
    )
    if (asked := ask_first(request, question)) is not None:
        return asked
    result = services.leaders_nudge(viewer=viewer, round_=round_)
    if result.sent:
        messages.success(
            request,
            ngettext("A reminder goes to %(count)d leader.", "A reminder goes to %(count)d leaders.", result.sent)
            % {"count": result.sent},
        )
    elif result.leaders:
        messages.info(request, _("The leaders have been reminded today already."))
    else:
        messages.info(request, _("No conversation is late: nobody to remind."))
    return redirect("oversight:overview", round_uuid=round_.uuid)


@login_required
def round_close(request: AuthenticatedRequest, round_uuid: str) -> HttpResponse:
    """HR closes a round whose held-by date has passed, after seeing what it leaves undone
    (docs/domain.md § The round ends); anyone who may not manage rounds gets 404."""
    viewer = get_viewer(request)
    require(round_policies.may_manage_rounds(viewer))
    round_ = _round(round_uuid)
    open_ends = round_open_ends(round_=round_)
    errors: list[str] = []
    if request.method == "POST":
        despite = request.POST.get("despite_follow_ups") == "1"
        consequences = [
            _("Its reminders stop and its conversations, plans and follow-ups can be read, no longer changed."),
            _("Its completion figures are kept as they are now."),
            _("The retention periods that count from the close start today."),
        ]
        question = Question(
            title=_("Close %(round)s?") % {"round": round_.name},
            confirm=_("Yes, close the round"),
            cancel_url=reverse("oversight:round_close", args=[round_.uuid]),
            consequences=consequences,
            danger=True,
        )
        if not (open_ends.follow_ups and not despite) and (asked := ask_first(request, question)) is not None:
            return asked
        try:
            services.round_close(viewer=viewer, round_=round_, despite_follow_ups=despite)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("%(round)s is closed.") % {"round": round_.name})
            return redirect("rounds:detail", round_uuid=round_.uuid)
    context = {
        "round": round_,
        "open_ends": open_ends,
        "errors": errors,
        "closable": round_.status == RoundStatus.LAUNCHED and round_.held_by < timezone.localdate(),
    }
    return render(request, "oversight/round_close.html", context, status=400 if errors else 200)
