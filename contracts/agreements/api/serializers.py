"""The serializers of /api/v1/agreements/: the agreement with its tranches, deadlines, money and
settlement, and the bodies of its actions."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from contracts.agreements import permissions as agreement_permissions
from contracts.agreements import rules as agreement_rules
from contracts.agreements import timeline
from contracts.agreements.models import (
    Agreement,
    Expense,
    PaymentRequest,
    ProgressReport,
    ReportEvidence,
    Settlement,
    Tranche,
    Variation,
)
from contracts.calls.models import Instrument
from contracts.proposals.api import TargetSerializer
from csos.bank.api import PayeeAccountSerializer, payee_data
from portal.api.fields import StrictModelSerializer, StrictSerializer

DEADLINE_KINDS = [
    ("report", _("Progress report")),
    ("evaluation_midterm", _("Mid-term evaluation")),
    ("evaluation_final", _("Post-completion evaluation")),
    ("evaluation_periodic", _("Periodic evaluation")),
    ("tranche", _("Tranche planned")),
    ("end", _("End of the agreement")),
    ("settlement", _("Settlement")),
]


def _money():
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


FIRST_YEAR, LAST_YEAR = 1857, 2300  # B.E. 2400–2843, as the web forms accept


def _plausible_year(value):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise serializers.ValidationError(
            _("Give a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def date_field(**kwargs):
    """A date the deadlines can be worked out from (no year 9999)."""
    return serializers.DateField(validators=[_plausible_year], **kwargs)


class PaymentRequestSerializer(StrictModelSerializer):
    report = serializers.IntegerField(source="report.seq", read_only=True)

    class Meta:
        model = PaymentRequest
        fields = [
            "number",
            "status",
            "report",
            "note",
            "requested_at",
            "answered_at",
            "return_reason",
        ]
        read_only_fields = fields


class PaymentRequestWriteSerializer(StrictSerializer):
    report = serializers.IntegerField(
        min_value=1,
        help_text="The number (seq) of an accepted progress report that evidences no other "
        "request.",
    )
    note = serializers.CharField(
        max_length=5000,
        help_text="What was reached: the tranche's milestone first, where it names one.",
    )


class TrancheSerializer(StrictModelSerializer):
    bank_account = serializers.SerializerMethodField()
    payment_requests = PaymentRequestSerializer(many=True, read_only=True)

    class Meta:
        model = Tranche
        fields = [
            "seq",
            "share_percent",
            "amount",
            "condition",
            "planned_on",
            "milestone",
            "payment_requests",
            "status",
            "released_at",
            "paid_at",
            "paid_on",
            "payment_reference",
            "bank_account",
        ]
        read_only_fields = fields

    def _full_number(self, tranche) -> bool:
        """Whether the caller reads the account number in full (asked once per agreement)."""
        request = self.context.get("request")
        if request is None:
            return False
        known = self.context.setdefault("_payee_account_full", {})
        if tranche.agreement_id not in known:
            known[tranche.agreement_id] = agreement_permissions.can_view_payee_account(
                request.user, tranche.agreement
            )[0]
        return known[tranche.agreement_id]

    @extend_schema_field(PayeeAccountSerializer(allow_null=True))
    def get_bank_account(self, tranche):
        """The account the money goes to, as it stood when the tranche was released; null
        while scheduled. The number in full for the parties, staff and the finance system."""
        if tranche.status == Tranche.Status.SCHEDULED or not tranche.payee_account_number:
            return None
        return PayeeAccountSerializer(
            payee_data(
                bank_code=tranche.payee_bank,
                bank_name_th=tranche.payee_bank_name_th,
                bank_name_en=tranche.payee_bank_name_en,
                branch=tranche.payee_branch,
                account_name=tranche.payee_account_name,
                number=tranche.payee_account_number,
                full=self._full_number(tranche),
            )
        ).data


class DeadlineSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=DEADLINE_KINDS)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    ref = serializers.IntegerField(
        allow_null=True,
        help_text="The report's or tranche's seq, or the evaluation's id; null for the end "
        "and the settlement.",
    )


class MoneySerializer(StrictSerializer):
    amount = _money()
    released = _money()
    paid = _money()
    remaining = _money()


class SettlementSerializer(StrictModelSerializer):
    uncovered = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="What was spent beyond what was paid (`spent_total` − `disbursed_total`), "
        "the cost the organisation bore itself; 0.00 when it spent no more than it was paid.",
    )

    class Meta:
        model = Settlement
        fields = [
            "disbursed_total",
            "spent_total",
            "refund_due",
            "uncovered",
            "note",
            "submitted_at",
        ]
        read_only_fields = fields


class AgreementSerializer(StrictModelSerializer):
    tranches = TrancheSerializer(many=True, read_only=True)
    next_deadlines = serializers.SerializerMethodField()
    money = serializers.SerializerMethodField()
    settlement = serializers.SerializerMethodField()
    signed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "number",
            "kind",
            "proposal",
            "agency",
            "cso",
            "title",
            "amount",
            "start_date",
            "end_date",
            "status",
            "tranches",
            "next_deadlines",
            "money",
            "settlement",
            "scope",
            "terms",
            "targets",
            "report_schedule",
            "report_every_months",
            "outcomes",
            "needs_assessment",
            "resources",
            "service_design",
            "responsibilities",
            "delivery_started_at",
            "signed_name",
            "signed_by",
            "signed_at",
            "decline_reason",
            "completed_at",
            "settled_at",
            "terminated_at",
            "termination_reason",
            "end_notice_on",
            "end_notice_reason",
            "renewals",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_next_deadlines(self, agreement):
        """What falls due next while the agreement runs, soonest first."""
        return DeadlineSerializer(timeline.next_deadlines(agreement), many=True).data

    @extend_schema_field(MoneySerializer)
    def get_money(self, agreement):
        """Released and paid so far; remaining is what is still to be paid."""
        return MoneySerializer(timeline.money_summary(agreement)).data

    @extend_schema_field(SettlementSerializer(allow_null=True))
    def get_settlement(self, agreement):
        """The CSO's closing account once stated; null before."""
        if not timeline.has_settlement(agreement):
            return None
        return SettlementSerializer(agreement.settlement).data


