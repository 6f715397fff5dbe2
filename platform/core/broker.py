"""The embedded broker: kombu's filesystem transport, made safe for a worker that polls while a web
process writes.

kombu's own transport opens the message file under its final name and then writes it; its reader
takes any file with that name, unlocked. A worker polling at the wrong moment reads an empty or half
written file, fails to decode it and stops with "Unrecoverable error" — no job runs until it is
restarted (seen here in a full test run). Here a message is written under a name the reader ignores and
renamed into place (a rename is atomic within a folder), and a file that still cannot be decoded is
dropped with an error in the log instead of stopping the worker; the Job table is the truth, so the
reaper re-sends the doorbell of any job left queued.

Selected in settings (CELERY_BROKER_TRANSPORT) whenever CELERY_BROKER_URL is filesystem://.
"""
from __future__ import annotations

import logging
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".part"  # "<stamp>_<uuid>.<queue>.msg.part" never matches the reader's "<queue>.msg"


class AtomicFilesystemChannel(filesystem.Channel):
    def _put(self, queue: str, payload: dict, **kwargs) -> None:
        """Write the message beside its final name, then rename it into place."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + PARTIAL_SUFFIX
        try:
            with open(partial, "wb") as fh:
                fh.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _get(self, queue: str) -> dict:
        """The next decodable message; undecodable files are logged and dropped (kombu has already
        taken them off the queue), `queue.Empty` when there is none."""
        while True:
            try:
                return super()._get(queue)
            except ValueError as exc:  # json.JSONDecodeError
                logger.error("dropped an unreadable message file from queue %s: %s", queue, exc)


class AtomicFilesystemTransport(filesystem.Transport):
    Channel = AtomicFilesystemChannel
