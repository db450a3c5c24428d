from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from csos.bank import permissions as bank_permissions
from csos.bank import selectors as bank_selectors
from portal.audit import audit_history
from portal.confirm import Confirmation, confirm_action
from portal.exports import Column, export_list, wanted_format
from portal.lists import KeysFirstPaginator
from portal.roles import Role, has_role
from portal.workflow import NotNow

from . import permissions, rules, selectors, services
from .forms import (
    ActivitiesForm,
    CapacityForm,
    DirectoryFilterForm,
    DocumentForm,
    OrganisationForm,
)
from .models import CSODocument

PART_FORMS = {
    "organisation": OrganisationForm,
    "activities": ActivitiesForm,
    "capacity": CapacityForm,
}


def _back_to_check(request) -> bool:
    """Opened from a "change" link on the check-answers page: go back there once saved."""
    return request.GET.get("next") == "check"


def _after_save(request):
    return redirect("registration-check" if _back_to_check(request) else "registration")


def _own_cso(request):
    if not has_role(request.user, Role.CSO_MEMBER):
        raise PermissionDenied(_("Only a CSO member account can register an organisation."))
    if not request.user.cso_id:
        return None
    return selectors.cso_get_for_user(request.user, request.user.cso_id)


@login_required
def registration(request):
    """The task list: each part with its state, then check and submit."""
    cso = _own_cso(request)
    states = rules.part_states(cso) if cso else dict.fromkeys(rules.PARTS, "not_started")
    return render(
        request,
        "csos/registration/registration.html",
        {
            "cso": cso,
            "parts": [(part, states[part]) for part in rules.PARTS],
            "ready": cso is not None and not rules.missing_parts(cso),
        },
    )


def _initial(cso, form_class):
    if cso is None:
        return {}
    initial = {}
    for name in form_class.base_fields:
        value = getattr(cso, name)
        if hasattr(value, "all"):
            value = [row.code for row in value.all()]
        initial[name] = value
    return initial


def _service_data(form):
    data = dict(form.cleaned_data)
    for name, value in data.items():
        if hasattr(value, "model"):  # a queryset of reference rows
            data[name] = [row.code for row in value]
    return data


