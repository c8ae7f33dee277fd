"""The supervisors' reports page (`/agent/reports/`) and each report as CSV.

Supervisors only: agents get a 403 in the agent layout. The date range comes from the query
string (`from`, `to`, ISO dates, both days included, in the current time zone), the last 30
days by default; a bad or too long range is a 400 that says what is wrong."""

import csv
from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tickets.agent.charts import render_chart
from tickets.selectors.access import user_is_supervisor
from tickets.selectors.reports import (
    MAX_RANGE_DAYS,
    DateRange,
    report_csv_rows,
    report_get,
    report_list,
)

DEFAULT_DAYS = 30


class ReportRangeForm(forms.Form):
    """The date range of the reports: missing ends default to the last DEFAULT_DAYS days."""

    start = forms.DateField(label=_("First day"), required=False)
    end = forms.DateField(label=_("Last day"), required=False)

    def __init__(self, data, **kwargs):
        # The query string says `from` and `to`; `from` is a Python keyword, hence the names.
        data = {"start": data.get("from", ""), "end": data.get("to", "")}
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = timezone.localdate()
        end = cleaned.get("end") or today
        start = cleaned.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("The first day is after the last day."))
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise forms.ValidationError(
                _("Choose at most %(days)s days.") % {"days": MAX_RANGE_DAYS}
            )
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def period(self) -> DateRange:
        return DateRange(
            self.cleaned_data["start"], self.cleaned_data["end"], timezone.get_current_timezone()
        )


def _forbidden(request):
    return render(request, "tickets/agent/reports_forbidden.html", status=403)


@require_GET
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_reports(request):
    if not user_is_supervisor(user=request.user):
        return _forbidden(request)
    form = ReportRangeForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "first": request.GET.get("from"), "last": request.GET.get("to")}
        return render(request, "tickets/agent/reports.html", context, status=400)
    period = form.period()
    reports = report_list(user=request.user, period=period)
    return render(
        request,
        "tickets/agent/reports.html",
        {
            "form": form,
            "period": period,
            "first": period.first.isoformat(),
            "last": period.last.isoformat(),
            "time_zone": timezone.get_current_timezone_name(),
            "query": f"from={period.first.isoformat()}&to={period.last.isoformat()}",
            "reports": [
                {
                    "report": report,
                    "svg": render_chart(
                        report.table, title=str(report.title), chart_id=f"chart-{report.slug}"
                    ),
                }
                for report in reports
            ],
        },
    )


@require_GET
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_report_csv(request, slug: str):
    if not user_is_supervisor(user=request.user):
        return _forbidden(request)
    form = ReportRangeForm(request.GET)
    if not form.is_valid():
        errors = [
            f"{form[name].label}: {error}" if name in form.fields else str(error)
            for name, field_errors in form.errors.items()
            for error in field_errors
        ]
        return HttpResponse(
            "\n".join(errors) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    period = form.period()
    report = report_get(user=request.user, slug=slug, period=period)
    if report is None:
        raise Http404(gettext("No such report."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{slug}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv.writer(response).writerows(report_csv_rows(report.table))
    return response
