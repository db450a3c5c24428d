"""The public pages of community oversight: the list of funded projects, one page each, and the
totals by province and by agency."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from agencies.models import Agency
from assessments.grievances.models import GrievanceStatus
from contracts.agreements.models import Agreement
from contracts.calls.models import Instrument
from portal import tilemap
from portal.charts import bar_chart
from portal.lists import KeysFirstPaginator
from portal.models import Province

from . import selectors, totals
from .forms import ProjectFilterForm

PER_PAGE = 20
TOP = 15  # bars per chart; the tables list them all


def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    qs = selectors.filter_projects(selectors.funded_projects(), **form.filters())
    page = KeysFirstPaginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    projects = list(page.object_list)
    ids = [p.pk for p in projects]
    grievances = selectors.grievance_totals(ids)
    cards = selectors.feedback_selectors.agreement_summaries(ids)
    money = selectors.money_of(ids)
    for project in projects:
        project.grievance_count = grievances.get(project.pk, 0)
        project.card = cards.get(project.pk)
        project.released, project.paid = money[project.pk]
    return render(
        request,
        "assessments/oversight/project_list.html",
        {"form": form, "page": page, "projects": projects},
    )


def project_detail(request, pk):
    try:
        project = selectors.project_get(pk)
    except Agreement.DoesNotExist as exc:
        raise Http404 from exc
    done, upcoming = selectors.milestones(project)
    citizens = selectors.citizens(project)
    grievance_rows = [
        (GrievanceStatus(status).label, n) for status, n in citizens["grievances"].items()
    ]
    context = {
        "project": project,
        "progress": selectors.progress(project),
        "done": done,
        "upcoming": upcoming,
        "evaluations": list(selectors.evaluations_done(project)),
        "report_card": citizens["report_card"],
        "grievance_rows": grievance_rows,
        "commissioned": project.kind == Instrument.COMMISSIONING,
    }
    return render(request, "assessments/oversight/project_detail.html", context)


def project_totals(request):
    by_province = totals.totals_by("province")
    by_agency = totals.totals_by("agency")
    names = {p.code: p.name for p in Province.objects.all()}
    agencies = {a.pk: a.name for a in Agency.objects.filter(pk__in=list(by_agency))}
    province_rows = sorted(
        ((names.get(code, code), code, t) for code, t in by_province.items()),
        key=lambda row: (-row[2].committed, row[0]),
    )
    agency_rows = sorted(
        ((agencies.get(pk, str(pk)), pk, t) for pk, t in by_agency.items()),
        key=lambda row: (-row[2].committed, row[0]),
    )
    top = province_rows[:TOP]
    charts = [
        bar_chart(
            "money-by-province",
            _("Money by province"),
            _(
                "Baht committed to and paid for the projects serving each province (the %(n)s "
                "with the most)."
            )
            % {"n": len(top)},
            _("Province"),
            [name for name, _c, _t in top],
            [
                (_("Committed"), [t.committed for _n, _c, t in top]),
                (_("Paid"), [t.paid for _n, _c, t in top]),
            ],
        ),
        bar_chart(
            "money-by-agency",
            _("Money by agency"),
            _("Baht committed and paid by each agency (the %(n)s with the most).")
            % {"n": len(agency_rows[:TOP])},
            _("Agency"),
            [name for name, _p, _t in agency_rows[:TOP]],
            [
                (_("Committed"), [t.committed for _n, _p, t in agency_rows[:TOP]]),
                (_("Paid"), [t.paid for _n, _p, t in agency_rows[:TOP]]),
            ],
        ),
    ]
    map_tiles = tilemap.tiles(
        names,
        {code: float(t.committed) for code, t in by_province.items()},
        {code: str(t.agreements) for code, t in by_province.items()},
    )
    width, height = tilemap.size()
    context = {
        "charts": charts,
        "province_rows": province_rows,
        "agency_rows": agency_rows,
        "tiles": map_tiles,
        "map_width": width,
        "map_height": height,
    }
    return render(request, "assessments/oversight/totals.html", context)