class AwardSerializer(StrictSerializer):
    """All optional: dates, amount and targets come from the proposal unless set here."""

    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="No more than the proposal requested.",
    )
    start_date = date_field(required=False)
    end_date = date_field(required=False)
    scope = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    terms = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    shares = serializers.ListField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2),
        required=False,
        max_length=agreement_rules.MAX_TRANCHES,
        help_text="Grants and commissioning: the tranches' percentages, summing to 100 "
        "(default one tranche of 100). A performance contract is always 80 and 20.",
    )
    report_schedule = serializers.ChoiceField(
        choices=Agreement.ReportSchedule.choices, required=False
    )
    report_every_months = serializers.IntegerField(min_value=1, max_value=12, required=False)
    outcomes = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    needs_assessment = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    resources = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    signatory_name = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Who signs for the agency, printed on the agreement; default: the caller's "
        "full name.",
    )
    signatory_position = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Their position; default: the caller's position.",
    )
    considered_funding = serializers.BooleanField(
        required=False,
        help_text="Must be true when the organisation has other active or recent agreements "
        "(GET .../other-funding/): the officer has considered them, so the same work is not "
        "funded twice.",
    )
    beneficiary_groups = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=agreement_rules.MAX_BENEFICIARY_GROUPS,
        help_text="The groups each progress report counts the people reached in (such as the "
        "mission's `target_groups`); none by default.",
    )
    paid_on_request = serializers.BooleanField(
        required=False,
        help_text="Grants and commissioning: the tranches after the first are released when "
        "the organisation asks with an accepted progress report "
        "(`POST .../tranches/<seq>/request/`), not on their dates.",
    )
    milestones = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=True),
        required=False,
        max_length=agreement_rules.MAX_TRANCHES,
        help_text="With `paid_on_request`: what each tranche after the first needs reached, "
        "in order.",
    )


class VariationTrancheSerializer(StrictSerializer):
    seq = serializers.IntegerField(min_value=1)
    planned_on = date_field()


class VariationBudgetLineSerializer(StrictSerializer):
    line = serializers.IntegerField(help_text="The budget line's id.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class VariationChangesSerializer(StrictSerializer):
    """The fields a variation changes; those left out stay as they are."""

    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="Not below what was released; more only within the call's budget.",
    )
    start_date = date_field(required=False, help_text="Only before the period has started.")
    end_date = date_field(required=False)
    scope = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    targets = TargetSerializer(many=True, required=False)
    tranches = VariationTrancheSerializer(
        many=True, required=False, help_text="New planned dates of tranches not yet released."
    )
    budget_lines = VariationBudgetLineSerializer(
        many=True,
        required=False,
        help_text="New amounts of budget lines (ids as in `/budget/`): none below what was "
        "spent on it, and the whole budget adding up to the agreement's amount (as varied).",
    )


