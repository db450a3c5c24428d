"""Uploads and the open-data files on S3-compatible storage (issue 18, section 4): with the
storage the settings build for S3_BUCKET, a document a member uploads lands in the bucket as
a private object, comes back byte for byte through the portal's own download, and the
open-data files are built into the bucket and served from it. The bucket is moto's S3
server: a real HTTP endpoint speaking the S3 API, as MinIO or a cloud's object store would."""

import json

import boto3
import pytest
from moto.server import ThreadedMotoServer

from portal.storage_settings import s3_storage
from tests import factories
from tests.factories import CSOFactory, award, sample_file

pytestmark = pytest.mark.django_db

BUCKET = "portal-uploads"
KEYS = {"aws_access_key_id": "portal", "aws_secret_access_key": "portal-secret"}


@pytest.fixture
def bucket(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_storage(
                bucket=BUCKET,
                endpoint_url=endpoint,
                region="us-east-1",
                access_key=KEYS["aws_access_key_id"],
                secret_key=KEYS["aws_secret_access_key"],
                prefix="portal",
            ),
        }
        yield client
    finally:
        server.stop()


def keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_upload_is_a_private_object_and_comes_back_through_the_portal(api_as, bucket):
    cso = CSOFactory(status="draft", documents=False)
    client = api_as(cso.members.get())
    base = f"/api/v1/csos/{cso.pk}/documents"
    sent = client.post(
        f"{base}/",
        {"kind": "registration", "title": "ข้อบังคับ", "file": sample_file("registration.pdf")},
    )
    assert sent.status_code == 201, sent.json()

    (key,) = keys(bucket)
    assert key.startswith("portal/")
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only: not public
    assert all("AllUsers" not in str(g["Grantee"]) for g in grants)

    download = client.get(f"{base}/{sent.json()['id']}/file/")
    assert download.status_code == 200
    original = (factories.FILES / "registration.pdf").read_bytes()
    assert b"".join(download.streaming_content) == original


def test_the_open_data_files_are_built_into_the_bucket_and_served_from_it(api_client, bucket):
    agreement = award()
    response = api_client.get("/api/v1/open-data/360giving.json")
    assert response.status_code == 200
    grants = json.loads(response.getvalue())["grants"]
    assert [g["id"] for g in grants] == [f"360G-thcoprod-{agreement.number}"]
    assert any(k.startswith("portal/open-data/360giving-th-") for k in keys(bucket))
