"""What we heard, what we will do: the counts and keywords, the agency's themes and
response report, and the public record (page, PDF, CSV)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.confirm import Confirmation, confirm_action
from portal.exports import Column, export_list

from .. import analysis, permissions, selectors, services
from ..models import Consultation, Contribution, Decision, Question, Response, ResponseReport
from ..pdf import response_report_pdf
from .common import act

CS = Consultation.Status
PER_PAGE = 30


def consultation_summary(request, pk):
    """Counts per answer, per kind and per theme, and the top keywords: public once closed."""
    consultation = selectors.consultation_get_for_user(request.user, pk)
    if not permissions.can_see_summary(request.user, consultation):
        raise Http404
    return render(
        request,
        "agencies/consultations/summary.html",
        {"consultation": consultation, "summary": analysis.summary(consultation)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_analysis(request, pk):
    """The agency's workbench after closing: add themes, tag each contribution."""
    consultation = selectors.consultation_get_for_user(request.user, pk)
    if not permissions.can_manage(request.user, consultation.agency_id)[0]:
        raise PermissionDenied(permissions.can_manage(request.user, consultation.agency_id)[1])
    allowed, why = permissions.can_analyse(request.user, consultation)
    theme_error = ""
    if request.method == "POST" and allowed:
        try:
            services.theme_add(
                actor=request.user, consultation=consultation, name=request.POST.get("name", "")
            )
        except ValidationError as exc:
            theme_error = " ".join(exc.messages)
        else:
            messages.success(request, _("The theme is added."))
            return redirect("consultation-analysis", pk=pk)
    themes = list(consultation.themes.all())
    contributions = (
        consultation.contributions.filter(status=Contribution.Status.VISIBLE)
        .select_related("question", "meeting")
        .prefetch_related("themes")
        .order_by("question__position", "created_at", "pk")
    )
    page = Paginator(contributions, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/consultations/analysis.html",
        {
            "consultation": consultation,
            "allowed": allowed,
            "why_not": "" if allowed else str(why),
            "themes": themes,
            "page": page,
            "theme_error": theme_error,
            "typed_name": request.POST.get("name", "") if theme_error else "",
        },
        status=400 if theme_error else 200,
    )


