"""The catalogues' import and export page (docs/domain.md § Competences and courses): the competence
catalogue for HR covering the whole organisation, the course catalogue
for the education consultants and HR. All or nothing, with every bad row by its line number."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from samtale.access import competence_policies
from samtale.access.lookups import require
from samtale.access.viewer import Viewer, get_viewer
from samtale.competences import importing
from samtale.competences.forms.importing import ImportForm
from samtale.lib.requests import AuthenticatedRequest
from samtale.org.importing.reader import ImportFileError, check_size

SPECS = {
    "competences": importing.COMPETENCE_SPEC,
    "courses": importing.COURSE_SPEC,
}
IMPORTS = {
    "competences": importing.competences_import,
    "courses": importing.courses_import,
}
EXPORTS = {"competences": importing.competences_export, "courses": importing.courses_export}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _kinds(viewer: Viewer) -> list[str]:
    kinds = []
    # Registered levels are moved from an earlier system by the operator (manage.py
    # import_competences --levels), never from this page: HR may not read or write a register, and
    # an import's "changed" or "as it was" would tell a level (docs/trust.md § Competences and courses).
    if competence_policies.may_manage_competences(viewer):
        kinds.append("competences")
    if competence_policies.may_manage_courses(viewer):
        kinds.append("courses")
    return kinds


@login_required
def import_page(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    kinds = _kinds(viewer)
    require(bool(kinds))
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds, initial={"kind": kinds[0]})
    result = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size, SPECS[form.cleaned_data["kind"]])
            result = IMPORTS[form.cleaned_data["kind"]](
                content=upload.read(),
                file_name=upload.name,
                actor=request.user,
                dry_run=form.cleaned_data["check_only"],
            )
        except ImportFileError as error:
            file_error = error.message
    context = {
        "form": form,
        "result": result,
        "file_error": file_error,
        "kinds": kinds,
        "tab": "catalogue",
        "nav_section": "competences",
    }
    return render(request, "competences/import.html", context)


@login_required
def export(request: AuthenticatedRequest, what: str, extension: str) -> HttpResponse:
    viewer = get_viewer(request)
    if what not in EXPORTS or extension not in CONTENT_TYPES:
        raise Http404
    require(what in _kinds(viewer))
    response = HttpResponse(EXPORTS[what](extension), content_type=CONTENT_TYPES[extension])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="samtale-{what}-{stamp}.{extension}"'
    return response
