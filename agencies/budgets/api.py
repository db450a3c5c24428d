"""/api/v1/budget-rounds/: participatory budget rounds (public), their projects, one's own
ballot and the published count. Officers of the owning agency open a round and move it on;
verified accounts propose projects and cast a ballot."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from csos.networks.models import Network
from portal.api.access import ClientScopes, deny_wrong_person
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer
from portal.models import Province
from portal.workflow import InvalidTransition

from . import permissions, selectors, services
from .models import BudgetProject, BudgetRound

MONEY = {"max_digits": 14, "decimal_places": 2}


class BudgetRoundSerializer(StrictModelSerializer):
    owner_agency = serializers.PrimaryKeyRelatedField(read_only=True)
    provinces = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = BudgetRound
        fields = [
            "id", "title", "description", "owner_agency", "network", "provinces", "envelope",
            "status",
            "rule", "tie_break", "ballot_count", "created_at", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields


class BudgetRoundWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(max_length=10000)
    envelope = serializers.DecimalField(**MONEY, min_value=1)
    provinces = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Province.objects.all(),
        help_text="Province codes (DOPA), e.g. 50 for Chiang Mai.",
    )  # fmt: skip
    tie_break = serializers.ChoiceField(choices=BudgetRound.TieBreak.choices, required=False)
    network = serializers.PrimaryKeyRelatedField(
        queryset=Network.objects.all(), required=False, allow_null=True,
        help_text="The provincial network the round is run with (one of its provinces').",
    )  # fmt: skip


class BudgetProjectSerializer(StrictModelSerializer):
    """A project as anyone sees it: who proposed it is never shown."""

    class Meta:
        model = BudgetProject
        fields = [
            "id", "title", "description", "place", "cost", "status", "reason", "votes", "rank",
            "mission", "delivery", "delivery_note", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class BudgetProjectWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(max_length=5000)
    place = serializers.CharField(max_length=255, required=False, allow_blank=True)
    cost = serializers.DecimalField(**MONEY, min_value=0)


class InfeasibleSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class BallotSerializer(StrictSerializer):
    projects = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=500
    )


class BallotAnswerSerializer(StrictSerializer):
    projects = serializers.ListField(child=serializers.IntegerField())
    total = serializers.DecimalField(**MONEY)
    envelope = serializers.DecimalField(**MONEY)


class ResultRowSerializer(StrictSerializer):
    rank = serializers.IntegerField()
    project = serializers.IntegerField()
    title = serializers.CharField()
    cost = serializers.DecimalField(**MONEY)
    votes = serializers.IntegerField()
    selected = serializers.BooleanField()
    running_total = serializers.DecimalField(**MONEY)


class ResultsSerializer(StrictSerializer):
    ballots = serializers.IntegerField()
    envelope = serializers.DecimalField(**MONEY)
    rule = serializers.CharField()
    tie_break = serializers.CharField()
    projects = ResultRowSerializer(many=True)


ROUND_ACTION = {
    "request": None,
    "responses": {200: BudgetRoundSerializer, **error_responses(400, 401, 403, 404, 409)},
}


@extend_schema_view(
    list=extend_schema(summary="Participatory budget rounds (public)"),
    retrieve=extend_schema(responses={200: BudgetRoundSerializer, **error_responses(404)}),
    create=extend_schema(
        summary="Open a round, taking project ideas at once (agency officer)",
        request=BudgetRoundWriteSerializer,
        responses={201: BudgetRoundSerializer, **error_responses(400, 401, 403)},
    ),
)
class BudgetRoundViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = BudgetRoundSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.public_rounds()

    def get_object(self):
        try:
            return selectors.round_get(self.kwargs["pk"])
        except Http404 as exc:
            raise NotFound from exc

    def create(self, request, *args, **kwargs):
        deny_wrong_person(
            self, request, permissions.can_manage(request.user, request.user.agency_id)
        )
        writer = BudgetRoundWriteSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        made = services.round_create(officer=request.user, data=dict(writer.validated_data))
        return Response(
            BudgetRoundSerializer(selectors.round_get(made.pk)).data, status=status.HTTP_201_CREATED
        )

    def _move(self, request, permission, perform):
        budget_round = self.get_object()
        deny_wrong_person(self, request, permission(request.user, budget_round))
        perform(officer=request.user, budget_round=budget_round)
        return Response(BudgetRoundSerializer(selectors.round_get(budget_round.pk)).data)

    @extend_schema(
        summary="Stop taking ideas; check feasibility (the round's officers)", **ROUND_ACTION
    )
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        return self._move(request, permissions.can_start_review, services.round_start_review)

    @extend_schema(summary="Open the vote (every project decided, one feasible)", **ROUND_ACTION)
    @action(detail=True, methods=["post"], url_path="start-voting")
    def start_voting(self, request, pk=None):
        return self._move(request, permissions.can_start_voting, services.round_start_voting)

    @extend_schema(summary="Close the vote, count it and publish the results", **ROUND_ACTION)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._move(request, permissions.can_close, services.round_close)

    @extend_schema(
        methods=["GET"],
        summary="One's own ballot in the round",
        responses={200: BallotAnswerSerializer, **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Cast or change one's ballot: feasible projects within the envelope "
        "(a verified account; until the vote closes)",
        request=BallotSerializer,
        responses={200: BallotAnswerSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(
        detail=True, methods=["get", "post"], permission_classes=[IsAuthenticated, ClientScopes]
    )
    def ballot(self, request, pk=None):
        budget_round = self.get_object()
        if request.method == "POST":
            deny_wrong_person(self, request, permissions.can_vote(request.user, budget_round))
            writer = BallotSerializer(data=request.data)
            writer.is_valid(raise_exception=True)
            services.ballot_cast(
                voter=request.user, budget_round=budget_round,
                project_ids=writer.validated_data["projects"],
            )  # fmt: skip
        chosen = sorted(selectors.my_ballot(request.user, budget_round))
        total = services.total_of(budget_round.projects.filter(pk__in=chosen))
        return Response(
            BallotAnswerSerializer(
                {"projects": chosen, "total": total, "envelope": budget_round.envelope}
            ).data
        )

    @extend_schema(
        summary="The published count: projects in selection order with votes and the running "
        "total (409 until the round closes)",
        responses={200: ResultsSerializer, **error_responses(404, 409)},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        budget_round = self.get_object()
        if budget_round.status != BudgetRound.Status.CLOSED:
            raise InvalidTransition("The results are published when the vote closes.")
        rows = [
            {
                "rank": r["project"].rank, "project": r["project"].pk, "title": r["project"].title,
                "cost": r["project"].cost, "votes": r["votes"], "selected": r["selected"],
                "running_total": r["running_total"],
            }
            for r in selectors.results(budget_round)
        ]  # fmt: skip
        return Response(
            ResultsSerializer(
                {
                    "ballots": budget_round.ballot_count, "envelope": budget_round.envelope,
                    "rule": budget_round.rule, "tie_break": budget_round.tie_break,
                    "projects": rows,
                }
            ).data
        )  # fmt: skip


ROUND_PK = [OpenApiParameter("round_pk", int, OpenApiParameter.PATH)]


@extend_schema_view(
    list=extend_schema(summary="A round's projects (public)", parameters=ROUND_PK),
    retrieve=extend_schema(
        parameters=ROUND_PK, responses={200: BudgetProjectSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        summary="Propose a project while the round takes ideas (a verified account)",
        parameters=ROUND_PK,
        request=BudgetProjectWriteSerializer,
        responses={201: BudgetProjectSerializer, **error_responses(400, 401, 403, 404, 409, 429)},
    ),
)
class BudgetProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = BudgetProjectSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    lookup_value_regex = r"\d+"

    def budget_round(self) -> BudgetRound:
        if not hasattr(self, "_round"):
            try:
                self._round = selectors.round_get(self.kwargs["round_pk"])
            except Http404 as exc:
                raise NotFound from exc
        return self._round

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, built without a request
            return BudgetProject.objects.none()
        return selectors.projects(self.budget_round())

    def create(self, request, *args, **kwargs):
        budget_round = self.budget_round()
        deny_wrong_person(self, request, permissions.can_propose(request.user, budget_round))
        writer = BudgetProjectWriteSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        project = services.project_propose(
            person=request.user, budget_round=budget_round, data=dict(writer.validated_data)
        )
        return Response(BudgetProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    def _review(self, request, feasible: bool, reason: str = ""):
        budget_round = self.budget_round()
        deny_wrong_person(self, request, permissions.can_review(request.user, budget_round))
        project = self.get_object()
        project = services.project_review(
            officer=request.user, project=project, feasible=feasible, reason=reason
        )
        return Response(BudgetProjectSerializer(project).data)

    @extend_schema(
        summary="Feasible: on the ballot (the round's officers, during review)",
        parameters=ROUND_PK,
        request=None,
        responses={200: BudgetProjectSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def feasible(self, request, round_pk=None, pk=None):
        return self._review(request, True)

    @extend_schema(
        summary="Not feasible, with the reason the resident reads",
        parameters=ROUND_PK,
        request=InfeasibleSerializer,
        responses={200: BudgetProjectSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def infeasible(self, request, round_pk=None, pk=None):
        writer = InfeasibleSerializer(data=request.data)
        deny_wrong_person(self, request, permissions.can_review(request.user, self.budget_round()))
        writer.is_valid(raise_exception=True)
        return self._review(request, False, writer.validated_data["reason"])
