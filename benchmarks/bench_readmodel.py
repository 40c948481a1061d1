"""Benchmark of the engine's read model: REST searches over a full history, scan vs index.

    .venv/bin/python benchmarks/bench_readmodel.py [--instances 10000] [--tasks 17] [--seconds 2]
        [--http-seconds 5]

Fills a `ReadModel` with the records the pure engine writes for `--instances` finished
instances of a process with `--tasks` service tasks (~20 element instances, ~15 variables and
17 jobs each by default), plus 100 active ones; then times the searches the checkout API sends
per `GET /checkouts/<id>` (and a few more) twice: with the indexes, and with every row of the
table as a candidate (the search as it was before the indexes). Prints calls per CPU second.

Then the same over HTTP: the `/v2` blueprint on the engine's werkzeug server, one client doing
the checkout API's four reads per `GET /checkouts/<id>` in a loop; before (scan, access log on)
and after (index, access log off), with logging configured as the engine's `__main__` does
(INFO, one line per record; written to /dev/null here); and the CPU time of the access line.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests
from flask import Flask
from werkzeug.serving import WSGIRequestHandler

from zeebe.engine.api import Command
from zeebe.engine.engine import Engine
from zeebe.http import start_http_server
from zeebe.http.rest import rest_blueprint
from zeebe.readmodel import ReadModel, store
from zeebe.readmodel.schema import TableSchema
from zeebe.readmodel.search import Row
from zeebe.readmodel.tables import Tables
from zeebe.records import ValueType

TASK_TYPE = "bench.step"
BATCH = 32
ACTIVE = 100
NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"'
)


def tasks_process(task_count: int) -> bytes:
    """start -> t1 -> ... -> tN -> end, every task of type `bench.step`."""
    nodes = ["start", *[f"t{i}" for i in range(1, task_count + 1)], "end"]
    parts = ['<bpmn:startEvent id="start"/>', '<bpmn:endEvent id="end"/>']
    parts += [
        f'<bpmn:serviceTask id="t{i}"><bpmn:extensionElements><zeebe:taskDefinition '
        f'type="{TASK_TYPE}"/></bpmn:extensionElements></bpmn:serviceTask>'
        for i in range(1, task_count + 1)
    ]
    parts += [
        f'<bpmn:sequenceFlow id="f{i}" sourceRef="{nodes[i]}" targetRef="{nodes[i + 1]}"/>'
        for i in range(len(nodes) - 1)
    ]
    body = "".join(parts)
    return (
        f'<?xml version="1.0"?><bpmn:definitions {NS} id="d" targetNamespace="http://bench">'
        f'<bpmn:process id="saga" isExecutable="true">{body}</bpmn:process></bpmn:definitions>'
    ).encode()


def _process(engine: Engine, model: ReadModel, command: Command) -> dict[str, Any] | None:
    """One command through the engine; its records go to the read model (as a group commit)."""
    result = engine.process(command)
    model.export(result.records)
    return result.response


def _work_jobs(engine: Engine, model: ReadModel) -> None:
    """Activate and complete jobs until none is left; every other task writes a variable."""
    activate = {"type": TASK_TYPE, "worker": "bench", "timeout": 60_000}
    activate |= {"maxJobsToActivate": BATCH, "variables": []}
    while True:
        response = _process(engine, model, Command(ValueType.JOB_BATCH, "ACTIVATE", activate))
        jobs = (response or {}).get("jobs", [])
        if not jobs:
            return
        for job in jobs:
            element = str(job["elementId"])
            variables = {f"{element}Result": {"ok": True}} if int(element[1:]) % 2 else {}
            complete = Command(ValueType.JOB, "COMPLETE", {"variables": variables}, key=job["key"])
            _process(engine, model, complete)


def _create(engine: Engine, model: ReadModel, index: int) -> int:
    """Start one instance with five variables; its key."""
    variables = {"orderId": f"o-{index}", "amount": index, "currency": "EUR"}
    variables |= {"customer": {"id": index % 97}, "items": [1, 2, 3]}
    create = {"bpmnProcessId": "saga", "version": -1, "variables": variables}
    command = Command(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", create)
    return int((_process(engine, model, command) or {})["processInstanceKey"])


def fill(instances: int, tasks: int) -> tuple[ReadModel, list[int]]:
    """A read model with `instances` finished and ACTIVE running instances; their keys."""
    now = [1_700_000_000_000]
    engine = Engine(lambda: now[0])
    model = ReadModel()
    deploy = {"resources": [{"resourceName": "saga.bpmn", "resource": tasks_process(tasks)}]}
    _process(engine, model, Command(ValueType.DEPLOYMENT, "CREATE", deploy))
    keys: list[int] = []
    for offset in range(0, instances, BATCH):
        keys += [_create(engine, model, i) for i in range(offset, min(offset + BATCH, instances))]
        _work_jobs(engine, model)
        now[0] += 1_000
    keys += [_create(engine, model, instances + i) for i in range(ACTIVE)]
    return model, keys


def scan(tables: Tables, schema: TableSchema, filter_: Any) -> Iterable[Row]:
    """The candidates before the indexes: every row of the table."""
    return tables.rows[schema.name].values()


def checkout_reads(model: ReadModel, key: int) -> None:
    """The three searches of `RestEngineView.instance` (services/checkout/engine_view.py)."""
    page = {"limit": 1000}
    pinned = {"processInstanceKey": str(key)}
    model.search("variables", {"filter": pinned, "page": page})
    model.search("incidents", {"filter": {"state": "ACTIVE", **pinned}, "page": page})
    model.search("elementInstances", {"filter": {"state": "COMPLETED", **pinned}, "page": page})


QUERIES: dict[str, Callable[[ReadModel, int], Any]] = {
    "variables by processInstanceKey": lambda model, key: model.search(
        "variables", {"filter": {"processInstanceKey": str(key)}}
    ),
    "elementInstances by key + COMPLETED": lambda model, key: model.search(
        "elementInstances", {"filter": {"processInstanceKey": str(key), "state": "COMPLETED"}}
    ),
    "incidents by key + ACTIVE": lambda model, key: model.search(
        "incidents", {"filter": {"processInstanceKey": str(key), "state": "ACTIVE"}}
    ),
    "processInstances by processInstanceKey": lambda model, key: model.search(
        "processInstances", {"filter": {"processInstanceKey": str(key)}}
    ),
    "checkout read (3 searches)": checkout_reads,
    "control: processInstances ACTIVE (scan)": lambda model, key: model.search(
        "processInstances", {"filter": {"state": "ACTIVE"}, "page": {"limit": 10}}
    ),
}


def ops_per_second(
    query: Callable[[ReadModel, int], Any], model: ReadModel, keys: list[int], seconds: float
) -> float:
    """Run `query` on random instance keys for about `seconds` (at least 3 calls).

    Calls per CPU second of this process: the machine is shared, and CPU time is what a
    search costs the engine (wall time would mostly measure the other processes).
    """
    pick = random.Random(7)
    calls, cpu_started = 0, time.process_time()
    deadline = time.perf_counter() + seconds
    while calls < 3 or time.perf_counter() < deadline:
        query(model, pick.choice(keys))
        calls += 1
    return calls / (time.process_time() - cpu_started)


def with_candidates(candidates: Callable[[Tables, TableSchema, Any], Iterable[Row]]) -> None:
    """Switch how searches pick candidate rows (the only difference between the two runs)."""
    # a module function swapped on purpose: mypy cannot see the signatures are the same
    store.candidate_rows = candidates  # type: ignore[assignment]


def http_reads_per_second(model: ReadModel, keys: list[int], seconds: float, log: bool) -> float:
    """`GET /checkouts/<id>`'s four engine reads over HTTP per CPU second (server + client)."""
    app = Flask("bench")
    app.extensions["zeebe_read_model"] = model
    app.register_blueprint(rest_blueprint())
    server = start_http_server(app, "127.0.0.1", 0, access_log=log)
    base = f"http://127.0.0.1:{server.port}/v2"
    session = requests.Session()
    page = {"limit": 1000}

    def read(_: ReadModel, key: int) -> None:
        pinned = {"processInstanceKey": str(key)}
        session.get(f"{base}/process-instances/{key}", timeout=30).raise_for_status()
        for path, filter_ in (
            ("/variables/search", pinned),
            (f"/process-instances/{key}/incidents/search", {"state": "ACTIVE"}),
            ("/element-instances/search", {**pinned, "state": "COMPLETED"}),
        ):
            body = {"filter": filter_, "page": page}
            session.post(base + path, json=body, timeout=30).raise_for_status()

    try:
        return ops_per_second(read, model, keys, seconds)
    finally:
        session.close()
        server.stop()


