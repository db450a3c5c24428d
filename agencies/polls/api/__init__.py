"""/api/v1/polls/: open and past polls (public, never drafts) and POST .../vote/ {option}."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from portal.api.access import ClientScopes, deny_wrong_person
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer

from .. import permissions, selectors, services
from ..models import Poll


class OptionSerializer(StrictSerializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    votes = serializers.IntegerField(allow_null=True)


class PollSerializer(StrictModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(read_only=True)
    options = serializers.SerializerMethodField()

    class Meta:
        model = Poll
        fields = ["id", "agency", "question", "options", "opens_at", "closes_at", "show_results"]

    @staticmethod
    def _results_visible(poll, user):
        voted = bool(getattr(poll, "i_voted", False)) if user.is_authenticated else False
        return permissions.can_see_results(user, poll, has_voted=voted)

    def get_options(self, poll) -> list[dict]:
        """``votes`` is null while the results are not shown to this reader (the counts come
        prefetched with the options: no query per poll)."""
        user = self.context["request"].user
        shown = self._results_visible(poll, user)
        return [
            {"id": o.pk, "text": o.text, "votes": o.votes_count if shown else None}
            for o in poll.options.all()
        ]


class VoteSerializer(StrictSerializer):
    option = serializers.IntegerField()


class VoteAddressThrottle(SimpleRateThrottle):
    """Votes from one address (``poll_vote`` rate), loose enough for a shared office
    connection, tight enough to slow a script cycling through accounts."""

    scope = "poll_vote"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@extend_schema_view(
    list=extend_schema(summary="Open and past polls (public)"),
    retrieve=extend_schema(responses={200: PollSerializer, **error_responses(404)}),
)
class PollViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PollSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]

    def get_queryset(self):
        return selectors.public_polls(self.request.user)

    @extend_schema(
        summary="Vote once (a verified account)",
        request=VoteSerializer,
        responses={201: PollSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        poll = self.get_object()
        deny_wrong_person(
            self, request, permissions.can_vote(request.user, poll, already_voted=False)
        )
        # Counted only for those who may vote, after the refusal above.
        throttle = VoteAddressThrottle()
        if not throttle.allow_request(request, self):
            self.throttled(request, throttle.wait())
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.cast_vote(poll, voter=request.user, option_id=serializer.validated_data["option"])
        poll = selectors.public_polls(request.user).get(pk=poll.pk)
        return Response(
            PollSerializer(poll, context={"request": request}).data, status=status.HTTP_201_CREATED
        )
