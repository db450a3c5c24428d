"""The notices in the API: the caller's inbox, read only, and marking one read."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api.fields import StrictModelSerializer, StrictSerializer

from ..api.access import ClientScopes
from ..api.errors import error_responses
from ..api.filters import BooleanFilter
from ..page_cache import KeptListMixin
from .kinds import KINDS
from .models import Notice
from .selectors import notice_inbox
from .services import notice_mark_read


class NoticeRelatedSerializer(StrictSerializer):
    type = serializers.CharField(help_text="The related object's model, e.g. `agreement`.")
    id = serializers.IntegerField(allow_null=True)
    url = serializers.URLField(
        allow_null=True, help_text="The page in the web portal the notice leads to."
    )


class NoticeSerializer(StrictModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(f"`{code}`" for code in KINDS)
    )
    related = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ["id", "kind", "subject", "body", "created_at", "read_at", "due_on", "related"]
        read_only_fields = fields

    @extend_schema_field(NoticeRelatedSerializer(allow_null=True))
    def get_related(self, notice) -> dict | None:
        if notice.content_type_id is None:
            return None
        request = self.context.get("request")
        url = notice.url or None
        if url and request is not None:
            url = request.build_absolute_uri(url)
        return {
            "type": notice.content_type.model,
            "id": int(notice.object_id) if notice.object_id.isdigit() else None,
            "url": url,
        }


class NoticeFilter(django_filters.FilterSet):
    unread = BooleanFilter(
        method="filter_unread", label="`true`: only unread notices; `false`: only read ones."
    )
    kind = django_filters.ChoiceFilter(
        choices=[(code, code) for code in KINDS], label="The kind of notice (its code)."
    )

    class Meta:
        model = Notice
        fields = ["unread", "kind"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


@extend_schema_view(
    list=extend_schema(
        summary="Your notices",
        description="The caller's in-app notices, newest first: deadlines, offers, payments.",
        responses={200: NoticeSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="One of your notices",
        responses={200: NoticeSerializer, **error_responses(401, 404)},
    ),
)
class NoticeViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = NoticeSerializer
    permission_classes = [IsAuthenticated, ClientScopes]
    filterset_class = NoticeFilter
    search_fields = ["subject", "body"]
    ordering_fields = ["created_at", "due_on", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no caller
            return Notice.objects.none()
        return notice_inbox(self.request.user)

    @extend_schema(
        summary="Mark one of your notices read",
        description="Marking a notice already read keeps the moment it was first read. "
        "Another person's notice answers 404.",
        request=None,
        responses={200: NoticeSerializer, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = self.get_object()
        notice_mark_read(user=request.user, notice_ids=[notice.pk])
        notice.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(notice).data)