def server_cpu_us(model: ReadModel, keys: list[int], seconds: float) -> tuple[float, float]:
    """Server CPU microseconds per request: all of it, and werkzeug's access line alone."""
    spent: dict[str, list[float]] = {"handle_one_request": [0.0, 0], "log_request": [0.0, 0]}
    originals = {name: getattr(WSGIRequestHandler, name) for name in spent}

    def timed(name: str) -> Callable[..., None]:
        def wrapper(self: WSGIRequestHandler, *args: Any) -> None:
            started = time.thread_time()  # the request's own thread
            originals[name](self, *args)
            spent[name][0] += time.thread_time() - started
            spent[name][1] += 1

        return wrapper

    for name in spent:
        setattr(WSGIRequestHandler, name, timed(name))
    try:
        http_reads_per_second(model, keys, seconds, log=True)
    finally:
        for name, original in originals.items():
            setattr(WSGIRequestHandler, name, original)
    total, line = (spent[name][0] / max(spent[name][1], 1) * 1e6 for name in spent)
    return total, line


def main() -> None:
    """Fill, then print ops/s per query with the full scan and with the indexes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=10_000)
    parser.add_argument("--tasks", type=int, default=17)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--http-seconds", type=float, default=5.0)
    args = parser.parse_args()
    started = time.perf_counter()
    model, keys = fill(args.instances, args.tasks)
    print(f"filled in {time.perf_counter() - started:.1f} s; rows: {model.counts()}")
    indexed = store.candidate_rows
    print("in process, searches per CPU second:")
    print(f"{'query':42} {'scan':>12} {'index':>12} {'speed-up':>9}")
    for name, query in QUERIES.items():
        rates = []
        for candidates in (scan, indexed):
            with_candidates(candidates)
            rates.append(ops_per_second(query, model, keys, args.seconds))
        with_candidates(indexed)
        print(f"{name:42} {rates[0]:12,.0f} {rates[1]:12,.0f} {rates[1] / rates[0]:8.0f}x")
    if args.http_seconds <= 0:
        return
    # as zeebe/__main__.py configures logging, but into /dev/null
    devnull = open(os.devnull, "w")  # noqa: SIM115  # open for the rest of the run
    logging.basicConfig(level=logging.INFO, stream=devnull, format="%(message)s")
    print("over HTTP: checkout reads (GET + 3 searches) per CPU second (server + one client)")
    for label, candidates, log in (
        ("scan, access log on (before)", scan, True),
        ("index, access log on", indexed, True),
        ("index, access log off (after)", indexed, False),
    ):
        with_candidates(candidates)
        rate = http_reads_per_second(model, keys, args.http_seconds, log)
        print(f"  {label:40} {rate:10,.1f}")
    total, line = server_cpu_us(model, keys, args.http_seconds)
    print(f"  server CPU per request (index, log on): {total:.0f} us, of it the access line")
    print(f"  (gone with the log off): {line:.0f} us = {line / total:.0%}")


if __name__ == "__main__":
    main()
