"""Web pages of the citizens' feedback: the charter (public once agreed, written and agreed
by the parties, printed as a poster), the survey people open from a short link or a QR code
without an account, the report cards of an agreement, a CSO and an agency, and the
moderation of comments. Every change goes through a service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.models import Agency
from assessments.feedback import permissions, rules, selectors, services
from assessments.feedback.forms import CharterForm, DimensionsForm, HideForm, SurveyForm
from assessments.feedback.limits import Flooded, client_address
from assessments.feedback.models import Charter
from assessments.feedback.pdf import charter_poster_pdf, grievance_url, qr_data_uri, survey_url
from csos.models import CSO
from portal.audit import audit_history
from portal.charts import bar_chart
from portal.confirm import Confirmation, confirm_action
from portal.dates import BuddhistDateFormat
from portal.lists import KeysFirstPaginator
from portal.roles import Role, has_role
from portal.workflow import require

COMMENTS_PER_PAGE = 20


# --- the charter -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def charter_detail(request, pk):
    """The charter: anyone reads it once both sides agreed; the parties read the draft, and
    an officer of the agency or the organisation's signatory agrees to it here."""
    agreement = selectors.agreement_or_404(pk)
    charter = selectors.charter_of(agreement)
    if not permissions.can_view_charter(request.user, agreement, charter)[0]:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") != "agree":
            messages.error(request, _("Choose one of the buttons on the page."))
            return redirect("charter", pk=agreement.pk)
        try:
            charter = services.charter_agree(agreement=agreement, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The charter is agreed by both sides and now public.")
                if charter.agreed
                else _("Your side agreed to the charter; it is public once the other side does."),
            )
        return redirect("charter", pk=agreement.pk)
    user = request.user
    party = permissions.is_party(user, agreement)
    survey = None
    if (charter is not None and charter.agreed) or party:
        survey = services.survey_ensure(agreement=agreement)
    side = permissions.charter_side(user, agreement)
    return render(
        request,
        "assessments/feedback/charter.html",
        {
            "agreement": agreement,
            "charter": charter,
            "rows": [
                (Charter._meta.get_field(name).verbose_name.capitalize(), getattr(charter, name))
                for name in Charter.TEXT_FIELDS
            ]
            if charter
            else [],
            "problems": [
                Charter._meta.get_field(name).verbose_name
                for name in (rules.charter_problems(charter) if charter else {})
            ],
            "may_edit": permissions.can_edit_charter(user, agreement)[0],
            "may_agree": charter is not None and permissions.can_agree_charter(user, charter)[0],
            "side": side,
            "party": party,
            "survey": survey,
            "survey_url": survey_url(survey) if survey else "",
            "survey_qr": qr_data_uri(survey_url(survey)) if survey else "",
            "grievance_url": grievance_url(agreement),
            "history": audit_history(charter) if charter is not None and party else None,
        },
    )


