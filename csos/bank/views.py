"""The bank account on the web: the organisation's members record and change it on a page of
its own in their registration area; the readers see it on the organisation's page and on
each agreement's page (contracts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from portal.roles import Role, has_role

from . import selectors, services
from .forms import BankAccountForm
from .models import BankAccount


def _own_cso(request):
    if not has_role(request.user, Role.CSO_MEMBER):
        raise PermissionDenied(_("Only the organisation's own members record its bank account."))
    if not request.user.cso_id:
        return None
    cso_model = BankAccount._meta.get_field("cso").related_model
    return cso_model.objects.select_related("bank_account__bank").get(pk=request.user.cso_id)


@sensitive_post_parameters("account_number")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def bank_account(request):
    """Record or change the account payments go to, and see every change made to it."""
    cso = _own_cso(request)
    if cso is None:
        messages.info(request, _("Start with the organisation part."))
        return redirect("registration-part", part="organisation")
    summary = selectors.bank_account_summary(cso)
    account = summary["account"]
    form = BankAccountForm(request.POST or None, initial=BankAccountForm.initial_from(account))
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_account_set(cso=cso, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("The bank account was saved. Tranches released from now on are paid into it."),
            )
            return redirect("registration-bank-account")
    return render(
        request,
        "csos/bank/bank_account.html",
        {"cso": cso, "form": form, "bank": summary},
    )
