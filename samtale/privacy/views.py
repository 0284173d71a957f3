"""The pages of privacy (docs/trust.md § Erasure and retention, § Right of access, § The data
protection officer): a person's own data and its download; for HR and the data protection officer a
person's hold, export and erasure; for the data protection officer the audit trail, the retention
schedule with what is due and what went, and the legal holds. None of them shows any content."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from samtale.access import privacy_policies
from samtale.access.lookups import person_for_privacy, require, require_write
from samtale.access.viewer import get_viewer
from samtale.audit.models import AuditEvent
from samtale.audit.services import audit_record
from samtale.lib.confirm import Question, ask_first
from samtale.lib.requests import AuthenticatedRequest
from samtale.org.models import Person
from samtale.privacy import selectors, services
from samtale.privacy.exporting import person_export
from samtale.privacy.forms import AuditFilterForm, HoldForm, ReasonForm, SettingForm
from samtale.privacy.models import LegalHold, PrivacySetting
from samtale.privacy.retention import KINDS, retention_due
from samtale.privacy.schedule import RULES, described, kind_label

ZIP = "application/zip"
# The retention page counts what is due up to this many of each kind ("more than 1,000").
DUE_SHOWN = 1000


def _zip_response(person: Person) -> HttpResponse:
    response = HttpResponse(person_export(person), content_type=ZIP)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="samtale-{person.employee_number}-{stamp}.zip"'
    return response


# A person's own data ------------------------------------------------------------------------------


@login_required
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """What Samtale holds about me, how long, and the download."""
    viewer = get_viewer(request)
    require(privacy_policies.may_export_own(viewer))
    context = {
        "rules": [(rule, described(rule.key)) for rule in RULES],
        "hold": services.active_hold(viewer.person) if viewer.person else None,
        "nav_section": "account",
    }
    return render(request, "privacy/my_data.html", context)


@login_required
@require_POST
def my_data_download(request: AuthenticatedRequest) -> HttpResponse:
    """The ZIP of everything about me (Art. 15 and 20); the download is in the audit trail."""
    viewer = get_viewer(request)
    require(privacy_policies.may_export_own(viewer))
    person = viewer.person
    assert person is not None
    audit_record(actor=request.user, action="privacy.data_exported", target=person, subject_person_id=person.pk)
    return _zip_response(person)


# One person, for HR and the data protection officer -------------------------------------------------


@login_required
def person(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    subject = person_for_privacy(viewer, person_uuid)
    may_erase = privacy_policies.may_erase(viewer, subject)
    context = {
        "subject": subject,
        "hold": services.active_hold(subject),
        "holds": list(LegalHold.objects.filter(person=subject).select_related("placed_by", "lifted_by")),
        "erasure": services.erasure_preview(subject) if may_erase else None,
        "may_erase": may_erase,
        "hold_form": ReasonForm(prefix="hold"),
        "lift_form": ReasonForm(prefix="lift"),
        "erase_form": ReasonForm(prefix="erase"),
        "nav_section": "privacy" if viewer.dpo else "organisation",
    }
    return render(request, "privacy/person.html", context)


@login_required
@require_POST
def person_export_download(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    """HR or the data protection officer produces the person's data for their request; audited."""
    viewer = get_viewer(request)
    subject = person_for_privacy(viewer, person_uuid)
    audit_record(actor=request.user, action="privacy.data_exported", target=subject, subject_person_id=subject.pk)
    return _zip_response(subject)


def _person_action(
    request: AuthenticatedRequest,
    subject: Person,
    *,
    prefix: str,
    missing: str,
    act: Callable[[str], object],
    done: str,
    question: Question | None = None,
) -> HttpResponse:
    """One of the actions on a person's privacy page: a reason is required, the question (if any)
    answered first, the service's refusal shown on the page; back to the page either way."""
    form = ReasonForm(request.POST, prefix=prefix)
    errors: list[str] = []
    if not form.is_valid():
        errors = [missing]
    elif question is not None and (asked := ask_first(request, question)) is not None:
        return asked
    else:
        try:
            act(form.cleaned_data["reason"])
        except ValidationError as error:
            errors = error.messages
    for message in errors:
        messages.error(request, message)
    if not errors:
        messages.success(request, done)
    return redirect("privacy:person", person_uuid=subject.uuid)


