"""/api/v1/calls/<id>/questions/ and /api/v1/calls/<id>/addenda/: organisations' questions on
an open call with the agency's published answers (without who asked), and the numbered
addenda that changed a published call."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from contracts.calls import permissions, selectors, services
from contracts.calls.models import Call, CallAddendum, CallQuestion
from portal.api.access import ClientScopes, deny_wrong_person
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer

CALL_PK = [OpenApiParameter("call_pk", int, OpenApiParameter.PATH)]


class QuestionSerializer(StrictModelSerializer):
    class Meta:
        model = CallQuestion
        fields = ["id", "question", "asked_at", "answer", "answered_at"]
        read_only_fields = fields


class AskSerializer(StrictSerializer):
    question = serializers.CharField(max_length=2000)


class AnswerSerializer(StrictSerializer):
    answer = serializers.CharField(max_length=5000)


class AddendumSerializer(StrictModelSerializer):
    class Meta:
        model = CallAddendum
        fields = ["number", "published_at", "summary", "changes"]
        read_only_fields = fields


class AmendSerializer(StrictSerializer):
    summary = serializers.CharField(max_length=5000)
    closes_at = serializers.DateTimeField(required=False)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    criteria_weights = serializers.DictField(child=serializers.IntegerField(), required=False)


class _OnCall:
    def call(self) -> Call:
        if not hasattr(self, "_call"):
            try:
                self._call = selectors.call_get_for_user(self.request.user, self.kwargs["call_pk"])
            except Http404 as exc:
                raise NotFound from exc
        return self._call


@extend_schema_view(
    list=extend_schema(
        summary="Questions on a call: answered ones for everyone (without who asked); the "
        "agency's officers see all, an organisation also its own waiting ones",
        parameters=CALL_PK,
    ),
    create=extend_schema(
        summary="Ask a question on an open call (a member of a registered organisation)",
        parameters=CALL_PK, request=AskSerializer,
        responses={201: QuestionSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Answer (or correct the answer to) a question; it is published (the officer)",
        parameters=CALL_PK, request=AnswerSerializer,
        responses={200: QuestionSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)  # fmt: skip
class CallQuestionViewSet(
    _OnCall, mixins.ListModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = QuestionSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CallQuestion.objects.none()
        call = self.call()
        user = self.request.user
        questions = call.questions.order_by("asked_at", "pk")
        if permissions.can_manage_call(user, call)[0]:
            return questions
        if user.is_authenticated and getattr(user, "cso_id", None):
            return questions.filter(answered_at__isnull=False) | questions.filter(
                cso_id=user.cso_id
            )
        return questions.filter(answered_at__isnull=False)

    def create(self, request, *args, **kwargs):
        call = self.call()
        deny_wrong_person(self, request, permissions.can_ask_question(request.user, call))
        writer = AskSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        asked = services.question_ask(
            user=request.user, call=call, question=writer.validated_data["question"]
        )
        return Response(QuestionSerializer(asked).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        call = self.call()
        deny_wrong_person(self, request, permissions.can_manage_call(request.user, call))
        question = call.questions.filter(pk=self.kwargs["pk"]).first()
        if question is None:
            raise NotFound
        question.call = call
        writer = AnswerSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        answered = services.question_answer(
            user=request.user, question=question, answer=writer.validated_data["answer"]
        )
        return Response(QuestionSerializer(answered).data)


@extend_schema_view(
    list=extend_schema(summary="The addenda that changed a published call", parameters=CALL_PK),
    create=extend_schema(
        summary="Change an open call by an addendum (the officer): extend `closes_at`, change "
        "the description or, before any submission, the weights",
        parameters=CALL_PK, request=AmendSerializer,
        responses={201: AddendumSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)  # fmt: skip
class CallAddendumViewSet(
    _OnCall, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = AddendumSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CallAddendum.objects.none()
        return self.call().addenda.order_by("number")

    def create(self, request, *args, **kwargs):
        call = self.call()
        deny_wrong_person(self, request, permissions.can_manage_call(request.user, call))
        writer = AmendSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        addendum = services.call_amend(call=call, user=request.user, **writer.validated_data)
        return Response(AddendumSerializer(addendum).data, status=status.HTTP_201_CREATED)


__all__ = ["CallAddendumViewSet", "CallQuestionViewSet"]
