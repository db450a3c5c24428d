from django.contrib.contenttypes.models import ContentType

from .models import AuditLog


def audit_record(
    *, obj, actor, action: str, from_status="", to_status="", reason="", data=None
) -> AuditLog:
    """Write one audit row; call it inside the transaction that made the change."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason or "",
        data=data or {},
    )


def audit_history(obj):
    return (
        AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("actor", "content_type")
        .order_by("at", "id")
    )
