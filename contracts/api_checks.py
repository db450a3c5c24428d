"""What the API views of contracts (and assessments) share: refusing with the permission's
reason, and reading an id from the body before the serializer does."""


def deny_unless(view, request, allowed_reason):
    """403 with the permission's reason (401 for an anonymous caller)."""
    allowed, why = allowed_reason
    if not allowed:
        view.permission_denied(request, message=why)


def pk_in_body(request, name):
    """The id the body names under ``name``, if it is one; the serializer judges the rest."""
    data = request.data if isinstance(request.data, dict) else {}
    value = data.get(name)
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
