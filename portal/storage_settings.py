"""Where uploads and the open-data files are kept: the local media folder, or S3-compatible
storage (AWS, MinIO, Ceph, a government cloud's object store) for replicas on several hosts.
Read by settings; no Django import here."""


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    prefix: str = "",
) -> dict:
    """The ``STORAGES["default"]`` entry for a bucket. Objects stay private (no ACL, no public
    URL): the portal reads each one back and answers the download itself, after its own
    permission checks; a name already taken gets a new one rather than overwriting."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": prefix,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
