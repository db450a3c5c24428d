"""Uploaded files are checked by what they contain, not by their name, and by size: a file
whose content is active (a PDF that runs JavaScript, launches a program or carries other
files) or ambiguous (HTML in a PDF or an image: a polyglot a browser may run) is refused,
and each object and each organisation has a limit on how much it keeps."""

import re
import zlib
from collections.abc import Callable

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

# How much of the start and of the end of a file is searched for HTML.
SNIFF_BYTES = 4096
HTML_MARKERS = re.compile(
    rb"<(?:!doctype|html|head|body|script|svg|iframe|frame|object|embed|meta|link|style|"
    rb"form|img|base|xml-stylesheet)|javascript:",
    re.IGNORECASE,
)
# PDF names that run code, start programs, carry files or act on their own: refused
# wherever they appear, also spelt with #xx escapes (/J#61vaScript).
ACTIVE_PDF_NAMES = {
    b"JavaScript",
    b"JS",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"AA",
    b"RichMedia",
    b"XFA",
    b"ImportData",
    b"SubmitForm",
}
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()\{\}%]+)")
PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# Inflated streams are searched too (names hide in compressed object streams), up to this
# much in all, so a small "zip bomb" cannot take the server's memory.
MAX_INFLATED_BYTES = 50 * 1024 * 1024


def _pdf_names(data: bytes):
    for match in PDF_NAME.finditer(data):
        yield PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))


def _pdf_inflated_streams(data: bytes):
    budget = MAX_INFLATED_BYTES
    for match in PDF_STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate: an image's own encoding, searched raw above
        budget -= len(inflated)
        yield inflated


def active_pdf_names(data: bytes) -> set[bytes]:
    """The active names (``ACTIVE_PDF_NAMES``) a PDF declares, in its objects or its
    compressed streams."""
    found = {name for name in _pdf_names(data) if name in ACTIVE_PDF_NAMES}
    for inflated in _pdf_inflated_streams(data):
        found |= {name for name in _pdf_names(inflated) if name in ACTIVE_PDF_NAMES}
    return found


def active_content_problem(data: bytes, mime: str) -> str | None:
    """Why a file of the allowed type ``mime`` is refused for its content, or None."""
    if HTML_MARKERS.search(data[:SNIFF_BYTES]) or HTML_MARKERS.search(data[-SNIFF_BYTES:]):
        return _(
            "The file contains web page code (HTML) besides its own content, which a "
            "browser could run; save it again as a plain PDF, JPEG or PNG."
        )
    if mime == "application/pdf" and active_pdf_names(data):
        return _(
            "The PDF contains JavaScript, an action that opens a program, or files attached "
            "inside it; save or print it again as a plain PDF without them."
        )
    return None


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
    data = upload.read(limit + 1)
    upload.seek(0)
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("The file must be a PDF, JPEG or PNG; this file is not, whatever its name says."),
            code="bad_type",
        )
    problem = active_content_problem(data, kind.mime)
    if problem:
        raise ValidationError(problem, code="active_content")
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


# --- how much an object and an organisation keep ------------------------------------------

# Each app that stores an organisation's documents registers how many bytes it holds for
# one (``register_organisation_usage`` in its AppConfig.ready), so the total counts them
# all without ``portal`` importing the apps.
_ORGANISATION_USAGE: list[Callable[[int], int]] = []


def register_organisation_usage(bytes_for: Callable[[int], int]) -> None:
    if bytes_for not in _ORGANISATION_USAGE:
        _ORGANISATION_USAGE.append(bytes_for)


def organisation_bytes(cso_id: int) -> int:
    return sum(bytes_for(cso_id) for bytes_for in _ORGANISATION_USAGE)


def check_room(*, documents: int, cso_id: int, size: int) -> None:
    """Refuse one more document of ``size`` bytes on an object already holding
    ``documents``, or one that takes organisation ``cso_id`` over its total (called under
    the organisation's lock): a ValidationError on ``file``."""
    most = settings.MAX_DOCUMENTS_PER_OBJECT
    if documents >= most:
        raise ValidationError(
            {
                "file": [
                    ngettext(
                        "At most %(count)d document may be attached here; remove one first.",
                        "At most %(count)d documents may be attached here; remove one first.",
                        most,
                    )
                    % {"count": most}
                ]
            }
        )
    total = settings.MAX_UPLOAD_BYTES_PER_ORGANISATION
    used = organisation_bytes(cso_id)
    if used + size > total:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Your organisation's documents already take %(used)s of the "
                        "%(total)s it may keep; remove some before adding this one (%(size)s)."
                    )
                    % {
                        "used": filesizeformat(used),
                        "total": filesizeformat(total),
                        "size": filesizeformat(size),
                    }
                ]
            }
        )
