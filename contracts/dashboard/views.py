from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.dashboard.forms import AgencyChoiceForm
from contracts.dashboard.permissions import can_view_dashboard, dashboard_agency_id
from contracts.dashboard.selectors import FLOWS, agency_dashboard
from portal import page_cache
from portal.charts import bar_chart
from portal.dates import BuddhistDateFormat
from portal.exports import Column, export_list, wanted_format
from portal.roles import Role, has_role

FLOW_LABELS = {
    "committed": gettext_lazy("Committed (baht)"),
    "released": gettext_lazy("Released (baht)"),
    "paid": gettext_lazy("Paid (baht)"),
    "refunded": gettext_lazy("Refund due (baht)"),
}

EXPORT_COLUMNS = [
    Column(gettext_lazy("Figure"), lambda r: r[0]),
    Column(gettext_lazy("Row"), lambda r: r[1]),
    Column(gettext_lazy("Series"), lambda r: r[2]),
    Column(gettext_lazy("Value"), lambda r: r[3]),
]


def _month(value) -> str:
    return BuddhistDateFormat(value).format(_("F Y \\B\\E"))


def _charts(board):
    flows = [str(FLOW_LABELS[f]) for f in FLOWS]
    return [
        bar_chart(
            "by-status",
            _("Agreements by status"),
            _("The number of agreements in each status."),
            _("Status"),
            [label for label, _n, _a in board.by_status],
            [(_("Agreements"), [n for _l, n, _a in board.by_status])],
        ),
        bar_chart(
            "by-month",
            _("Money by month"),
            _("Baht committed, released, paid and due to be refunded in each month."),
            _("Month"),
            [_month(month) for month, _v in board.by_month],
            [(flows[i], [v[f] for _m, v in board.by_month]) for i, f in enumerate(FLOWS)],
        ),
        bar_chart(
            "by-instrument",
            _("Money by instrument"),
            _("Baht committed, released, paid and due to be refunded for each instrument."),
            _("Instrument"),
            [label for label, _v in board.by_instrument],
            [(flows[i], [v[f] for _l, v in board.by_instrument]) for i, f in enumerate(FLOWS)],
        ),
        bar_chart(
            "per-call",
            _("Proposals per call"),
            _("The number of proposals sent to each of the latest calls."),
            _("Call"),
            [title for title, _n in board.per_call],
            [(_("Proposals"), [n for _t, n in board.per_call])],
        ),
    ]


def _export_rows(charts, board):
    for chart in charts:
        for category, values in chart.table:
            for series, value in zip(chart.series, values, strict=True):
                yield (chart.title, category, series, value)
    yield (_("Average days from submission to decision"), "", "", board.days_to_decision)
    yield (_("Average days from release to payment"), "", "", board.days_to_payment)


@login_required
@page_cache.personal
def dashboard(request):
    """The agency's figures (staff: every agency, or the one they pick), drawn as SVG bar
    charts with their tables, and as a CSV or Excel file."""
    allowed, reason = can_view_dashboard(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    form = None
    if has_role(request.user, Role.STAFF_ADMIN):
        form = AgencyChoiceForm(request.GET or None)
    agency_id = dashboard_agency_id(request.user, form.agency_id() if form else "")
    board = agency_dashboard(agency_id)
    charts = _charts(board)
    if kind := wanted_format(request):
        return export_list(_export_rows(charts, board), EXPORT_COLUMNS, name="dashboard", kind=kind)
    return render(
        request,
        "contracts/dashboard/dashboard.html",
        {
            "form": form,
            "board": board,
            "charts": charts,
            "agency": request.user.agency if agency_id == request.user.agency_id else None,
            "flows": [(FLOW_LABELS[f], board.totals[f]) for f in FLOWS],
        },
    )
