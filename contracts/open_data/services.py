"""Building the open-data files. Each file (in each language) is written once per change of
the data behind it, a chunk of rows at a time into a temporary file, then saved to storage
under a new name and recorded in an ``Export`` row; requests serve that file as it stands.

When the data changes, the next request (or the beat's minute tick) finds the file's stamp
out of date. A file that built in under ``OPEN_DATA_INLINE_BUILD_SECONDS`` is rebuilt in that
request, so a small portal always serves current data; a bigger one goes on serving the file
it has while the worker builds the new one, so no request waits for the build."""

import contextlib
import functools
import hashlib
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from contracts.open_data import giving, ocds, selectors
from contracts.open_data.models import Export
from portal.iterables import batched

log = logging.getLogger(__name__)

CHUNK = 500  # agreements (or calls) fetched at a time: about 20 MB of Python objects
FOLDER = "open-data"
BUILDING_SECONDS = 30 * 60  # a build that died frees its lock after this long
QUEUED_SECONDS = 60  # one background rebuild asked for per minute, however many requests


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str
    write: object  # (out, base) -> number of items written


JSON = "application/json"
CSV = "text/csv; charset=utf-8"


def _agreements(queryset):
    return batched(queryset.iterator(chunk_size=CHUNK), CHUNK)


def _write_giving_json(out, base):
    return giving.write_giving_json(out, _agreements(selectors.awarded_agreements()), base=base)


def _write_giving_csv(out, base):
    return giving.write_giving_csv(out, _agreements(selectors.awarded_agreements()))


def _call_chunks():
    """The published calls in groups answered by about ``CHUNK`` awarded agreements in all
    (a call with more stands alone): a call's releases repeat its awards, so the agreements
    held at once, not the calls, are what must stay bounded."""
    awarded = selectors.awarded_counts_by_call()
    chunk, held = [], 0
    for call in selectors.published_calls().iterator(chunk_size=CHUNK):
        count = awarded.get(call.pk, 0)
        if chunk and (held + count > CHUNK or len(chunk) >= CHUNK):
            yield chunk
            chunk, held = [], 0
        chunk.append(call)
        held += count
    if chunk:
        yield chunk


def _write_ocds_json(out, base):
    return ocds.write_ocds_json(
        out,
        _call_chunks(),
        selectors.awarded_agreements_of_calls,
        uri=base.rstrip("/") + reverse("open-data-ocds-json"),
        base=base,
    )


def _write_ocds_csv(out, base):
    agreements = selectors.awarded_agreements().order_by("proposal__call_id", "id")
    return ocds.write_ocds_csv(out, _agreements(agreements))


KINDS = {
    kind.name: kind
    for kind in (
        Kind("360giving.json", JSON, _write_giving_json),
        Kind("360giving.csv", CSV, _write_giving_csv),
        Kind("ocds.json", JSON, _write_ocds_json),
        Kind("ocds.csv", CSV, _write_ocds_csv),
    )
}


def base_url() -> str:
    """Where the files say they come from: the portal's public address."""
    return settings.PORTAL_BASE_URL.rstrip("/") + "/"


