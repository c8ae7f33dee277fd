"""The upload and download path against S3-compatible object storage: moto's server on a free
local port stands in for S3 (or MinIO, or any other), spoken to over HTTP by django-storages."""

import socket

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from tests.tickets.factories import CaseFactory
from tests.tickets.portal.conftest import sign_in
from tickets.models import Case, Message
from tickets.services.evidence import evidence_prepare
from tickets.services.messages import message_add

from . import files

pytestmark = pytest.mark.django_db
BUCKET = "aftersales-evidence"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh bucket, and the settings base.py builds when AWS_STORAGE_BUCKET_NAME is set."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_photo_goes_into_the_bucket_and_comes_back_to_its_customer(client, bucket):
    # given a customer's case
    case = CaseFactory(status=Case.Status.OPEN)

    # when a photo is uploaded the portal's way
    prepared = evidence_prepare([SimpleUploadedFile("kettle.jpg", files.jpeg(gps=True))])
    sent = prepared[0].read()
    prepared[0].seek(0)
    message = message_add(
        case=case,
        body="Photo",
        author_kind=Message.Author.CUSTOMER,
        actor=None,
        attachments=prepared,
    )
    attachment = message.attachments.get()

    # then it lies in the bucket under its random name, private
    assert keys(bucket) == [attachment.file.name]
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=attachment.file.name)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers, no public

    # and the customer downloads the very same bytes through the portal
    sign_in(client, case.customer)
    response = client.get(f"/portal/files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sent
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
