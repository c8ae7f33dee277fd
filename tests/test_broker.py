"""The filesystem broker (Celery's while REDIS_URL is unset) never hands a worker a message
that is still being written: Kombu's own transport did, and the worker died on it."""

import json
from queue import Empty

import pytest
from django.conf import settings
from kombu import Connection
from kombu.transport import filesystem

from aftersales import broker
from aftersales.celery import app as celery_app

QUEUE = "notifications"
PAYLOAD = {"body": "x" * 1000, "headers": {"task": "tickets.tasks.deliver"}}


def _read_while_writing(transport: type, module, folder, monkeypatch) -> list:
    """Put PAYLOAD with `transport`, whose _put opens files with `module`'s `open`, reading the
    queue as it starts writing the message, as a worker polling the folder might, and twice
    after it: what each read got."""
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "processed_folder": str(folder),
        "control_folder": str(folder),
        "store_processed": False,
    }
    reads: list = []
    with Connection("filesystem://", transport=transport, transport_options=options) as conn:
        channel = conn.default_channel

        def read():
            try:
                reads.append(channel._get(QUEUE))
            except (Empty, json.JSONDecodeError) as error:
                reads.append(type(error))

        class ReadFirst:
            """A file being written, whose first write lets a worker read the queue."""

            def __init__(self, file):
                self.file = file

            def write(self, data):
                read()
                return self.file.write(data)

            def __getattr__(self, name):
                return getattr(self.file, name)

            def __enter__(self):
                return self

            def __exit__(self, *error):
                self.file.close()

        def opening(path, mode="r", *args, **kwargs):
            file = open(path, mode, *args, **kwargs)  # noqa: SIM115 (its wrapper closes it)
            return ReadFirst(file) if "w" in mode else file

        monkeypatch.setattr(module, "open", opening, raising=False)
        channel._put(QUEUE, PAYLOAD)
        monkeypatch.delattr(module, "open")
        read()
        read()
    return reads


def test_a_message_shows_in_its_queue_only_once_written_whole(tmp_path, monkeypatch):
    reads = _read_while_writing(broker.Transport, broker, tmp_path, monkeypatch)
    assert reads == [Empty, PAYLOAD, Empty]
    assert list(tmp_path.iterdir()) == []  # no part file left behind


def test_kombu_s_own_transport_shows_a_message_before_it_is_written(tmp_path, monkeypatch):
    """Why aftersales.broker exists. Should a Kombu upgrade fix this, the project's transport
    can go."""
    reads = _read_while_writing(filesystem.Transport, filesystem, tmp_path, monkeypatch)
    assert reads == [json.JSONDecodeError, Empty, Empty]  # the message is lost


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="Celery uses Redis (REDIS_URL)")
def test_celery_uses_the_project_s_filesystem_transport():
    with celery_app.connection_for_write() as connection:
        assert isinstance(connection.transport, broker.Transport)
