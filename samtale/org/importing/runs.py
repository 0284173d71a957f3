"""The import as HR uses it in the browser: upload and preview, then apply or discard."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from samtale.accounts.models import User
from samtale.audit.services import audit_record
from samtale.org.importing.apply import organisation_import
from samtale.org.importing.reader import ImportFileError
from samtale.org.models import ImportRun, ImportStatus

MAX_STORED_ERRORS = 2000
# A preview nobody applied or discarded is discarded after this: the file holds personal data.
PREVIEW_KEPT = timedelta(days=1)


class ImportAlreadyHandled(Exception):
    """The preview was applied or discarded already (a form posted twice, two tabs)."""


class ImportNeedsConfirmation(Exception):
    """The file would end many people's employment, and nobody confirmed that it should."""


def _errors(errors: list[tuple[int | None, str]]) -> list[dict[str, object]]:
    return [{"line": line, "message": message} for line, message in errors[:MAX_STORED_ERRORS]]


def import_run_preview(*, actor: User, file_name: str, content: bytes, send_invitations: bool) -> ImportRun:
    """Check the file and keep it with its preview; nothing in the organisation changes."""
    run = ImportRun(
        created_by=actor,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        send_invitations=send_invitations,
    )
    try:
        outcome = organisation_import(content=content, file_name=file_name, actor=actor, dry_run=True)
    except ImportFileError as error:
        run.status = ImportStatus.REJECTED
        run.errors = _errors([(error.line, error.message)])
    else:
        plan = outcome.plan
        run.summary = {**plan.summary(), "ends_many": plan.ends_many}
        if plan.ok:
            run.status = ImportStatus.PREVIEWED
            run.preview = plan.preview()
            run.content = content
        else:
            run.status = ImportStatus.REJECTED
            run.errors = _errors(list(plan.errors))
    with transaction.atomic():
        run.save()
        audit_record(
            actor=actor,
            action="org.import_previewed",
            target=run,
            data={"file": run.file_name, "sha256": run.file_sha256, "status": run.status, **run.summary},
        )
    return run


@transaction.atomic
def import_run_apply(*, actor: User, run: ImportRun, confirm_endings: bool = False) -> ImportRun:
    """Apply a previewed file, all or nothing. The plan is made again against the organisation as
    it is now; if it has become invalid meanwhile, nothing is written and the errors are shown."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.APPLIED, applied_at=timezone.now()
    )
    if not claimed:
        raise ImportAlreadyHandled
    run.refresh_from_db()
    outcome = organisation_import(
        content=bytes(run.content or b""),
        file_name=run.file_name,
        actor=actor,
        send_invitations=run.send_invitations,
        confirm_endings=confirm_endings,
        run=run,
    )
    if outcome.needs_confirmation:
        raise ImportNeedsConfirmation  # the transaction rolls back: the preview stays as it was
    plan = outcome.plan
    run.summary = {**plan.summary(), "invitations": outcome.invitations}
    run.content = None  # personal data is kept no longer than needed
    if not outcome.applied:
        run.status = ImportStatus.REJECTED
        run.applied_at = None
        run.errors = _errors(list(plan.errors))
    run.save(update_fields=["summary", "content", "status", "applied_at", "errors"])
    return run


@transaction.atomic
def import_run_discard(*, actor: User, run: ImportRun) -> None:
    discarded = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.DISCARDED, content=None
    )
    if not discarded:
        raise ImportAlreadyHandled
    audit_record(actor=actor, action="org.import_discarded", target=run)


def import_runs_expire() -> int:
    """Discard previews left for longer than PREVIEW_KEPT, erasing their files."""
    return ImportRun.objects.filter(status=ImportStatus.PREVIEWED, created_at__lt=timezone.now() - PREVIEW_KEPT).update(
        status=ImportStatus.DISCARDED, content=None
    )
