"""/api/v1/proposals/{id}/reviews/, /proposals/{id}/feedback/ and /calls/{id}/ranking/: an
evaluator's review, the feedback a CSO reads and the ranking of a call's proposals, at the
addresses of the contract (routed in assessments/api_urls.py beside the proposal and call
view sets of contracts)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from assessments.reviews import permissions, scoring, selectors, services
from assessments.reviews.models import Review
from contracts.api_checks import deny_unless
from contracts.calls import permissions as call_permissions
from contracts.calls import selectors as call_selectors
from contracts.calls.api import per_criterion
from contracts.proposals import permissions as proposal_permissions
from contracts.proposals import selectors as proposal_selectors
from contracts.proposals.models import Proposal
from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer
from portal.reference import SelectionCriterion


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


class ReviewSerializer(StrictModelSerializer):
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


class ReviewWriteSerializer(StrictSerializer):
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


class RankedReviewSerializer(StrictSerializer):
    evaluator = serializers.CharField(source="evaluator.username")
    scores = ScoresSerializer()
    weighted_score = serializers.DecimalField(source="weighted", max_digits=5, decimal_places=2)
    comments = CriterionCommentsSerializer()
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField()


# Its docstring is the schema's description, published as it was (the ranking lives in
# assessments.reviews.selectors now).
class RankingRowSerializer(StrictSerializer):
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

    select_needs_reason = serializers.ListField(
        child=serializers.CharField(),
        help_text="Why selecting this proposal now needs a `reason` (a proposal ranked above "
        "it is not decided, or reviews are missing), in the caller's language; empty when "
        "the selection follows the ranking or the proposal is decided.",
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_reviews(self, row):
        return [user.username for user in row.missing]


class FeedbackCriterionSerializer(StrictSerializer):
    code = serializers.ChoiceField(choices=SelectionCriterion.choices)
    weight = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    comments = serializers.ListField(child=serializers.CharField())


# Its docstring is the schema's description, published as it was (the feedback lives in
# assessments.reviews.selectors now).
class FeedbackSerializer(StrictSerializer):
    """``assessments.selectors.proposal_feedback``: scores and comments without names."""

    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    criteria = FeedbackCriterionSerializer(many=True)
    comments = serializers.ListField(child=serializers.CharField())
    review_count = serializers.IntegerField()


# The routes: each view set serves only its actions, at the proposal's and the call's
# addresses, beside the view sets of contracts (the schema's paths and operations stay).


class ProposalReviewViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ClientScopes]

    def get_queryset(self):
        return proposal_selectors.proposals_visible_to(self.request.user)

    def _checked(self, request, permission):
        proposal = self.get_object()
        deny_unless(self, request, permission(request.user, proposal))
        return proposal

    @extend_schema(
        methods=["get"],
        summary="Reviews: every evaluator's for the call's officers and staff (drafts "
        "included, with their status); an evaluator's own for an evaluator",
        responses={200: ReviewSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @extend_schema(
        methods=["post"],
        summary="Score the proposal (an assigned evaluator without a conflict of interest)",
        description="Saves the evaluator's draft (`draft: true`) or submits it. One review "
        "per evaluator: a submitted review is final, and submitting again answers 409 "
        "`conflict`. A member of the CSO, or of a CSO in its declared networks, may not "
        "review it (403).",
        request=ReviewWriteSerializer,
        responses={
            200: ReviewSerializer,
            201: ReviewSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def reviews(self, request, pk=None):
        proposal = self.get_object()
        context = {"weights": proposal.call.criteria_weights}
        if request.method == "GET":
            deny_unless(self, request, permissions.can_view_reviews(request.user, proposal))
            rows = proposal.reviews.select_related("evaluator").order_by("evaluator__username")
            if not call_permissions.can_view_ranking(request.user, proposal.call)[0]:
                rows = rows.filter(evaluator=request.user)  # an evaluator: their own
            return Response(ReviewSerializer(rows, many=True, context=context).data)
        deny_unless(self, request, permissions.can_review(request.user, proposal))
        s = ReviewWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        existed = selectors.review_for(proposal, request.user) is not None
        review = services.review_save(
            proposal=proposal,
            evaluator=request.user,
            scores=data["scores"],
            comments=data["comments"],
            comment=data["comment"],
            no_conflict_of_interest=data["no_conflict_of_interest"],
            submit=not data["draft"],
        )
        return Response(
            ReviewSerializer(review, context=context).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Scores and comments, without names (the CSO after the decision; officers)",
        responses={200: FeedbackSerializer, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def feedback(self, request, pk=None):
        proposal = self._checked(request, proposal_permissions.can_view_feedback)
        data = selectors.proposal_feedback(proposal)
        return Response(FeedbackSerializer(data).data)


class CallRankingViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]

    def get_queryset(self):
        return call_selectors.calls_visible_to(self.request.user)

    @extend_schema(
        summary="Proposals ranked by weighted score (officer of the agency, staff)",
        description="Weighted score = Σ weight × score / 5 (0–100), the mean over the "
        "submitted reviews. Each evaluator's scores side by side, the spread per criterion, "
        "the criteria in dispute and the evaluators who still owe a review. Unscored "
        "proposals come last with rank null.",
        responses={
            200: RankingRowSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def ranking(self, request, pk=None):
        call = self.get_object()
        deny_unless(self, request, call_permissions.can_view_ranking(request.user, call))
        rows = selectors.call_ranking(call)
        return Response(RankingRowSerializer(rows, many=True).data)