@require_http_methods(["GET", "POST"])
def charter_edit(request, pk):
    """Either side writes the charter; a change clears both sides' agreement."""
    agreement = selectors.agreement_or_404(pk)
    if not permissions.is_party(request.user, agreement):
        raise Http404
    require(permissions.can_edit_charter(request.user, agreement))
    charter = selectors.charter_of(agreement)
    form = CharterForm(request.POST or None, initial=CharterForm.initial_from(charter))
    if request.method == "POST" and form.is_valid():
        try:
            services.charter_save(agreement=agreement, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The charter was saved."))
            return redirect("charter", pk=agreement.pk)
    return render(
        request,
        "assessments/feedback/charter_edit.html",
        {
            "agreement": agreement,
            "charter": charter,
            "form": form,
            "agreed_any": charter is not None
            and bool(charter.agreed_by_agency_at or charter.agreed_by_cso_at),
        },
    )


def charter_poster(request, pk):
    """The agreed charter as an A4 poster (PDF) with QR codes to the survey and the
    grievance form."""
    agreement = selectors.agreement_or_404(pk)
    charter = selectors.charter_of(agreement)
    if charter is None or not charter.agreed or not rules.has_public_card(agreement):
        raise Http404
    charter.agreement = agreement
    survey = services.survey_ensure(agreement=agreement)
    response = HttpResponse(charter_poster_pdf(charter, survey), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="charter-{agreement.number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def survey_settings(request, pk):
    """The survey's short link and QR code for the parties; the agency's officer chooses what
    people rate."""
    agreement = selectors.agreement_or_404(pk)
    if not permissions.is_party(request.user, agreement):
        raise Http404
    survey = services.survey_ensure(agreement=agreement)
    may_choose = permissions.can_choose_dimensions(request.user, agreement)[0]
    form = None
    if may_choose or request.method == "POST":
        form = DimensionsForm(request.POST or None, initial={"dimensions": survey.dimensions})
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_set_dimensions(
                agreement=agreement,
                officer=request.user,
                dimensions=form.cleaned_data["dimensions"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The survey's questions were saved."))
            return redirect("survey-settings", pk=agreement.pk)
    link = survey_url(survey)
    return render(
        request,
        "assessments/feedback/survey_settings.html",
        {
            "agreement": agreement,
            "survey": survey,
            "survey_url": link,
            "survey_qr": qr_data_uri(link),
            "asked": [
                rules.dimension_names(code) for code in rules.dimensions_asked(survey.dimensions)
            ],
            "form": form,
            "history": audit_history(survey),
        },
    )


# --- the survey ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def survey(request, code):
    """Rate the service, without an account: a radio group per question, a comment, nothing
    about the person. Works without JavaScript."""
    found = selectors.survey_by_code(code)
    agreement = found.agreement
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        dimensions=rules.dimensions_asked(found.dimensions),
    )
    status = 200
    taking = rules.accepts_ratings(agreement)
    if request.method == "POST" and taking and form.is_valid():
        try:
            services.feedback_submit(
                agreement=agreement,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
                honeypot=form.cleaned_data["website"],
                address=client_address(request),
                language=get_language() or "",
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except Flooded as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            return redirect("survey-thanks", code=found.code)
    return render(
        request,
        "assessments/feedback/survey.html",
        {"survey": found, "agreement": agreement, "form": form, "taking": taking},
        status=status,
    )


def survey_thanks(request, code):
    found = selectors.survey_by_code(code)
    return render(
        request,
        "assessments/feedback/survey_thanks.html",
        {"survey": found, "agreement": found.agreement},
    )


# --- report cards ----------------------------------------------------------------------------


def _month(value) -> str:
    return BuddhistDateFormat(value).format(_("F Y \\B\\E"))


def _charts(card) -> list:
    months = [_month(row.month) for row in card.by_month]
    return [
        bar_chart(
            "mean-by-month",
            _("Overall rating by month"),
            _("The mean overall rating (1 to 5) of the answers given in each month."),
            _("Month"),
            months,
            [(_("Mean rating (1–5)"), [row.mean for row in card.by_month])],
            scale_max=5,
        ),
        bar_chart(
            "responses-by-month",
            _("Answers by month"),
            _("How many people rated the service in each month."),
            _("Month"),
            months,
            [(_("Answers"), [row.responses for row in card.by_month])],
        ),
    ]


def _card_page(request, card, context, *, template="assessments/feedback/report_card.html"):
    page = KeysFirstPaginator(card.comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {**context, "card": card, "charts": _charts(card), "page": page},
    )


def agreement_report_card(request, pk):
    """What the people served said of one agreement's service; its moderators hide and
    restore comments from here."""
    agreement = selectors.public_agreement(pk)
    card = selectors.report_card(agreement=agreement)
    moderator = permissions.can_moderate(request.user, agreement)[0]
    charter = selectors.charter_of(agreement)
    return _card_page(
        request,
        card,
        {
            "agreement": agreement,
            "subject": agreement.title,
            "moderator": moderator,
            "hidden": selectors.hidden_comments(agreement) if moderator else [],
            "charter_public": charter is not None and charter.agreed,
        },
    )


def cso_report_card(request, pk):
    cso = get_object_or_404(CSO, pk=pk)
    card = selectors.report_card(cso=cso)
    return _card_page(request, card, {"cso": cso, "subject": cso.name})


def agency_report_card(request, pk):
    agency = get_object_or_404(Agency, pk=pk)
    card = selectors.report_card(agency=agency)
    return _card_page(request, card, {"agency": agency, "subject": agency.name})


# --- moderation ------------------------------------------------------------------------------


def _moderated(request, pk):
    response = selectors.feedback_get(pk)
    if not (
        permissions.is_party(request.user, response.agreement)
        or has_role(request.user, Role.STAFF_ADMIN)
    ):
        raise Http404
    return response


@require_http_methods(["GET", "POST"])
def feedback_hide(request, pk):
    """Hide an abusive comment, with a reason, on a page of its own."""
    response = _moderated(request, pk)
    back = reverse("agreement-report-card", args=[response.agreement_id])
    return confirm_action(
        request,
        allowed=permissions.can_hide(request.user, response),
        form_class=HideForm,
        perform=lambda data: services.feedback_hide(
            response=response, user=request.user, reason=data["reason"]
        ),
        done=_("The comment was hidden. The report card counts it as hidden."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Hide this comment?"),
            facts=[
                (_("Service"), response.agreement.title),
                (_("Comment"), response.comment),
            ],
            effects=[
                _("The comment is no longer shown on the report card; its ratings still count."),
                _("The report card shows how many comments were hidden."),
                _("Your name and reason are recorded; it can be shown again."),
            ],
            button=_("Yes, hide the comment"),
            back_url=back,
        ),
    )


@require_http_methods(["GET", "POST"])
def feedback_restore(request, pk):
    response = _moderated(request, pk)
    back = reverse("agreement-report-card", args=[response.agreement_id])
    return confirm_action(
        request,
        allowed=permissions.can_restore(request.user, response),
        perform=lambda data: services.feedback_restore(response=response, user=request.user),
        done=_("The comment is shown again."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Show this comment again?"),
            facts=[
                (_("Service"), response.agreement.title),
                (_("Comment"), response.comment),
                (_("Reason it was hidden"), response.hidden_reason),
            ],
            effects=[_("The comment is shown on the public report card again.")],
            button=_("Yes, show it again"),
            back_url=back,
            danger=False,
        ),
    )
