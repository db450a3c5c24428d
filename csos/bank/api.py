"""The bank account on the API: ``bank_account`` nested in /api/v1/csos/{id}/ for those who
may read it, and GET/PUT /api/v1/csos/{id}/bank-account/. Served by ``CSOViewSet``
(csos/api_urls.py)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from portal.api.errors import error_responses
from portal.api.fields import StrictSerializer

from . import permissions, rules, selectors, services


class PayeeAccountSerializer(StrictSerializer):
    """An account money goes to: the bank (code and names), branch, account name and number.
    ``account_number`` is null for a caller who may not read it in full;
    ``account_number_masked`` shows its last 4 digits to everyone who sees the account."""

    bank = serializers.CharField(help_text="The bank's three-digit code (reference set banks).")
    bank_name_th = serializers.CharField()
    bank_name_en = serializers.CharField()
    branch = serializers.CharField()
    account_name = serializers.CharField()
    account_number = serializers.CharField(
        allow_null=True, help_text="Digits only; null where the caller may not read it."
    )
    account_number_masked = serializers.CharField(help_text="Only the last 4 digits shown.")


class BankAccountSerializer(PayeeAccountSerializer):
    """The account a CSO's payments go to, as its members recorded it: the bank (code and
    names), branch, account name and number in full (``account_number_masked``: its last 4
    digits), and when it was last changed."""

    updated_at = serializers.DateTimeField(help_text="When it was last recorded or changed.")


def payee_data(*, bank_code, bank_name_th, bank_name_en, branch, account_name, number, full):
    return {
        "bank": bank_code,
        "bank_name_th": bank_name_th,
        "bank_name_en": bank_name_en,
        "branch": branch,
        "account_name": account_name,
        "account_number": number if full else None,
        "account_number_masked": rules.masked(number),
    }


def bank_account_data(account) -> dict:
    """The account as BankAccountSerializer gives it, for a caller who may read it."""
    return BankAccountSerializer(
        {
            **payee_data(
                bank_code=account.bank.code,
                bank_name_th=account.bank.name_th,
                bank_name_en=account.bank.name_en,
                branch=account.branch,
                account_name=account.account_name,
                number=account.account_number,
                full=True,
            ),
            "updated_at": account.updated_at,
        }
    ).data


def readable_bank_account(user, cso) -> dict | None:
    """The CSO's ``bank_account`` for ``user``: null when none is recorded or the caller
    may not read it."""
    account = selectors.bank_account_of(cso)
    if account is None or not permissions.can_view_bank_account(user, cso)[0]:
        return None
    return bank_account_data(account)


class BankAccountFieldChangeSerializer(StrictSerializer):
    field = serializers.ChoiceField(choices=list(selectors.FIELDS))
    old = serializers.CharField(allow_null=True, help_text="Numbers masked; banks by code.")
    new = serializers.CharField(allow_null=True, help_text="Numbers masked; banks by code.")


class BankAccountChangeSerializer(StrictSerializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True, help_text="The username of who changed it.")
    changes = BankAccountFieldChangeSerializer(many=True)


def bank_account_changes_data(account) -> list[dict]:
    """Each audited change of the account, oldest first, as BankAccountChangeSerializer."""
    rows = [
        {
            "at": change["at"],
            "actor": change["actor"].username if change["actor"] else None,
            "changes": [
                {"field": f["name"], "old": f["old_code"], "new": f["new_code"]}
                for f in change["fields"]
            ],
        }
        for change in selectors.bank_account_changes(account)
    ]
    return BankAccountChangeSerializer(rows, many=True).data


class BankAccountWriteSerializer(StrictSerializer):
    bank = serializers.CharField(
        max_length=8, allow_blank=True, help_text="A code from /api/v1/reference/banks/."
    )
    branch = serializers.CharField(max_length=255, allow_blank=True)
    account_name = serializers.CharField(
        max_length=255, allow_blank=True, help_text="The account's name, as the bank shows it."
    )
    account_number = serializers.CharField(
        max_length=64,
        allow_blank=True,
        help_text="Digits; dashes and spaces are dropped. 10 digits, or 12 at the Government "
        "Savings Bank, the Government Housing Bank and BAAC.",
    )


# Mixed into the CSO viewset (csos/api_urls.py), which gives ``get_object``. No docstring:
# it would become the operations' description.
class CSOBankAccountActions:
    @extend_schema(
        methods=["get"],
        summary="The bank account payments go to (the CSO's members, the committee, staff "
        "and officers of agencies with an agreement with the CSO; 404 while none is recorded)",
        responses={200: BankAccountSerializer, **error_responses(401, 403, 404)},
    )
    @extend_schema(
        methods=["put"],
        summary="Record or change the bank account payments go to (the CSO's members)",
        description="Every change is audited (who, when, the old and new numbers masked). A "
        "tranche released afterwards is paid into the account as it stands then.",
        request=BankAccountWriteSerializer,
        responses={200: BankAccountSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(
        detail=True,
        methods=["get", "put"],
        url_path="bank-account",
        pagination_class=None,
        filter_backends=[],
    )
    def bank_account(self, request, pk=None):
        cso = self.get_object()
        if request.method == "GET":
            allowed, why = permissions.can_view_bank_account(request.user, cso)
            if not allowed:
                self.permission_denied(request, message=why)
            account = selectors.bank_account_of(cso)
            if account is None:
                raise NotFound(_("The organisation has not recorded a bank account yet."))
            return Response(bank_account_data(account))
        allowed, why = permissions.can_edit_bank_account(request.user, cso)
        if not allowed:  # refuse the wrong person before reading the answers
            self.permission_denied(request, message=why)
        s = BankAccountWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        account = services.bank_account_set(cso=cso, user=request.user, **s.validated_data)
        account = type(account).objects.select_related("bank").get(pk=account.pk)
        return Response(bank_account_data(account))

    @extend_schema(
        summary="Every change of the bank account, oldest first: when, who, and each field's "
        "old and new value, account numbers masked (whoever may read the account)",
        responses={200: BankAccountChangeSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="bank-account/changes",
        pagination_class=None,
        filter_backends=[],
    )
    def bank_account_changes(self, request, pk=None):
        cso = self.get_object()
        allowed, why = permissions.can_view_bank_account(request.user, cso)
        if not allowed:
            self.permission_denied(request, message=why)
        account = selectors.bank_account_of(cso)
        if account is None:
            raise NotFound(_("The organisation has not recorded a bank account yet."))
        return Response(bank_account_changes_data(account))