@login_required
@require_POST
def contribution_tag(request, pk, contribution_pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    contribution = selectors.contribution_get(consultation, contribution_pk)
    if not permissions.can_manage(request.user, consultation.agency_id)[0]:
        raise PermissionDenied
    ids = []
    for value in request.POST.getlist("themes"):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    page = request.POST.get("page", "")
    back = reverse("consultation-analysis", args=[pk])
    back += (f"?page={page}" if page.isdigit() else "") + f"#c{contribution.pk}"
    return act(
        request,
        lambda: services.contribution_tag(
            actor=request.user, contribution=contribution, theme_ids=ids
        ),
        done=_("The themes are saved."),
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_report_edit(request, pk):
    """One decision per theme: what was heard, the decision, what will be done or why not,
    and the contributions it answers."""
    consultation = selectors.consultation_get_for_user(request.user, pk)
    if not permissions.can_manage(request.user, consultation.agency_id)[0]:
        raise PermissionDenied
    allowed, why = permissions.can_analyse(request.user, consultation)
    themes = list(consultation.themes.prefetch_related("contributions").order_by("name", "pk"))
    existing = {}
    introduction = ""
    report = ResponseReport.objects.filter(consultation=consultation).first()
    if report is not None:
        introduction = report.introduction
        for d in report.decisions.prefetch_related("contributions"):
            existing[d.theme_id] = {
                "heard": d.heard,
                "outcome": d.outcome,
                "action": d.action,
                "contributions": {c.pk for c in d.contributions.all()},
            }
    errors = {}
    if request.method == "POST" and allowed:
        introduction = request.POST.get("introduction", "")
        rows = []
        for theme in themes:
            prefix = f"t{theme.pk}-"
            row = {
                "theme": theme.pk,
                "heard": request.POST.get(prefix + "heard", ""),
                "outcome": request.POST.get(prefix + "outcome", ""),
                "action": request.POST.get(prefix + "action", ""),
                "contributions": request.POST.getlist(prefix + "contributions"),
            }
            existing[theme.pk] = {
                **row,
                "contributions": {int(c) for c in row["contributions"] if c.isdigit()},
            }
            if row["heard"].strip() or row["action"].strip() or row["outcome"]:
                rows.append(row)
        try:
            services.report_save(
                actor=request.user,
                consultation=consultation,
                introduction=introduction,
                decisions=rows,
            )
        except ValidationError as exc:
            errors = _errors_by_theme(exc, rows)
        else:
            messages.success(request, _("The response report is saved. Publish it when ready."))
            return redirect("consultation-report-edit", pk=pk)
    sections = [
        {
            "theme": theme,
            "values": existing.get(theme.pk, {}),
            "errors": errors.get(theme.pk, []),
            "contributions": [c for c in theme.contributions.all() if c.status == "visible"],
        }
        for theme in themes
    ]
    return render(
        request,
        "agencies/consultations/report_edit.html",
        {
            "consultation": consultation,
            "allowed": allowed,
            "why_not": "" if allowed else str(why),
            "sections": sections,
            "introduction": introduction,
            "outcomes": Decision.Outcome.choices,
            "general_errors": errors.get(None, []),
            "has_report": report is not None,
        },
        status=400 if errors else 200,
    )


def _errors_by_theme(exc, rows):
    found = {}
    for key, messages_ in exc.message_dict.items():
        theme = None
        if key.startswith("decisions.") and key.count(".") == 2:
            index = int(key.split(".")[1])
            theme = rows[index]["theme"] if index < len(rows) else None
        found.setdefault(theme, []).extend(messages_)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def consultation_report_publish(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    back = reverse("consultation-report-edit", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_analyse(request.user, consultation),
        perform=lambda data: services.consultation_report(
            actor=request.user, consultation=consultation
        ),
        done=_("The response report is published and the participants are told."),
        done_url=reverse("consultation-report", args=[pk]),
        describe=lambda: Confirmation(
            question=_("Publish the response report?"),
            button=_("Publish"),
            back_url=back,
            facts=[(_("Consultation"), consultation.title)],
            effects=[
                _("Everyone can read it, as a page and as a PDF."),
                _("Everyone who answered or contributed is told."),
                _("It cannot be changed after it is published."),
            ],
            danger=False,
        ),
    )


def _reported(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    if consultation.status != CS.REPORTED:
        raise Http404
    return consultation


def consultation_report(request, pk):
    consultation = _reported(request, pk)
    report = consultation.report
    return render(
        request,
        "agencies/consultations/report.html",
        {
            "consultation": consultation,
            "report": report,
            "decisions": report.decisions.select_related("theme").prefetch_related("contributions"),
        },
    )


def consultation_report_pdf(request, pk):
    consultation = _reported(request, pk)
    language = "en" if get_language() == "en" else "th"
    response = HttpResponse(
        response_report_pdf(consultation, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="consultation-{pk}-response.pdf"'
    return response


CONTRIBUTION_COLUMNS = [
    Column(gettext_lazy("Number"), lambda c: c.pk),
    Column(
        pgettext_lazy("consultation", "Question"), lambda c: c.question.text if c.question else ""
    ),
    Column(gettext_lazy("Reply to"), lambda c: c.parent_id or ""),
    Column(gettext_lazy("Kind"), lambda c: c.get_kind_display()),
    Column(gettext_lazy("Text"), lambda c: c.text),
    Column(gettext_lazy("Author type"), lambda c: c.get_author_type_display()),
    Column(gettext_lazy("Meeting"), lambda c: c.meeting.title if c.meeting else ""),
    Column(gettext_lazy("Agree"), lambda c: c.agree_count),
    Column(gettext_lazy("Disagree"), lambda c: c.disagree_count),
    Column(gettext_lazy("Themes"), lambda c: "; ".join(t.name for t in c.themes.all())),
    Column(gettext_lazy("Written"), lambda c: c.created_at),
]


def consultation_export(request, pk):
    """Answers or contributions as CSV, without personal data: no names, no accounts, only
    the author's type. Public once the consultation has closed (as the summary)."""
    consultation = selectors.consultation_get_for_user(request.user, pk)
    if not permissions.can_see_summary(request.user, consultation):
        raise Http404
    what = request.GET.get("what", "contributions")
    if what == "answers":
        questions = list(consultation.questions.all())
        columns = [
            Column(gettext_lazy("Number"), lambda r: r["n"]),
            Column(gettext_lazy("Respondent type"), lambda r: r["type"]),
            *[
                Column(q.text, lambda r, key=str(q.pk), kind=q.kind: _answer_cell(r, key, kind))
                for q in questions
            ],
        ]
        labels = dict(Contribution.AuthorType.choices)
        rows = (
            {"n": n, "type": labels.get(t, t), "answers": a}
            for n, (t, a) in enumerate(
                Response.objects.filter(consultation=consultation, status=Response.Status.SENT)
                .order_by("sent_at", "pk")
                .values_list("respondent_type", "answers")
                .iterator(),
                1,
            )
        )
        return export_list(rows, columns, name=f"consultation-{pk}-answers", kind="csv")
    rows = (
        consultation.contributions.filter(status=Contribution.Status.VISIBLE)
        .select_related("question", "meeting")
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    )
    return export_list(
        rows, CONTRIBUTION_COLUMNS, name=f"consultation-{pk}-contributions", kind="csv"
    )


def _answer_cell(row, key, kind):
    value = row["answers"].get(key)
    if value is None:
        return ""
    if kind in (Question.Kind.MULTIPLE, Question.Kind.RANKING):
        return " > ".join(value) if kind == Question.Kind.RANKING else "; ".join(value)
    return value