class VariationSerializer(StrictModelSerializer):
    proposed_by = serializers.ChoiceField(source="proposed_side", choices=Variation.Side.choices)

    class Meta:
        model = Variation
        fields = [
            "number",
            "proposed_by",
            "proposed_at",
            "reason",
            "changes",
            "previous",
            "status",
            "answered_at",
            "signed_name",
            "decline_reason",
        ]
        read_only_fields = fields


class VariationProposeSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True)
    changes = VariationChangesSerializer()


class VariationAgreeSerializer(StrictSerializer):
    signed_name = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="The organisation's signatory's full name, typed as a signature (when the "
        "agency proposed the variation).",
    )
    confirm = serializers.BooleanField(required=False, default=False)


class ExpenseSerializer(StrictModelSerializer):
    check = serializers.ChoiceField(source="check_status", choices=Expense.Check.choices)
    receipt = serializers.SerializerMethodField()

    class Meta:
        model = Expense
        fields = [
            "id",
            "budget_line",
            "spent_on",
            "amount",
            "payee",
            "description",
            "receipt",
            "check",
            "check_note",
            "answer",
            "uploaded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "ExpenseReceipt",
            {
                "name": serializers.CharField(),
                "content_type": serializers.CharField(),
                "size": serializers.IntegerField(),
            },
        )
    )
    def get_receipt(self, expense):
        return {
            "name": expense.original_name,
            "content_type": expense.content_type,
            "size": expense.size,
        }


class ExpenseWriteSerializer(StrictSerializer):
    budget_line = serializers.IntegerField(help_text="The id of a line of the budget.")
    spent_on = date_field()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    payee = serializers.CharField(max_length=255, allow_blank=True)
    description = serializers.CharField(max_length=500, allow_blank=True)
    receipt = serializers.FileField(help_text="A photo (JPEG, PNG) or a PDF, 10 MB at most.")


class ExpenseCheckSerializer(StrictSerializer):
    check = serializers.ChoiceField(
        choices=[c for c in Expense.Check.choices if c[0] != Expense.Check.PENDING]
    )
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        help_text="The question (queried) or the reason (rejected) the organisation reads.",
    )


class BudgetRowSerializer(StrictSerializer):
    budget_line = serializers.IntegerField(source="line.pk")
    description = serializers.CharField(source="line.description")
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2)


class OtherFundingQuery(StrictSerializer):
    start_date = date_field(required=False)
    end_date = date_field(required=False)


class OtherFundingSerializer(StrictSerializer):
    """One of the organisation's other agreements (from every agency, running or ended
    within a year) and what it shares with the award: overlapping days, provinces in common
    (``nationwide`` when either covers the whole country), target groups, the field."""

    agreement = serializers.CharField(source="agreement.number")
    title = serializers.CharField(source="agreement.title")
    agency = serializers.CharField(source="agreement.agency.name")
    status = serializers.ChoiceField(source="agreement.status", choices=Agreement.Status.choices)
    amount = serializers.DecimalField(source="agreement.amount", max_digits=14, decimal_places=2)
    start_date = serializers.DateField(source="agreement.start_date")
    end_date = serializers.DateField(source="agreement.end_date")
    overlap_days = serializers.IntegerField()
    provinces = serializers.ListField(child=serializers.CharField())
    nationwide = serializers.BooleanField()
    target_groups = serializers.ListField(child=serializers.CharField())
    same_field = serializers.BooleanField()
    overlaps = serializers.BooleanField()


class AcceptSerializer(StrictSerializer):
    signed_name = serializers.CharField(
        max_length=255, allow_blank=True, help_text="Your full name, typed as your signature."
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Must be true: you accept the terms on behalf of the organisation.",
    )


class NewEndDateSerializer(StrictSerializer):
    end_date = date_field()
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DesignSerializer(StrictSerializer):
    class ResponsibilitySerializer(StrictSerializer):
        task = serializers.CharField(max_length=500, allow_blank=True, required=False)
        party = serializers.ChoiceField(
            choices=[("agency", "agency"), ("cso", "cso"), ("joint", "joint")], required=False
        )

    service_design = serializers.CharField(max_length=50000, required=False, allow_blank=True)
    responsibilities = ResponsibilitySerializer(many=True, required=False)


