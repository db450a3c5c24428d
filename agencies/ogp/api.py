"""/api/v1/ogp/commitments/: the published Open Government Action Plans' commitments, each
with its responsible agency and milestones (their status and latest evidence). Public."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer

from .models import Commitment, Milestone, Plan, ProgressReport


class OgpMilestoneSerializer(StrictModelSerializer):
    evidence = serializers.SerializerMethodField()
    late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "status", "done_on", "late", "evidence"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_blank=True))
    def get_evidence(self, milestone) -> str:
        """The latest progress report's evidence link ("" when none)."""
        reports = list(milestone.reports.all())
        return next((r.evidence_url for r in reports if r.evidence_url), "")


class OgpCommitmentSerializer(StrictModelSerializer):
    plan = serializers.IntegerField(source="plan.number", read_only=True)
    agency = serializers.PrimaryKeyRelatedField(read_only=True)
    milestones = OgpMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "plan", "number", "title", "description", "agency", "values", "milestones"]
        read_only_fields = fields


class OgpCommitmentFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan__number")

    class Meta:
        model = Commitment
        fields = ["plan", "agency"]


@extend_schema_view(
    list=extend_schema(summary="Commitments of the published Open Government Action Plans"),
    retrieve=extend_schema(responses={200: OgpCommitmentSerializer, **error_responses(404)}),
)
class OgpCommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OgpCommitmentSerializer
    filterset_class = OgpCommitmentFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            Commitment.objects.filter(plan__status=Plan.Status.PUBLISHED)
            .select_related("plan")
            .prefetch_related(
                Prefetch(
                    "milestones",
                    queryset=Milestone.objects.order_by("due_on", "pk").prefetch_related(
                        Prefetch(
                            "reports",
                            queryset=ProgressReport.objects.order_by("-reported_at", "-pk"),
                        )
                    ),
                )
            )
            .order_by("-plan__number", "number")
        )
