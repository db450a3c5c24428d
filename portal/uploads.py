"""Uploaded files are checked by what they contain, not by their name, and by size."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def check_upload(upload) -> str:
    """Return the detected MIME type of an allowed upload, or raise ValidationError."""
    if upload is None:
        raise ValidationError(_("Choose a file to upload."), code="required")
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("The file must be a PDF, JPEG or PNG; this file is not, whatever its name says."),
            code="bad_type",
        )
    return kind.mime


def stored_upload(upload) -> dict:
    """The fields every stored document keeps (``portal.models.StoredFile``) for a checked
    upload; a refused file is a ValidationError on the ``file`` field."""
    try:
        content_type = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return {
        "file": upload,
        "content_type": content_type,
        "size": upload.size,
        "original_name": (getattr(upload, "name", "") or "upload")[-255:],
    }