@login_required
@require_http_methods(["GET", "POST"])
def registration_part(request, part):
    form_class = PART_FORMS.get(part)
    if form_class is None:
        raise Http404
    cso = _own_cso(request)
    if cso is not None and not cso.is_editable:
        messages.warning(
            request,
            _("The registration cannot be changed while it is “%(status)s”.")
            % {"status": cso.get_status_display()},
        )
        return redirect("registration")
    # Bound on any POST, even an empty one (``request.POST or None`` would leave an empty
    # POST unbound, and the refused-answers branch below then has no cleaned_data).
    data = request.POST if request.method == "POST" else None
    form = form_class(data, initial=_initial(cso, form_class))
    if request.method == "POST" and form.is_valid():
        try:
            # Whichever part comes first starts the draft: the parts go in any order.
            if cso is None:
                services.cso_create(user=request.user, **_service_data(form))
            else:
                services.cso_update(cso=cso, user=request.user, **_service_data(form))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("Saved. You can come back and change it before you submit.")
            )
            return _after_save(request)
    elif request.method == "POST":
        # The form refused something: the service's rules still judge the answers it accepted
        # (the juristic person ID, staff counts), so one submit lists every problem.
        try:
            services.validate_registration(cso=cso, answers=_service_data(form))
        except ValidationError as exc:
            form.add_service_errors(exc, skip_fields_in_error=True)
    return render(
        request,
        "csos/registration/registration_part.html",
        {"form": form, "part": part, "cso": cso, "back_to_check": _back_to_check(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_documents(request):
    cso = _own_cso(request)
    if cso is not None and not cso.is_editable:
        return redirect("registration")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Documents may come first too: the upload starts the draft.
            cso = cso or services.cso_create(user=request.user)
            services.cso_document_add(
                cso=cso,
                user=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect(request.get_full_path())
    documents = list(cso.documents.all()) if cso else []
    return render(
        request,
        "csos/registration/registration_documents.html",
        {
            "form": form,
            "cso": cso,
            "documents": documents,
            "required": _required_documents(cso),
            "back_to_check": _back_to_check(request),
        },
    )


def _editable(user, cso):
    """can_edit, with the member's own registration past editing read as "not now"."""
    allowed, reason = permissions.can_edit(user, cso)
    if not allowed and permissions.is_member(user, cso) and not cso.is_editable:
        return False, NotNow(reason)
    return allowed, reason


def _required_documents(cso):
    """What the documents part asks for, each with whether it is uploaded."""
    if cso is None:
        return {"kinds": [], "complete": False}
    missing = rules.missing_documents(cso)
    return {
        "kinds": [
            (CSODocument.Kind(kind).label, kind not in missing)
            for kind in rules.required_documents(cso)
        ],
        "complete": not missing,
    }


@login_required
@require_http_methods(["GET", "POST"])
def registration_document_delete(request, document_id):
    """Remove a registration document, asked on a page of its own (portal.confirm)."""
    cso = _own_cso(request)
    document = cso.documents.filter(pk=document_id).first() if cso else None
    if document is None:
        raise Http404
    back_url = reverse("registration-documents")
    return confirm_action(
        request,
        allowed=_editable(request.user, cso),
        perform=lambda _data: services.cso_document_delete(document=document, user=request.user),
        done=_("The document was removed."),
        done_url=back_url,
        describe=lambda: Confirmation(
            question=_("Remove “%(name)s” from the registration?")
            % {"name": document.original_name},
            facts=[
                (_("Organisation"), cso.name),
                (_("Document"), document.get_kind_display()),
                (_("File"), f"{document.original_name} ({filesizeformat(document.size)})"),
            ],
            effects=[
                _("The file is deleted from the registration and cannot be recovered."),
                _("While the registration can be changed, you can upload it again."),
            ],
            button=_("Yes, remove the document"),
            back_url=back_url,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_check(request):
    """Check your answers, then submit."""
    cso = _own_cso(request)
    if cso is None:
        return redirect("registration")
    errors = {}
    if request.method == "POST":
        try:
            services.cso_submit(cso=cso, user=request.user)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                request,
                _(
                    "Your registration was submitted. The committee will review it; "
                    "we will tell you the outcome."
                ),
            )
            return redirect("registration")
    return render(
        request,
        "csos/registration/registration_check.html",
        {"cso": cso, "errors": errors, "missing": rules.missing_parts(cso)},
    )


# The public directory as a file: what the page shows of each organisation, no contacts.
DIRECTORY_COLUMNS = [
    Column(gettext_lazy("Organisation"), lambda c: c.name),
    Column(gettext_lazy("juristic person ID"), lambda c: c.juristic_id),
    Column(gettext_lazy("organisation form"), lambda c: c.get_org_form_display()),
    Column(gettext_lazy("approved at"), lambda c: c.approved_at),
]


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    if kind := wanted_format(request):
        rows = selectors.cso_directory(**form.filters()).prefetch_related(None)
        return export_list(
            rows.iterator(chunk_size=2000), DIRECTORY_COLUMNS, name="csos", kind=kind
        )
    page = KeysFirstPaginator(selectors.cso_directory(**form.filters()), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "csos/registration/directory.html", {"form": form, "page": page})


def cso_detail(request, pk):
    cso = selectors.cso_get_for_user(request.user, pk)
    return render(
        request,
        "csos/registration/cso_detail.html",
        {
            "cso": cso,
            "show_contacts": permissions.can_view_contacts(request.user, cso)[0],
            "show_documents": permissions.can_view_documents(request.user, cso)[0],
            "bank": bank_selectors.bank_account_summary(cso)
            if bank_permissions.can_view_bank_account(request.user, cso)[0]
            else None,
            "history": audit_history(cso)
            if permissions.can_view_history(request.user, cso)[0]
            else None,
        },
    )


@login_required
def document_download(request, pk, document_id):
    cso = selectors.cso_get_for_user(request.user, pk)
    if not permissions.can_view_documents(request.user, cso)[0]:
        raise Http404
    document = cso.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=document.original_name,
    )
