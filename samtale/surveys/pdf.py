"""The 360 report as a PDF (WeasyPrint), in the reader's language."""

from __future__ import annotations

from django.utils import timezone

from samtale.lib.documents import pdf_from_template
from samtale.surveys.models import Survey
from samtale.surveys.selectors.leader_reports import LeaderReport


def leader_report_pdf(*, survey: Survey, report: LeaderReport) -> bytes:

    context = {"survey": survey, "report": report, "leader": report.leader, "made_at": timezone.localtime()}
    return pdf_from_template("surveys/leader_report_pdf.html", context)
