"""The committee's decisions on the API: POST /csos/{id}/approve/, request-changes/,
reject/, suspend/ and reinstate/. Served by ``CSOViewSet`` (csos/api_urls.py)."""

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from csos.registration.api import action_schema
from portal.api.fields import ReasonSerializer, StrictSerializer, reason_from

from . import permissions, services


class ApproveSerializer(StrictSerializer):
    certified_fields = serializers.ListField(child=serializers.CharField(max_length=64))
    scope_note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


# Mixed into the CSO viewset (csos/api_urls.py), which gives ``get_object`` and ``_respond``.
# No docstrings on the classes: they would become the operations' descriptions.
class CSODecisionActions:
    @action_schema(ApproveSerializer, "Approve and certify (committee reviewer)")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        cso = self.get_object()
        allowed, why = permissions.can_review(request.user, cso)
        if not allowed:  # refuse the wrong person before checking their answers
            raise PermissionDenied(why)
        s = ApproveSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            services.cso_approve(cso=cso, reviewer=request.user, **s.validated_data)
        )

    @action_schema(ReasonSerializer, "Ask the CSO for changes (committee reviewer)")
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        cso = self.get_object()
        return self._respond(
            services.cso_request_changes(
                cso=cso, reviewer=request.user, reason=reason_from(request)
            )
        )

    @action_schema(ReasonSerializer, "Reject the registration (committee reviewer)")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        cso = self.get_object()
        return self._respond(
            services.cso_reject(cso=cso, reviewer=request.user, reason=reason_from(request))
        )

    @action_schema(ReasonSerializer, "Suspend an approved CSO (committee reviewer)")
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        cso = self.get_object()
        return self._respond(
            services.cso_suspend(cso=cso, reviewer=request.user, reason=reason_from(request))
        )

    @action_schema(ReasonSerializer, "Reinstate a suspended CSO (committee reviewer)")
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        cso = self.get_object()
        return self._respond(
            services.cso_reinstate(cso=cso, reviewer=request.user, reason=reason_from(request))
        )
