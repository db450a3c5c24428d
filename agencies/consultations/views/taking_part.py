"""What a participant does: answer the questions, post in a thread, agree or disagree,
report a post, and delete or anonymise their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.confirm import Confirmation, confirm_action
from portal.rates import RateLimited
from portal.workflow import Conflict, InvalidTransition, refuse_wrong_person

from .. import permissions, selectors, services
from ..forms import (
    ContributionForm,
    FlagForm,
    answers_form_class,
    answers_from_form,
    initial_from_answers,
)
from ..models import Contribution, Question
from .common import act


@login_required
@require_http_methods(["GET", "POST"])
def consultation_answer(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    response = selectors.my_response(request.user, consultation)
    questions = list(consultation.questions.all())
    allowed, why = permissions.can_answer(request.user, consultation, response=response)
    if request.method == "POST":
        refuse_wrong_person((allowed, why))
    Form = answers_form_class(questions)
    if request.method == "POST" and allowed:
        form = Form(request.POST)
        if form.is_valid():
            send = "send" in request.POST
            try:
                services.response_save(
                    consultation=consultation,
                    respondent=request.user,
                    answers=answers_from_form(questions, form.cleaned_data),
                    send=send,
                )
            except ValidationError as exc:
                _show_answer_errors(form, questions, exc)
            except (InvalidTransition, Conflict) as exc:
                messages.error(request, exc.message)
                return redirect("consultation-detail", pk=pk)
            else:
                if send:
                    messages.success(request, _("Thank you: your answers are sent."))
                    return redirect("consultation-detail", pk=pk)
                messages.success(
                    request, _("Your answers are saved as a draft. Send them when ready.")
                )
                return redirect("consultation-answer", pk=pk)
    else:
        form = Form(initial=initial_from_answers(questions, response.answers if response else {}))
    return render(
        request,
        "agencies/consultations/answer.html",
        {
            "consultation": consultation,
            "form": form,
            "allowed": allowed,
            "why_not": "" if allowed else str(why),
            "response": response,
            "rankings": {q.pk: q for q in questions if q.kind == Question.Kind.RANKING},
        },
        status=200 if allowed or request.method == "GET" else 409,
    )


def _show_answer_errors(form, questions, exc):
    """The service names a problem ``answers.<question id>``: it goes on that question."""
    by_id = {str(q.pk): q for q in questions}
    for key, problems in exc.message_dict.items():
        question = by_id.get(key.removeprefix("answers."))
        if question is None:
            name = None
        elif question.kind == Question.Kind.RANKING:
            name = f"q{question.pk}_0"
        else:
            name = f"q{question.pk}"
        for message in problems:
            form.add_error(name, message)
    form.describe_fields()


@login_required
@require_POST
def consultation_contribute(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    refuse_wrong_person(permissions.can_take_part(request.user, consultation))
    form = ContributionForm(request.POST)
    back = reverse("consultation-discussion", args=[pk])
    if not form.is_valid():
        _keep_draft(request, pk)
        messages.error(request, _("Say what your contribution is and write it, then send it."))
        return redirect(back + _question_query(request))
    data = dict(form.cleaned_data)
    question_id, parent_id = data.pop("question"), data.pop("parent")
    data["question"] = (
        consultation.questions.filter(pk=question_id).first() if question_id else None
    )
    data["parent"] = consultation.contributions.filter(pk=parent_id).first() if parent_id else None
    try:
        contribution = services.contribution_add(
            consultation=consultation, author=request.user, data=data
        )
    except ValidationError as exc:
        _keep_draft(request, pk)
        messages.error(request, " ".join(exc.messages))
    except (InvalidTransition, RateLimited) as exc:
        _keep_draft(request, pk)
        messages.error(request, exc.message)
    else:
        request.session.pop(f"consultation-draft-{pk}", None)
        if contribution.status == Contribution.Status.HELD:
            messages.info(
                request,
                _("Thank you. Your contribution will appear once a moderator has read it."),
            )
        else:
            messages.success(request, _("Your contribution is published."))
        return redirect(f"{back}{_question_query(request)}#c{contribution.pk}")
    return redirect(back + _question_query(request))


def _question_query(request):
    question = request.POST.get("question", "")
    return f"?question={question}" if question.isdigit() else ""


def _keep_draft(request, pk):
    """What was typed comes back in the form after a refusal."""
    request.session[f"consultation-draft-{pk}"] = {
        "text": request.POST.get("text", "")[:5000],
        "kind": request.POST.get("kind", "")[:16],
        "parent": request.POST.get("parent", "")[:12],
    }


@login_required
@require_POST
def contribution_react(request, pk, contribution_pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    contribution = selectors.contribution_get(consultation, contribution_pk)
    refuse_wrong_person(permissions.can_react(request.user, contribution))
    value = request.POST.get("value", "")
    back = f"{reverse('consultation-discussion', args=[pk])}#c{contribution.pk}"
    return act(
        request,
        lambda: _react(request.user, contribution, value),
        done=_("Thank you: your view is counted."),
        back=back,
    )


def _react(user, contribution, value):
    try:
        services.contribution_react(contribution=contribution, person=user, value=value)
    except PermissionDenied as exc:
        raise ValidationError(str(exc)) from exc


@login_required
@require_http_methods(["GET", "POST"])
def contribution_flag(request, pk, contribution_pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    contribution = selectors.contribution_get(consultation, contribution_pk)
    back = f"{reverse('consultation-discussion', args=[pk])}#c{contribution.pk}"
    return confirm_action(
        request,
        allowed=permissions.can_flag(request.user, contribution),
        form_class=FlagForm,
        perform=lambda data: services.contribution_flag(
            contribution=contribution, reporter=request.user, **data
        ),
        done=_("Thank you: the moderators will look at it."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Report this contribution to the moderators?"),
            button=_("Report to the moderators"),
            back_url=back,
            facts=[(_("Contribution"), contribution.text[:300])],
            effects=[_("The moderators see your report; the author is not told who reported it.")],
            danger=False,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_withdraw(request, pk, contribution_pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    contribution = selectors.contribution_get(consultation, contribution_pk)
    back = reverse("consultation-discussion", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_withdraw(request.user, contribution),
        perform=lambda data: services.contribution_withdraw(
            contribution=contribution, author=request.user
        ),
        done=_("Your contribution is deleted."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Delete your contribution?"),
            button=_("Delete"),
            back_url=back,
            facts=[(_("Contribution"), contribution.text[:300])],
            effects=[
                _("It is removed with the replies to it. This cannot be undone."),
            ],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_anonymise(request, pk, contribution_pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    contribution = selectors.contribution_get(consultation, contribution_pk)
    back = reverse("consultation-discussion", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_anonymise(request.user, contribution),
        perform=lambda data: services.contribution_anonymise(
            contribution=contribution, author=request.user
        ),
        done=_("Your contribution no longer shows who wrote it."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Take your name off this contribution?"),
            button=_("Anonymise"),
            back_url=back,
            facts=[(_("Contribution"), contribution.text[:300])],
            effects=[
                _(
                    "The text stays in the consultation's record, as the agency analysed it, "
                    "but no longer shows your name or organisation, and is no longer linked "
                    "to your account. This cannot be undone."
                ),
            ],
        ),
    )
