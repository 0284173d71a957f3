"""The plan's signing views: hand in, ask for changes, sign, amend, the versions and each
version's page with what changed, and the PDF. ``section_context`` gives the plan page
(``views.plan``) what its signing section (``plans/_signing.html``) needs.

Every view looks the plan up through ``samtale.access.lookups`` (a stranger gets 404), then asks
the policy for the action: someone who may read the plan but not do this gets 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from samtale.access import lookups, plan_policies
from samtale.access.viewer import Viewer, get_viewer
from samtale.lib.client_address import client_address
from samtale.lib.queries import one_or_none
from samtale.lib.requests import AuthenticatedRequest
from samtale.plans.diff import version_diff
from samtale.plans.forms.signing import AmendForm, AskChangesForm, SignForm
from samtale.plans.models import CommentKind, Plan, PlanComment, PlanStatus, PlanVersion, Side
from samtale.plans.pdf import plan_pdf, signature_lines, version_signatures
from samtale.plans.readable import readable_version
from samtale.plans.services import signing


def plan_page_url(plan: Plan) -> str:
    """The plan's own page (the writing area's ``plans:detail``); the conversation's page until
    that exists."""
    try:
        return reverse("plans:detail", args=[plan.uuid])
    except NoReverseMatch:
        return reverse("conversations:detail", args=[plan.conversation.uuid])


def _version(plan: Plan, number: int) -> PlanVersion:
    version = one_or_none(
        plan.versions.filter(number=number).select_related("amends"), key="plans.views.signing._version"
    )
    if version is None:
        raise Http404
    return version


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _done(request: HttpRequest, plan: Plan, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(plan_page_url(plan))


def _ran(form: forms.Form, run: Any) -> bool:
    """Run the service if the form is valid; a rule it refuses becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        run()
    except ValidationError as error:
        for message in _messages(error):
            form.add_error(None, message)
        return False
    return True


# The section on the plan page ----------------------------------------------------------------


def section_context(
    request: HttpRequest, viewer: Viewer, plan: Plan, *, version: PlanVersion | None = None
) -> dict[str, Any]:
    """What the signing section shows: the state of the current version (``version``: read
    already), who has signed, the leader's request for changes, and the actions open to this
    viewer."""
    version = version or signing.current_version(plan)
    side = signing.signer_side(viewer, plan)
    signed = version_signatures(version)
    signatures = signature_lines(version, signed)
    signed_sides = {signature.side for signature in signed}
    changes_asked = (
        PlanComment.objects.filter(version__plan=plan, kind=CommentKind.CHANGES_ASKED)
        .select_related("author", "version")
        .order_by("-created_at", "-id")
        .first()
        # Between the employee and the leader, like every comment: not for the chain or shared readers.
        if version.status == PlanStatus.CHANGES_ASKED and side is not None
        else None
    )
    may_sign = (
        side is not None
        and plan_policies.may_sign_plan(viewer, plan)
        and version.status == PlanStatus.SUBMITTED
        and side not in signed_sides
    )
    # The newest version both have signed: this one, none before the first signature, else asked.
    if version.status == PlanStatus.SIGNED:
        last_signed: int | None = version.number
    elif plan.signed_at is None:
        last_signed = None
    else:
        last_signed = plan.versions.exclude(signed_at=None).order_by("-number").values_list("number", flat=True).first()
    return {
        "signing": {
            "plan": plan,
            "version": version,
            "side": side,
            "signatures": signatures,
            "changes_asked": changes_asked,
            "may_submit": plan_policies.may_write_plan(viewer, plan) and version.status in signing.EDITABLE,
            "may_ask_changes": plan_policies.may_comment_on_plan(viewer, plan)
            and version.status == PlanStatus.SUBMITTED
            and not version.signatures.filter(side=Side.LEADER, person=viewer.person).exists(),
            "may_sign": may_sign,
            "may_amend": side is not None and version.status == PlanStatus.SIGNED,
            "waiting_for_other": side is not None and version.status == PlanStatus.SUBMITTED and side in signed_sides,
            "last_signed": last_signed,
            "version_count": version.number,
        }
    }


# Handing in, asking for changes ------------------------------------------------------------------


