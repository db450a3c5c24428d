"""/api/v1/consultations/ (Participation in the API contract): consultations with their
questions, the officer's actions (publish, close, report), answering once, the threads with
agree/disagree, reports and moderation, the summary and the response report."""

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response as ApiResponse

from portal.api.access import ClientScopes, deny_wrong_person
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer, reason_from
from portal.reference import ServiceCategory

from . import analysis, permissions, selectors, services
from .models import Consultation, Contribution, Question, Reaction, Response

CS = Consultation.Status


# --- consultations --------------------------------------------------------------------


class ConsultationQuestionSerializer(StrictModelSerializer):
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    options = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=15
    )

    class Meta:
        model = Question
        fields = ["id", "kind", "text", "help_text", "options", "required"]
        read_only_fields = ["id"]


class ConsultationDocumentSerializer(StrictSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.CharField()


class ConsultationSerializer(StrictModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(read_only=True)
    mission = serializers.PrimaryKeyRelatedField(
        queryset=Consultation._meta.get_field("mission").related_model.objects.all(),
        required=False,
        allow_null=True,
    )
    province = serializers.PrimaryKeyRelatedField(
        queryset=Consultation._meta.get_field("province").related_model.objects.all(),
        required=False,
        allow_null=True,
    )
    topic = serializers.ChoiceField(choices=ServiceCategory.choices, required=False)
    questions = ConsultationQuestionSerializer(many=True, required=False)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id", "agency", "mission", "province", "topic", "title", "summary", "background",
            "status", "opens_at", "closes_at", "audience", "moderation", "questions",
            "documents", "response_count", "contribution_count", "published_at", "closed_at",
            "reported_at",
        ]  # fmt: skip
        read_only_fields = [
            "status", "response_count", "contribution_count", "published_at", "closed_at",
            "reported_at",
        ]  # fmt: skip

    @extend_schema_field(ConsultationDocumentSerializer(many=True))
    def get_documents(self, consultation):
        return [
            {
                "id": d.pk,
                "title": d.title,
                "summary": d.summary,
                "size": d.size,
                "url": reverse("consultation-document", args=[consultation.pk, d.pk]),
            }
            for d in consultation.documents.all()
        ]


class ConsultationFilter(django_filters.FilterSet):
    agency = django_filters.NumberFilter(field_name="agency_id")
    mission = django_filters.NumberFilter(field_name="mission_id")
    province = django_filters.CharFilter(field_name="province_id")

    class Meta:
        model = Consultation
        fields = ["status", "agency", "mission", "province", "topic", "audience"]


class ConsultationAnswersSerializer(StrictSerializer):
    answers = serializers.DictField(help_text="{question id: answer}")
    draft = serializers.BooleanField(required=False, default=False)


class ConsultationResponseSerializer(StrictModelSerializer):
    class Meta:
        model = Response
        fields = ["id", "consultation", "status", "answers", "saved_at", "sent_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Consultations (public; an officer also sees the agency's drafts)",
    ),
    retrieve=extend_schema(responses={200: ConsultationSerializer, **error_responses(404)}),
    create=extend_schema(
        summary="Open a consultation as a draft, with its questions (agency officer)",
        responses={201: ConsultationSerializer, **error_responses(400, 401, 403)},
    ),
)
class ConsultationViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ConsultationSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    filterset_class = ConsultationFilter
    search_fields = ["title", "summary"]
    ordering_fields = ["opens_at", "closes_at", "id"]

    def get_queryset(self):
        user = self.request.user
        qs = Consultation.objects.select_related("agency").prefetch_related(
            "questions", "documents"
        )
        if permissions.can_manage(user, getattr(user, "agency_id", None))[0]:
            qs = qs.filter(~Q(status=CS.DRAFT) | Q(agency_id=user.agency_id))
        else:
            qs = qs.exclude(status=CS.DRAFT)
        return qs.order_by("-opens_at", "-pk")

    def create(self, request, *args, **kwargs):
        allowed, reason = permissions.can_manage(request.user, request.user.agency_id)
        if not allowed:
            self.permission_denied(request, message=reason)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        questions = data.pop("questions", [])
        with transaction.atomic():
            consultation = services.consultation_create(
                actor=request.user, agency=request.user.agency, data=data
            )
            for i, question in enumerate(questions):
                try:
                    services.question_add(
                        actor=request.user, consultation=consultation, data=dict(question)
                    )
                except ValidationError as exc:
                    if not hasattr(exc, "error_dict"):
                        raise
                    raise ValidationError(
                        {f"questions.{i}.{k}": v for k, v in exc.message_dict.items()}
                    ) from exc
        consultation = self.get_queryset().get(pk=consultation.pk)
        return ApiResponse(self.get_serializer(consultation).data, status=status.HTTP_201_CREATED)

    def _act(self, request, move):
        consultation = self.get_object()
        move(actor=request.user, consultation=consultation)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=consultation.pk)).data)

    @extend_schema(
        summary="Publish a draft (officer)",
        request=None,
        responses={200: ConsultationSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(request, services.consultation_publish)

    @extend_schema(
        summary="Close now (officer)",
        request=None,
        responses={200: ConsultationSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        consultation = self.get_object()
        services.consultation_close(
            actor=request.user, consultation=consultation, reason=reason_from(request)
        )
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=consultation.pk)).data)

    @extend_schema(
        summary="Publish the response report (officer); tells the participants",
        request=None,
        responses={200: ConsultationSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return self._act(request, services.consultation_report)

    @extend_schema(
        summary="Answer the questions: once per account (409 on a second); draft: true saves "
        "without sending",
        request=ConsultationAnswersSerializer,
        responses={201: None, **error_responses(400, 401, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def responses(self, request, pk=None):
        consultation = self.get_object()
        deny_wrong_person(self, request, permissions.can_take_part(request.user, consultation))
        serializer = ConsultationAnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = services.response_save(
            consultation=consultation,
            respondent=request.user,
            answers=serializer.validated_data["answers"],
            send=not serializer.validated_data.get("draft", False),
        )
        return ApiResponse(
            ConsultationResponseSerializer(response).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="The caller's own answers (draft or sent)",
        responses={200: None, **error_responses(401, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="my-response",
        permission_classes=[IsAuthenticated, ClientScopes],
    )
    def my_response(self, request, pk=None):
        response = selectors.my_response(request.user, self.get_object())
        if response is None:
            raise NotFound
        return ApiResponse(ConsultationResponseSerializer(response).data)

    @extend_schema(
        summary="Counts per answer and per theme, and the top keywords (public once closed)",
        responses={200: None, **error_responses(404)},
    )
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        consultation = self.get_object()
        if not permissions.can_see_summary(request.user, consultation):
            raise NotFound
        data = analysis.summary(consultation)
        return ApiResponse(
            {
                "responses": data["responses"],
                "contributions": data["contributions"],
                "answers": [
                    {
                        "question": row["question"].pk,
                        "kind": row["question"].kind,
                        "answered": row["answered"],
                        "mean": row["mean"],
                        "options": row["options"],
                        "keywords": [{"word": w, "count": n} for w, n in row.get("keywords", [])],
                    }
                    for row in data["answers"]
                ],
                "themes": [
                    {"id": t["theme"].pk, "name": t["theme"].name, "count": t["count"]}
                    for t in data["themes"]
                ],
                "keywords": [{"word": w, "count": n} for w, n in data["keywords"]],
            }
        )

    @extend_schema(
        summary="The response report: for each theme what was heard and what will be done",
        responses={200: None, **error_responses(404)},
    )
    @action(detail=True, methods=["get"], url_path="response-report")
    def response_report(self, request, pk=None):
        consultation = self.get_object()
        if consultation.status != CS.REPORTED:
            raise NotFound
        report = consultation.report
        return ApiResponse(
            {
                "consultation": consultation.pk,
                "introduction": report.introduction,
                "published_at": consultation.reported_at,
                "decisions": [
                    {
                        "theme": d.theme.name,
                        "heard": d.heard,
                        "outcome": d.outcome,
                        "action": d.action,
                        "contributions": [c.pk for c in d.contributions.all()],
                    }
                    for d in report.decisions.select_related("theme").prefetch_related(
                        "contributions"
                    )
                ],
            }
        )


# --- contributions ----------------------------------------------------------------------


class ContributionSerializer(StrictModelSerializer):
    question = serializers.PrimaryKeyRelatedField(read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True)
    author_label = serializers.SerializerMethodField()
    agree = serializers.IntegerField(source="agree_count", read_only=True)
    disagree = serializers.IntegerField(source="disagree_count", read_only=True)
    text = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        fields = [
            "id", "question", "kind", "parent", "text", "author_label", "author_type",
            "organisation", "meeting", "agree", "disagree", "status", "hidden_reason",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_author_label(self, c) -> str:
        if c.status == Contribution.Status.HIDDEN:
            return ""
        if c.author_type == Contribution.AuthorType.MEETING:
            return c.organisation
        if c.author_name:
            return c.author_name
        return str(Contribution.AuthorType(c.author_type).label)

    def get_text(self, c) -> str:
        return "" if c.status == Contribution.Status.HIDDEN else c.text


class ContributionWriteSerializer(StrictSerializer):
    question = serializers.IntegerField(required=False, allow_null=True)
    parent = serializers.IntegerField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Contribution.Kind.choices)
    text = serializers.CharField(max_length=5000)
    show_name = serializers.BooleanField(required=False, default=False)


class ReactionSerializer(StrictSerializer):
    value = serializers.ChoiceField(choices=Reaction.Value.choices)


class FlagSerializer(StrictSerializer):
    reason = serializers.ChoiceField(choices=Contribution.HiddenReason.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class HideSerializer(StrictSerializer):
    reason = serializers.ChoiceField(choices=Contribution.HiddenReason.choices)


class ContributionFilter(django_filters.FilterSet):
    question = django_filters.NumberFilter(field_name="question_id")
    parent = django_filters.NumberFilter(field_name="parent_id")

    class Meta:
        model = Contribution
        fields = ["question", "parent", "kind", "status"]


@extend_schema_view(
    list=extend_schema(
        summary="A consultation's contributions (hidden ones show only their reason)",
        parameters=[OpenApiParameter("consultation_pk", int, OpenApiParameter.PATH)],
    ),
    retrieve=extend_schema(
        parameters=[OpenApiParameter("consultation_pk", int, OpenApiParameter.PATH)],
        responses={200: ContributionSerializer, **error_responses(404)},
    ),
    destroy=extend_schema(
        summary="Delete one's own contribution while the consultation is open",
        parameters=[OpenApiParameter("consultation_pk", int, OpenApiParameter.PATH)],
        responses={204: None, **error_responses(401, 403, 404, 409)},
    ),
)
class ContributionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ContributionSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    filterset_class = ContributionFilter
    ordering_fields = ["created_at", "agree_count", "id"]

    def consultation(self) -> Consultation:
        if not hasattr(self, "_consultation"):
            try:
                self._consultation = selectors.consultation_get_for_user(
                    self.request.user, self.kwargs["consultation_pk"]
                )
            except Http404 as exc:
                raise NotFound from exc
        return self._consultation

    def moderator(self) -> bool:
        return permissions.can_moderate(self.request.user, self.consultation())[0]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, built without a request
            return Contribution.objects.none()
        return (
            selectors.visible_to(self.request.user, self.consultation(), moderator=self.moderator())
            .select_related("consultation")
            .order_by("created_at", "pk")
        )

    @extend_schema(
        summary="Contribute to the thread: an idea, an argument for or against (a reply to an "
        "idea), or a question",
        parameters=[OpenApiParameter("consultation_pk", int, OpenApiParameter.PATH)],
        request=ContributionWriteSerializer,
        responses={201: ContributionSerializer, **error_responses(400, 401, 403, 404, 409, 429)},
    )
    def create(self, request, *args, **kwargs):
        consultation = self.consultation()
        deny_wrong_person(self, request, permissions.can_take_part(request.user, consultation))
        serializer = ContributionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        question_id, parent_id = data.pop("question", None), data.pop("parent", None)
        data["question"] = None
        if question_id is not None:
            data["question"] = consultation.questions.filter(pk=question_id).first()
            if data["question"] is None:
                raise serializers.ValidationError(
                    {"question": [_("Choose one of this consultation's questions.")]}
                )
        data["parent"] = None
        if parent_id is not None:
            data["parent"] = consultation.contributions.filter(pk=parent_id).first()
            if data["parent"] is None:
                raise serializers.ValidationError(
                    {"parent": [_("Reply to a contribution in this consultation.")]}
                )
        contribution = services.contribution_add(
            consultation=consultation, author=request.user, data=data
        )
        return ApiResponse(
            ContributionSerializer(contribution).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance):
        services.contribution_withdraw(contribution=instance, author=self.request.user)

    def _then(self, contribution):
        contribution.refresh_from_db()
        return ApiResponse(ContributionSerializer(contribution).data)

    @extend_schema(
        summary="Agree or disagree, once per account (the other answer changes it)",
        parameters=[OpenApiParameter("consultation_pk", int, OpenApiParameter.PATH)],
        request=ReactionSerializer,
        responses={200: ContributionSerializer, **error_responses(400, 401, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def react(self, request, consultation_pk=None, pk=None):
        contribution = self.get_object()
        deny_wrong_person(self, request, permissions.can_react(request.user, contribution))
        serializer = ReactionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.contribution_react(
            contribution=contribution,
            person=request.user,
            value=serializer.validated_data["value"],
        )
        return self._then(contribution)

    @extend_schema(
        summary="Report a contribution to the moderators",
        parameters=[OpenApiParameter("consultation_pk", int, OpenApiParameter.PATH)],
        request=FlagSerializer,
        responses={201: None, **error_responses(400, 401, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def report(self, request, consultation_pk=None, pk=None):
        contribution = self.get_object()
        deny_wrong_person(self, request, permissions.can_flag(request.user, contribution))
        serializer = FlagSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.contribution_flag(
            contribution=contribution, reporter=request.user, **serializer.validated_data
        )
        return ApiResponse({"reported": True}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Hide with a reason shown in its place (moderator)",
        parameters=[OpenApiParameter("consultation_pk", int, OpenApiParameter.PATH)],
        request=HideSerializer,
        responses={200: ContributionSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def hide(self, request, consultation_pk=None, pk=None):
        contribution = self.get_object()
        deny_wrong_person(
            self, request, permissions.can_moderate(request.user, self.consultation())
        )
        serializer = HideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.contribution_hide(
            contribution=contribution,
            moderator=request.user,
            reason=serializer.validated_data["reason"],
        )
        return self._then(contribution)

    @extend_schema(
        summary="Show a hidden contribution again (moderator)",
        parameters=[OpenApiParameter("consultation_pk", int, OpenApiParameter.PATH)],
        request=None,
        responses={200: ContributionSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def restore(self, request, consultation_pk=None, pk=None):
        contribution = self.get_object()
        deny_wrong_person(
            self, request, permissions.can_moderate(request.user, self.consultation())
        )
        services.contribution_restore(contribution=contribution, moderator=request.user)
        return self._then(contribution)

    @extend_schema(
        summary="Publish a contribution held for moderation (moderator)",
        parameters=[OpenApiParameter("consultation_pk", int, OpenApiParameter.PATH)],
        request=None,
        responses={200: ContributionSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def approve(self, request, consultation_pk=None, pk=None):
        contribution = self.get_object()
        deny_wrong_person(
            self, request, permissions.can_moderate(request.user, self.consultation())
        )
        services.contribution_approve(contribution=contribution, moderator=request.user)
        return self._then(contribution)