class SettlementWriteSerializer(StrictSerializer):
    spent_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="What the organisation spent, in baht."
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class PaySerializer(StrictSerializer):
    payment_reference = serializers.CharField(
        max_length=64, allow_blank=True, help_text="The finance system's reference (GFMIS)."
    )
    paid_on = date_field(help_text="The value date; not in the future.")


class IndicatorSerializer(StrictSerializer):
    indicator = serializers.CharField()
    target = serializers.CharField()
    actual = serializers.CharField()
    note = serializers.CharField(required=False, default="")


class BeneficiarySerializer(StrictSerializer):
    group = serializers.CharField(
        max_length=100, help_text="One of the agreement's `beneficiary_groups`."
    )
    count = serializers.IntegerField(min_value=0, help_text="People reached in the period.")


class ExpenseAnswerSerializer(StrictSerializer):
    answer = serializers.CharField(max_length=5000, help_text="The answer to the question.")


class BudgetLineTotalSerializer(StrictSerializer):
    line = serializers.IntegerField(help_text="The budget line's id (as expenses name it).")
    description = serializers.CharField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)


class ReportEvidenceSerializer(StrictModelSerializer):
    class Meta:
        model = ReportEvidence
        fields = ["id", "caption", "content_type", "size", "original_name", "uploaded_at"]
        read_only_fields = fields


class ReportEvidenceUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text="A photo (JPEG, PNG) or a PDF, checked by content.")
    caption = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="", help_text="What it shows."
    )


class IndicatorActualSerializer(StrictSerializer):
    indicator = serializers.CharField(
        max_length=255,
        allow_blank=True,
        required=False,
        default="",
        help_text="One of the agreement's targets.",
    )
    actual = serializers.CharField(max_length=255, allow_blank=True, required=False, default="")
    note = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        required=False,
        default="",
        help_text="How it was measured, or why it differs from the target.",
    )


OVERSPENT_BY = serializers.DecimalField(
    max_digits=14,
    decimal_places=2,
    read_only=True,
    allow_null=True,
    help_text="How much `spent_to_date` exceeds what had been paid (the paid tranches) when "
    "the report was sent: 0.00 when it does not, null before the report is sent.",
)


class ReportSerializer(StrictModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    beneficiaries = BeneficiarySerializer(many=True, read_only=True)
    budget_lines = BudgetLineTotalSerializer(
        many=True,
        read_only=True,
        help_text="What the recorded expenses (not rejected) came to on each budget line when "
        "the report was sent.",
    )
    evidence = ReportEvidenceSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    overspent_by = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "seq",
            "due_on",
            "status",
            "overdue",
            "narrative",
            "indicators",
            "beneficiaries",
            "evidence",
            "spent_to_date",
            "overspent_by",
            "budget_lines",
            "spending_explanation",
            "officer_comment",
            "submitted_at",
            "reviewed_at",
            "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "cancelled_at": {
                "help_text": "When an end notice cancelled it (status `cancelled`): it fell "
                "due after the agreement's new end. Null otherwise."
            },
            "cancel_reason": {"help_text": "Why it was cancelled: the end notice's reason."},
        }

    def get_overdue(self, report) -> bool:
        """Still to be sent (or sent back) and past its due date."""
        return agreement_rules.report_overdue(report, timezone.localdate())

    @extend_schema_field(OVERSPENT_BY)
    def get_overspent_by(self, report):
        over = agreement_rules.report_overspent_by(report, report.agreement)
        return OVERSPENT_BY.to_representation(over) if over is not None else None


class ReportSubmitSerializer(StrictSerializer):
    narrative = serializers.CharField(
        max_length=10000, allow_blank=True, help_text="What was done in the period."
    )
    indicators = IndicatorActualSerializer(many=True, required=False, default=list)
    beneficiaries = BeneficiarySerializer(
        many=True,
        required=False,
        default=list,
        help_text="The people reached, one count for each of the agreement's "
        "`beneficiary_groups` (required when it names any).",
    )
    spent_to_date = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="All the money spent since the agreement started; at most the agreement's "
        "amount.",
    )
    spending_explanation = serializers.CharField(
        max_length=agreement_rules.SPENDING_EXPLANATION_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when `spent_to_date` is lower than the previous report's.",
    )


class CommentSerializer(StrictSerializer):
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AgreementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Instrument.choices)
    cso = django_filters.NumberFilter(field_name="cso_id")
    agency = django_filters.NumberFilter(field_name="agency_id")
    proposal = django_filters.NumberFilter(field_name="proposal_id")

    class Meta:
        model = Agreement
        fields = ["status", "kind", "cso", "agency", "proposal"]
