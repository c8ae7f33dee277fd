"""Kombu's filesystem transport (the Celery broker while REDIS_URL is unset), with each message
written whole before a worker can see it.

Kombu's own Channel._put creates the message's file in the queue folder, then writes it. A
worker's _get takes any file of its queue it finds there, so it could take one still empty,
fail to decode it (JSONDecodeError) and die. Here the message is written under a name no queue
reads, then renamed to its queue's name in the same folder, which is atomic."""

import contextlib
import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    # As Kombu's filesystem Channel._put, whose signature differs from its base class's.
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: Any) -> None:  # type: ignore[override]
        """Put `payload` onto `queue`: named as Kombu names it (the time first, so that the
        queue is read in order), written first as a hidden ".part" file."""
        encoded = str_to_bytes(dumps(payload))  # type: ignore[no-untyped-call]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as file:
                file.write(encoded)
            os.replace(partial, final)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from error


class Transport(filesystem.Transport):
    Channel = Channel