@functools.cache
def _code_version() -> str:
    """A fingerprint of what writes the files (this package's code and the translations),
    so a deployment that changes what they say rebuilds them though no data changed."""
    here = Path(__file__).resolve().parent
    sources = sorted(here.glob("*.py")) + sorted(
        Path(settings.BASE_DIR).glob("locale/*/LC_MESSAGES/django.mo")
    )
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def stamp(name: str, language: str, version: str) -> str:
    """What a file's content depends on: the code writing it, the data's version, the
    language, the portal's address, the licence and the publication policy."""
    parts = [
        _code_version(),
        name,
        language,
        version,
        base_url(),
        settings.OPEN_DATA_LICENSE,
        settings.OPEN_DATA_PUBLICATION_POLICY,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def export_build(*, name: str, language: str) -> Export:
    """Build the file ``name`` in ``language`` from the data as it is now, save it under a
    name of its own and point the ``Export`` row at it. The file two builds back is deleted
    (the one just replaced may still be being downloaded)."""
    kind = KINDS[name]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, translation.override(language), _snapshot():
        wanted = stamp(name, language, selectors.data_version())
        items = kind.write(out, base_url())
        size = out.tell()
        out.seek(0)
        stem, _dot, extension = name.rpartition(".")
        path = default_storage.save(
            f"{FOLDER}/{stem}-{language}-{wanted[:16]}.{extension}", File(out)
        )
    seconds = time.perf_counter() - started
    built = {"stamp": wanted, "path": path, "size": size, "items": items, "seconds": seconds}
    try:
        export = _record(name, language, built)
    except IntegrityError:  # another build made the first row meanwhile: update that one
        export = _record(name, language, built)
    cache.set(_cache_key(name, language), export, None)
    log.info(
        "open data: built %s (%s), %s items, %s bytes in %.1f s",
        name,
        language,
        items,
        size,
        seconds,
    )
    return export


def _record(name: str, language: str, built: dict) -> Export:
    """Point the file's row at the new build, under the row's lock (made if none yet)."""
    with transaction.atomic():
        export = Export.objects.select_for_update().filter(name=name, language=language).first()
        export = export or Export(name=name, language=language)
        stale = export.previous_path  # (storage names are unique: never the new file's)
        export.previous_path = export.path
        for field, value in built.items():
            setattr(export, field, value)
        export.built_at = timezone.now()
        export.save()
        transaction.on_commit(lambda: _forget(stale))
    return export


@contextlib.contextmanager
def _snapshot():
    """One consistent view of the data for the whole build, however many queries it takes
    (on PostgreSQL, a repeatable-read transaction; inside a transaction already, that one)."""
    if connection.in_atomic_block or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _forget(path):
    if path:
        default_storage.delete(path)


def _cache_key(name: str, language: str) -> str:
    return f"open-data:export:{name}:{language}"


class StillBuilding(Exception):
    """The file has never been built and another process is building it now."""


def export_for_request(*, name: str, language: str) -> Export:
    """The file to answer a request with, in one query (the data's version) while nothing
    changed. When the data moved on: rebuilt here if it builds fast, else the file as it
    stands, with a rebuild queued for the worker. Never built yet: built here, once; a
    request meanwhile gets ``StillBuilding`` (its answer: come back shortly)."""
    wanted = stamp(name, language, selectors.data_version())
    export = cache.get(_cache_key(name, language))
    if export is None or export.stamp != wanted:
        # Not cached here yet, or another process (the worker) may have built it since.
        export = Export.objects.filter(name=name, language=language).first()
        if export is not None:
            cache.set(_cache_key(name, language), export, None)
    if export is not None and export.stamp == wanted:
        return export
    if export is None or export.seconds <= settings.OPEN_DATA_INLINE_BUILD_SECONDS:
        built = _build_unless_building(name, language)
        if built is not None:
            return built
        if export is None:
            raise StillBuilding(name)
        return export  # a fast build is under way elsewhere: this one is a moment old
    _queue_refresh()
    return export


def export_reopen(*, name: str, language: str, lost: Export):
    """The stored file of ``name`` for a request that found ``lost``'s file gone: the file
    another process built since (which removed that one two builds on), else built again."""
    export = Export.objects.filter(name=name, language=language).first()
    if export is not None and export.path != lost.path:
        with contextlib.suppress(FileNotFoundError):
            return export, open_stored(export.path)
    export = _build_unless_building(name, language)
    if export is None:
        raise StillBuilding(name)
    return export, open_stored(export.path)


def open_stored(path: str):
    """The stored file, to be read from its first byte as it arrives. From S3 the object's
    body streams (django-storages' file would download it whole before the first byte)."""
    stored = default_storage.open(path, "rb")
    s3_object = getattr(stored, "obj", None)  # storages.backends.s3.S3File
    if s3_object is not None:
        return s3_object.get()["Body"]
    return stored


def _build_unless_building(name: str, language: str) -> Export | None:
    """Build the file here, unless another process holds its build (then None). One build
    of a file at a time, whatever the replicas: the lock is in the shared cache."""
    lock = f"open-data:building:{name}:{language}"
    if not cache.add(lock, 1, BUILDING_SECONDS):
        return None
    try:
        return export_build(name=name, language=language)
    finally:
        cache.delete(lock)


def _queue_refresh():
    """Queue ``contracts.open_data.refresh`` (tasks.py) by its name, once a minute at most:
    the tasks sit above the services."""
    from portal.celery import app

    if not cache.add("open-data:refresh-queued", 1, QUEUED_SECONDS):
        return
    try:
        app.send_task("contracts.open_data.refresh", retry=False)
    except Exception:  # the broker is down: the beat's next tick rebuilds the files
        log.warning("open data: could not queue a rebuild", exc_info=True)


def exports_refresh() -> list[Export]:
    """Rebuild every file whose data changed (the worker, every minute and when a request
    finds a file out of date). One build of a file at a time, whatever the replicas."""
    built = []
    version = selectors.data_version()
    current = {(e.name, e.language): e.stamp for e in Export.objects.all()}
    for name in KINDS:
        for language, _label in settings.LANGUAGES:
            if current.get((name, language)) == stamp(name, language, version):
                continue
            export = _build_unless_building(name, language)
            if export is not None:  # (else another process is building it)
                built.append(export)
    return built
