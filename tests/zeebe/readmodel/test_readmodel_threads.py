"""The read model is exported to on the broker loop and queried from HTTP threads at once."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
from readmodel_records import element, process_created, started_instance, variable

from zeebe.readmodel import ReadModel

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads far more often than the default 5 ms so races show up within the test."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def test_concurrent_export_and_search_see_consistent_tables() -> None:
    """Searches while batches are exported never fail and never see a half-applied batch
    (each batch starts and finishes one instance, so no search sees an ACTIVE one)."""
    model = ReadModel(max_finished_instances=50)
    model.export([process_created()])
    errors: list[BaseException] = []
    done = threading.Event()

    def export() -> None:
        for key in range(1_000, 3_000, 10):
            model.export(
                [
                    started_instance(key),
                    *(
                        variable("CREATED", key + i, f"v{i}", str(key), instance=key)
                        for i in range(1, 10)
                    ),
                    element("ELEMENT_COMPLETED", key, "PROCESS", "order", instance=key),
                ]
            )
        done.set()

    def search() -> None:
        try:
            while not done.is_set():
                active = model.search("processInstances", {"filter": {"state": "ACTIVE"}})
                assert active["page"]["totalItems"] == 0
                model.search("variables", {"sort": [{"field": "name"}]})
        except BaseException as error:  # reported to the test thread below
            errors.append(error)

    readers = [threading.Thread(target=search) for _ in range(3)]
    writer = threading.Thread(target=export)
    for thread in [*readers, writer]:
        thread.start()
    for thread in [writer, *readers]:
        thread.join(30)
    assert errors == []
    assert model.counts()["processInstances"] == 50
