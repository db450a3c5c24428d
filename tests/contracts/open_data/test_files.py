"""The open-data files are built in the background and served as files (issue 18): a big
file is served as it stands while the worker builds the next, so no request waits for a
build; the file is written a chunk at a time with the same bytes as in one go; the file
before stays one build longer for downloads under way; a file lost from storage is built
again; and the open-data page says how big each file is and when it was built."""

import json

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from contracts.open_data import services
from contracts.open_data.models import Export
from contracts.open_data.tasks import refresh_open_data
from tests.contracts.open_data.test_open_data import by_id, get, pay
from tests.factories import award

pytestmark = pytest.mark.django_db

NAMES = ["360giving.json", "360giving.csv", "ocds.json", "ocds.csv"]


def disbursed(response, agreement) -> list:
    grants = by_id(json.loads(response.getvalue())["grants"])
    return [
        t["value"]
        for t in grants[f"360G-thcoprod-{agreement.number}"].get("disbursementTransaction", [])
    ]


def test_a_slow_file_is_served_as_it_stands_until_the_worker_builds_the_next(
    api_client, world, finance, settings
):
    settings.OPEN_DATA_INLINE_BUILD_SECONDS = 0  # every file counts as slow to build
    first = get(api_client, "360giving.json")
    assert disbursed(first, world["grant"]) == []

    pay(world["grant"], 1, finance, reference="GFMIS-0099")
    meanwhile = get(api_client, "360giving.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert meanwhile.status_code == 304  # the file as it stands: nothing built in the request

    built = refresh_open_data()  # what the worker runs (every minute, and when asked)
    assert "360giving.json (th)" in built and "ocds.csv (en)" in built
    assert len(built) == len(NAMES) * len(settings.LANGUAGES)
    fresh = get(api_client, "360giving.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] != first["ETag"]
    assert disbursed(fresh, world["grant"]) == [150000.5]
    assert refresh_open_data() == []  # nothing changed since: nothing built


@pytest.mark.parametrize("name", NAMES)
def test_a_file_written_a_chunk_at_a_time_is_the_same_file(
    api_client, world, finance, monkeypatch, name
):
    pay(world["grant"], 1, finance)
    for _i in range(3):
        award()
    whole = get(api_client, name).getvalue()
    first = Export.objects.get(name=name, language="th").path
    monkeypatch.setattr(services, "CHUNK", 2)  # two agreements (or calls) at a time
    again = services.export_build(name=name, language="th")
    assert again.path != first  # really built again
    assert default_storage.open(again.path).read() == whole


def test_the_file_before_stays_one_build_longer_then_goes(
    api_client, world, finance, django_capture_on_commit_callbacks
):
    get(api_client, "ocds.json")
    first = Export.objects.get(name="ocds.json", language="th").path
    pay(world["grant"], 1, finance, reference="GFMIS-0001")
    get(api_client, "ocds.json")
    second = Export.objects.get(name="ocds.json", language="th").path
    assert second != first
    assert default_storage.exists(first)  # a download of it may still be under way
    cso = world["grant"].cso
    cso.name_th = "มูลนิธิชื่อใหม่"
    cso.save(update_fields=["name_th", "updated_at"])
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes once committed
        get(api_client, "ocds.json")
    assert not default_storage.exists(first) and default_storage.exists(second)


def test_a_file_lost_from_storage_is_built_again(api_client, world):
    before = get(api_client, "ocds.csv").getvalue()
    default_storage.delete(Export.objects.get(name="ocds.csv", language="th").path)
    again = get(api_client, "ocds.csv")
    assert again.status_code == 200 and again.getvalue() == before


def test_a_file_lost_while_another_process_built_the_next_is_served_without_a_build(
    api_client, world, finance
):
    """This process still knew the file before; another built the next and, a build later,
    removed this one. The request serves the other's file rather than building a third."""
    from django.core.cache import cache

    get(api_client, "ocds.csv")
    known = Export.objects.get(name="ocds.csv", language="th")
    elsewhere = services.export_build(name="ocds.csv", language="th")
    cache.set(services._cache_key("ocds.csv", "th"), known, None)  # what this process knew
    default_storage.delete(known.path)
    again = get(api_client, "ocds.csv")
    assert again.status_code == 200 and again["ETag"] == f'W/"{elsewhere.stamp[:32]}"'
    assert Export.objects.get(name="ocds.csv", language="th").path == elsewhere.path


def test_while_the_first_build_runs_elsewhere_a_request_is_asked_to_come_back(api_client, world):
    from django.core.cache import cache

    lock = "open-data:building:ocds.json:th"
    assert cache.add(lock, 1, 60)  # a worker (or another request) is building it now
    try:
        waiting = get(api_client, "ocds.json")
        assert waiting.status_code == 503 and int(waiting["Retry-After"]) > 0
        assert "no-store" in waiting["Cache-Control"]
        error = json.loads(waiting.content)["error"]
        assert error["code"] == "building" and "ครั้งแรก" in error["message"]  # in Thai
        english = get(api_client, "ocds.json", HTTP_ACCEPT_LANGUAGE="en")
        assert english.status_code == 200  # another file: not held up
    finally:
        cache.delete(lock)
    assert get(api_client, "ocds.json").status_code == 200


def test_the_open_data_page_gives_each_files_size_and_when_it_was_built(client, api_client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Not built yet" in client.get("/open-data/").content.decode()
    size = len(get(api_client, "ocds.json", HTTP_ACCEPT_LANGUAGE="en").getvalue())
    html = client.get("/open-data/").content.decode()
    export = Export.objects.get(name="ocds.json", language="en")
    assert export.size == size
    assert f"{timezone.localtime(export.built_at).year + 543}" in html  # a Buddhist Era date
    assert "KB" in html


@pytest.mark.django_db(transaction=True)
def test_two_first_builds_at_once_both_succeed_on_one_row(monkeypatch):
    """A request and the worker (or two requests) building a file for the first time at
    once: neither fails, and one row points at the last file built."""
    import threading

    from django.db import connection

    award()
    barrier, save, errors = threading.Barrier(2, timeout=30), Export.save, []
    waited = set()

    def together(self, *args, **kwargs):
        if threading.get_ident() not in waited:  # the first try: both found no row yet
            waited.add(threading.get_ident())
            barrier.wait()
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Export, "save", together)

    def build():
        try:
            services.export_build(name="ocds.csv", language="th")
        except Exception as exc:  # noqa: BLE001 # the failure is what the test reports
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=build) for _i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    export = Export.objects.get(name="ocds.csv", language="th")
    assert default_storage.exists(export.path) and export.previous_path