@login_required
@require_POST
def submit(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """The employee hands the plan to the leader."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    lookups.require_write(plan_policies.may_write_plan(viewer, plan))
    try:
        signing.plan_submit(viewer=viewer, plan=plan)
    except ValidationError as error:
        for message in _messages(error):
            messages.error(request, message)
        return redirect(plan_page_url(plan))
    return _done(request, plan, _("The plan is handed in. Your leader is told."))


@login_required
def ask_changes(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """The leader asks for changes, saying which."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    lookups.require_write(plan_policies.may_comment_on_plan(viewer, plan))
    form = AskChangesForm(request.POST or None)
    comment = lambda: signing.plan_ask_changes(viewer=viewer, plan=plan, comment=form.cleaned_data["comment"])  # noqa: E731
    if request.method == "POST" and _ran(form, comment):
        return _done(request, plan, _("You asked for changes. The employee is told."))
    return _page(request, "plans/ask_changes.html", plan, form)


@sensitive_post_parameters("password")
@never_cache
@login_required
def sign(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """Sign the current version for one's own side, after entering the password again."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    lookups.require_write(plan_policies.may_sign_plan(viewer, plan))
    form = SignForm(request.POST or None)
    if request.method == "POST":
        ran = _ran(
            form,
            lambda: signing.plan_sign(
                viewer=viewer, plan=plan, password=form.cleaned_data["password"], address=client_address(request)
            ),
        )
        if ran:
            version = signing.current_version(plan)
            both = version.status == PlanStatus.SIGNED
            return _done(
                request,
                plan,
                _("You have signed. The plan is signed by both.")
                if both
                else _("You have signed. The other side is asked to sign."),
            )
    side = signing.signer_side(viewer, plan)
    problems: list[str] = []
    if request.method == "GET" and side is not None:
        # Say at once why the plan cannot be signed (not handed in, an open item), not after the password.
        try:
            signing.check_may_sign(plan, side)
        except ValidationError as error:
            problems = _messages(error)
    return _page(request, "plans/sign.html", plan, form, problems=problems)


@login_required
def amend(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """Either side starts an amendment of the signed plan."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    lookups.require_write(plan_policies.may_sign_plan(viewer, plan))
    form = AmendForm(request.POST or None)
    start = lambda: signing.plan_amend(viewer=viewer, plan=plan, reason=form.cleaned_data["reason"])  # noqa: E731
    if request.method == "POST" and _ran(form, start):
        return _done(request, plan, _("The amendment is started as a new version. The other side is told."))
    return _page(request, "plans/amend.html", plan, form)


def _page(
    request: AuthenticatedRequest, template: str, plan: Plan, form: forms.Form, *, problems: list[str] | None = None
) -> HttpResponse:
    version = signing.current_version(plan)
    if request.method == "GET":  # the page shows what the plan says: a read by the leader is audited
        signing.plan_version_read_record(viewer=get_viewer(request), plan=plan, version=version)
    context = {
        "plan": plan,
        "version": version,
        "content": readable_version(version),
        "signatures": signature_lines(version),
        "form": form,
        "problems": problems or [],
        "plan_url": plan_page_url(plan),
    }
    return render(request, template, context, status=400 if form.errors else 200)


# Versions, each version's page, the PDF ------------------------------------------------------------


@login_required
def versions(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    rows = list(plan.versions.order_by("-number").prefetch_related("signatures__person"))
    return render(request, "plans/versions.html", {"plan": plan, "versions": rows, "plan_url": plan_page_url(plan)})


@login_required
def version_detail(request: AuthenticatedRequest, plan_uuid: str, number: int) -> HttpResponse:
    """One version as it was handed in or signed, with what it changed against the one before."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    version = _version(plan, number)
    previous = version.amends or one_or_none(
        plan.versions.filter(number=number - 1), key="plans.views.signing.version_detail"
    )
    signing.plan_version_read_record(viewer=viewer, plan=plan, version=version)
    context = {
        "plan": plan,
        "version": version,
        "previous": previous,
        "diff": version_diff(previous, version) if previous else None,
        "content": readable_version(version),
        "signatures": signature_lines(version),
        "may_download": bool(version.signed_at),
        "plan_url": plan_page_url(plan),
    }
    return render(request, "plans/version.html", context)


@login_required
def version_pdf(request: AuthenticatedRequest, plan_uuid: str, number: int) -> HttpResponse:
    """The signed version as a PDF in the reader's language: the leader's is the original,
    everyone else's a copy. A version not yet signed by both has no PDF (404)."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    version = _version(plan, number)
    if version.signed_at is None:
        raise Http404
    label = signing.pdf_label(viewer, plan)
    with translation.override(request.user.language or translation.get_language()):
        content = plan_pdf(plan=plan, version=version, label=label)
        name = _("development-plan") if label == "copy" else _("development-plan-original")
    signing.plan_pdf_record(viewer=viewer, plan=plan, version=version, label=label)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-{plan.employee.employee_number}-v{number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
