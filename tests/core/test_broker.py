"""The embedded broker (core/broker.py): a message is never visible half written, and an unreadable
message file is dropped instead of stopping the worker."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from kombu import Connection
from kombu.simple import SimpleQueue

from core.broker import PARTIAL_SUFFIX


@dataclass
class Broker:
    queue: SimpleQueue
    name: str       # the queue's name: message files are "<stamp>_<uuid>.<name>.msg"
    folder: Path


@pytest.fixture
def broker(tmp_path):
    """A queue on the atomic filesystem transport in a folder of its own. Each test names its own
    queue: kombu keeps declared exchanges in process-wide state, so declaring one name again in
    another folder would write nothing there."""
    folders = {name: tmp_path / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir()
    options = {"data_folder_in": str(folders["queue"]), "data_folder_out": str(folders["queue"]),
               "processed_folder": str(folders["processed"]), "control_folder": str(folders["control"]),
               "store_processed": False}
    name = f"q{uuid.uuid4().hex[:12]}"
    with Connection("filesystem://", transport="core.broker:AtomicFilesystemTransport",
                    transport_options=options) as connection:
        queue = connection.SimpleQueue(name)
        yield Broker(queue, name, folders["queue"])
        queue.close()


def test_a_sent_message_lands_whole_under_its_final_name(broker):
    broker.queue.put({"job_pk": 7})
    names = [p.name for p in broker.folder.iterdir()]
    assert len(names) == 1 and names[0].endswith(f".{broker.name}.msg")
    assert broker.queue.get(timeout=1).payload == {"job_pk": 7}


def test_a_file_still_being_written_is_not_delivered(broker):
    partial = broker.folder / f"1_half.{broker.name}.msg{PARTIAL_SUFFIX}"
    partial.write_bytes(b'{"job_pk": ')
    with pytest.raises(broker.queue.Empty):
        broker.queue.get(timeout=0.2)
    assert partial.exists()  # left for its writer to finish


def test_an_unreadable_message_file_is_dropped_and_the_next_one_delivered(broker, caplog):
    empty = broker.folder / f"0_empty.{broker.name}.msg"  # sorts before the real message
    empty.write_bytes(b"")
    broker.queue.put({"job_pk": 8})
    assert broker.queue.get(timeout=1).payload == {"job_pk": 8}
    assert "dropped an unreadable message file" in caplog.text
    assert not empty.exists()