@login_required
@require_POST
def hold_place(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    subject = person_for_privacy(viewer, person_uuid)
    return _person_action(
        request,
        subject,
        prefix="hold",
        missing=_("Give the reason for the hold."),
        act=lambda reason: services.legal_hold_place(viewer=viewer, person=subject, reason=reason),
        done=_("Nothing of %(name)s's is deleted until the hold is lifted.") % {"name": subject.name},
    )


@login_required
@require_POST
def hold_lift(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    subject = person_for_privacy(viewer, person_uuid)
    hold = services.active_hold(subject)
    if hold is None:
        messages.error(request, _("The hold has already been lifted."))
        return redirect("privacy:person", person_uuid=subject.uuid)
    return _person_action(
        request,
        subject,
        prefix="lift",
        missing=_("Give the reason for lifting the hold."),
        act=lambda reason: services.legal_hold_lift(viewer=viewer, hold=hold, reason=reason),
        done=_("The hold on %(name)s is lifted.") % {"name": subject.name},
        question=Question(
            title=_("Lift the legal hold on %(name)s?") % {"name": subject.name},
            confirm=_("Yes, lift the hold"),
            cancel_url=reverse("privacy:person", args=[subject.uuid]),
            consequences=(_("Records of theirs whose time has run out are deleted by the next daily run."),),
        ),
    )


@login_required
@require_POST
def erase(request: AuthenticatedRequest, person_uuid: str) -> HttpResponse:
    """Erasure on request (Art. 17), with the data protection officer's role; asked first."""
    viewer = get_viewer(request)
    subject = person_for_privacy(viewer, person_uuid)
    require_write(privacy_policies.may_erase(viewer, subject))
    preview = services.erasure_preview(subject)
    return _person_action(
        request,
        subject,
        prefix="erase",
        missing=_("Give the reason for the erasure."),
        act=lambda reason: services.person_erase(viewer=viewer, person=subject, reason=reason),
        done=_("%(name)s's MUS records are erased: %(count)d records.")
        % {"name": subject.name, "count": preview.total},
        question=Question(
            title=_("Erase %(name)s's MUS records?") % {"name": subject.name},
            confirm=_("Yes, erase them for good"),
            cancel_url=reverse("privacy:person", args=[subject.uuid]),
            consequences=(
                _(
                    "%(conversations)d conversations with their preparations, minutes and plans (every version and "
                    "signature), %(invitations)d evaluation invitations and %(emails)d e-mails are deleted. "
                    "This cannot be undone."
                )
                % {
                    "conversations": preview.conversations,
                    "invitations": preview.survey_invitations,
                    "emails": preview.emails,
                },
                _("The audit trail keeps that they were erased, by whom and why, never what they said."),
            ),
            danger=True,
        ),
    )


# The data protection officer -------------------------------------------------------------------------


def _filtered(request: AuthenticatedRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = selectors.audit_events(
            person=data["person"], area=data["area"], reads=data["reads"], since=data["since"], until=data["until"]
        )
    else:
        events = selectors.audit_events() if not form.is_bound else selectors.audit_events().none()
    return form, events


@login_required
def audit(request: AuthenticatedRequest) -> HttpResponse:
    """The audit trail: who did or read what, when; filtered by person, area and date."""
    viewer = get_viewer(request)
    require(privacy_policies.may_oversee_privacy(viewer))
    form, events = _filtered(request)
    page = selectors.audit_page(events, after=request.GET.get("after", ""))
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "first_page": bool(request.GET.get("after")),
        "tab": "audit",
        "nav_section": "privacy",
    }
    return render(request, "privacy/audit.html", context, status=400 if form.errors else 200)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_export(request: AuthenticatedRequest) -> StreamingHttpResponse | HttpResponse:
    """The filtered trail as CSV, streamed in constant memory; the export is itself audited."""
    viewer = get_viewer(request)
    require(privacy_policies.may_oversee_privacy(viewer))
    form, events = _filtered(request)
    if form.errors:
        return redirect(f"{reverse('privacy:audit')}?{request.GET.urlencode()}")
    audit_record(actor=request.user, action="privacy.audit_exported", data={"filter": request.GET.dict()})
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    header = [pgettext("point in time", "When"), _("Who"), _("Action"), _("Outcome")]
    header += [_("Object type"), _("Object"), _("Person"), _("Details")]

    def rows():  # type: ignore[no-untyped-def]
        yield "\ufeff" + writer.writerow(header)
        for row in selectors.audit_rows(events):
            row[-1] = json.dumps(row[-1], ensure_ascii=False)
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="samtale-audit-{timezone.localdate().isoformat()}.csv"'
    return response


@login_required
def retention(request: AuthenticatedRequest) -> HttpResponse:
    """The schedule, what is due today and what retention deleted; the export setting."""
    viewer = get_viewer(request)
    require(privacy_policies.may_oversee_privacy(viewer))
    today = timezone.localdate()
    due = retention_due(today, cap=DUE_SHOWN)  # the same cost however much is due
    context = {
        "rules": [(rule, described(rule.key)) for rule in RULES],
        "due": [(kind_label(kind.key), min(due[kind.key], DUE_SHOWN), due[kind.key] > DUE_SHOWN) for kind in KINDS],
        "history": selectors.retention_history(today=today),
        "setting_form": SettingForm(
            initial={"export_leader_preparation_text": PrivacySetting.current().export_leader_preparation_text}
        ),
        "may_decide": privacy_policies.may_decide_privacy(viewer),
        "tab": "retention",
        "nav_section": "privacy",
    }
    return render(request, "privacy/retention.html", context)


@login_required
@require_POST
def setting(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    require(privacy_policies.may_oversee_privacy(viewer))
    form = SettingForm(request.POST)
    form.is_valid()
    services.privacy_setting_update(
        viewer=viewer, export_leader_preparation_text=bool(form.cleaned_data.get("export_leader_preparation_text"))
    )
    messages.success(request, _("The setting is saved."))
    return redirect("privacy:retention")


@login_required
def holds(request: AuthenticatedRequest) -> HttpResponse:
    """The legal holds in force, and a new one on a person found by e-mail or employee number."""
    viewer = get_viewer(request)
    require(privacy_policies.may_oversee_privacy(viewer))
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_place(
                viewer=viewer, person=form.cleaned_data["person"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The hold is placed."))
            return redirect("privacy:holds")
    context = {"holds": selectors.holds_active(), "form": form, "tab": "holds", "nav_section": "privacy"}
    return render(request, "privacy/holds.html", context, status=400 if form.errors else 200)
