"""Serializers for scoring in the API: an evaluator's review, the ranking of a call's
proposals and the feedback a CSO reads. The routes live on the proposal and call view sets
(contracts/api.py), at the addresses of the contract."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments import scoring
from assessments.models import Evaluation, Review
from contracts.models import CRITERIA, Proposal
from portal.reference import SelectionCriterion


def per_criterion(name: str, make_field, doc: str):
    """A serializer with one field per selection criterion, in the report's order, so the
    schema names all five."""
    return type(
        name, (serializers.Serializer,), {"__doc__": doc, **{c: make_field() for c in CRITERIA}}
    )


def _score():
    return serializers.IntegerField(min_value=0, max_value=Review.MAX_SCORE, allow_null=True)


def _mean():
    return serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)


def _comment():
    return serializers.CharField(required=False, allow_blank=True)


ScoresSerializer = per_criterion("ScoresSerializer", _score, "A score 0–5 per criterion.")
CriterionCommentsSerializer = per_criterion(
    "CriterionCommentsSerializer", _comment, "An optional comment per criterion."
)
CriterionMeansSerializer = per_criterion(
    "CriterionMeansSerializer", _mean, "The evaluators' mean score per criterion (0–5)."
)
CriterionSpreadsSerializer = per_criterion(
    "CriterionSpreadsSerializer",
    lambda: serializers.IntegerField(min_value=0, max_value=Review.MAX_SCORE),
    "Highest minus lowest score per criterion across the evaluators.",
)


@extend_schema_field(ScoresSerializer)
class ScoresField(serializers.JSONField):
    """Taken as sent; ``review_save`` checks each score and says which one is wrong."""


@extend_schema_field(CriterionCommentsSerializer)
class CommentsField(serializers.JSONField):
    pass


def _weighted(weights, review):
    scores = review.scores
    if any(v is None for v in scores.values()):
        return None
    return scoring.weighted_score(weights, scores)


class ReviewSerializer(serializers.ModelSerializer):
    evaluator = serializers.SlugRelatedField(slug_field="username", read_only=True)
    scores = ScoresSerializer(read_only=True)
    comments = CriterionCommentsSerializer(read_only=True)
    weighted_score = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "proposal",
            "evaluator",
            "status",
            "no_conflict_of_interest",
            "scores",
            "comments",
            "comment",
            "weighted_score",
            "submitted_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True))
    def get_weighted_score(self, review):
        """Σ weight × score / 5 once every criterion is scored; null before."""
        value = _weighted(self.context["weights"], review)
        return None if value is None else f"{value:.2f}"


class ReviewWriteSerializer(serializers.Serializer):
    scores = ScoresField(required=False, default=dict)
    comments = CommentsField(required=False, default=dict)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    no_conflict_of_interest = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Must be true: you declare no conflict of interest with the organisation.",
    )
    draft = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True keeps the review as a draft to finish later; false (the default) "
        "submits it, after which it cannot change.",
    )


class RankedReviewSerializer(serializers.Serializer):
    evaluator = serializers.CharField(source="evaluator.username")
    scores = ScoresSerializer()
    weighted_score = serializers.DecimalField(source="weighted", max_digits=5, decimal_places=2)
    comments = CriterionCommentsSerializer()
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class RankingRowSerializer(serializers.Serializer):
    """One proposal in the ranking (``assessments.selectors.RankedProposal``)."""

    proposal = serializers.IntegerField(source="proposal.pk")
    reference = serializers.CharField(source="proposal.reference")
    title = serializers.CharField(source="proposal.title")
    cso = serializers.IntegerField(source="proposal.cso_id")
    cso_name_th = serializers.CharField(source="proposal.cso.name_th")
    cso_name_en = serializers.CharField(source="proposal.cso.name_en")
    status = serializers.ChoiceField(source="proposal.status", choices=Proposal.Status.choices)
    requested_amount = serializers.DecimalField(
        source="proposal.requested_amount", max_digits=14, decimal_places=2
    )
    weighted_score = serializers.DecimalField(
        source="score",
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="The mean of the evaluators' weighted scores (0–100); null before any.",
    )
    rank = serializers.IntegerField(
        allow_null=True, help_text="1 is best; equal scores share a rank; null when unscored."
    )
    criterion_means = CriterionMeansSerializer()
    reviews = RankedReviewSerializer(many=True)
    spreads = CriterionSpreadsSerializer()
    score_spread = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    disputed = serializers.ListField(
        child=serializers.ChoiceField(choices=SelectionCriterion.choices),
        help_text=f"Criteria on which evaluators are {scoring.SPREAD_ALERT} or more points apart.",
    )
    missing_reviews = serializers.SerializerMethodField(
        help_text="Evaluators on the panel who have not yet submitted (or recused)."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_reviews(self, row):
        return [user.username for user in row.missing]


class FeedbackCriterionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=SelectionCriterion.choices)
    weight = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    comments = serializers.ListField(child=serializers.CharField())


class FeedbackSerializer(serializers.Serializer):
    """``assessments.selectors.proposal_feedback``: scores and comments without names."""

    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    criteria = FeedbackCriterionSerializer(many=True)
    comments = serializers.ListField(child=serializers.CharField())
    review_count = serializers.IntegerField()


# --- evaluations of agreements (routed on the agreement view set in contracts/api.py) ------


class CommitteeMemberSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, allow_blank=True, required=False)
    organisation = serializers.CharField(max_length=255, allow_blank=True, required=False)
    type = serializers.ChoiceField(
        choices=[
            ("agency", "agency"),
            ("cso", "cso"),
            ("professional", "professional"),
            ("other", "other"),
        ],
        required=False,
        help_text="Whom the member represents: the agency, the CSO, a professional body or "
        "others (service users, the community).",
    )


class EvaluationSerializer(serializers.ModelSerializer):
    evaluators = serializers.SlugRelatedField(many=True, read_only=True, slug_field="username")
    committee = CommitteeMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "kind",
            "mode",
            "timing",
            "due_on",
            "evaluators",
            "committee",
            "score",
            "findings",
            "users_views",
            "status",
            "submitted_at",
        ]
        read_only_fields = fields


class EvaluationAddSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    mode = serializers.ChoiceField(
        choices=Evaluation.Mode.choices, required=False, default=Evaluation.Mode.INTERNAL
    )


class EvaluationPlanSerializer(serializers.Serializer):
    """Any part on its own; what is not sent stays as it is."""

    mode = serializers.ChoiceField(choices=Evaluation.Mode.choices, required=False)
    evaluators = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        max_length=50,
        help_text="Usernames; each must hold the evaluator role (an outside body such as a "
        "university gets evaluator accounts). Replaces the list.",
    )
    committee = CommitteeMemberSerializer(
        many=True, required=False, help_text="The committee of stakeholders. Replaces the list."
    )
    due_on = serializers.DateField(
        required=False, help_text="Periodic evaluations only; the others follow the contract."
    )


class EvaluationSubmitSerializer(serializers.Serializer):
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, help_text="0 to 100."
    )
    findings = serializers.CharField(
        max_length=20000, allow_blank=True, help_text="The organisation reads them."
    )
    users_views = serializers.CharField(
        max_length=20000,
        allow_blank=True,
        required=False,
        default="",
        help_text="What the service users said.",
    )
