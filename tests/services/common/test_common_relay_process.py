"""`python -m services.common.relay --service X` as a real process (CONTRACT.md 6)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, func, select

from services.common.tables import CommonTables
from services.common.uow import SqlUnitOfWork

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]


def _unsent(engine: Engine, tables: CommonTables) -> int:
    query = select(func.count()).select_from(tables.outbox).where(tables.outbox.c.sent_at.is_(None))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_relay_command_drains_the_outbox_and_exits_zero_on_sigterm(
    sql_engine: Engine, common_tables: CommonTables, kafka_servers: str
) -> None:
    """The relay runs until SIGTERM, publishing rows written while it runs."""
    from kafka import KafkaConsumer

    service = f"relaycli{uuid.uuid4().hex[:8]}"
    url = sql_engine.url.render_as_string(hide_password=False)
    env = {**os.environ, f"{service.upper()}_DATABASE_URL": url}
    command = [sys.executable, "-m", "services.common.relay", "--service", service]
    command += ["--bootstrap-servers", kafka_servers, "--interval", "0.1"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.PIPE)
    try:
        with SqlUnitOfWork(sql_engine, common_tables) as uow:
            uow.outbox.add("thing", "t1", "thing.happened", {"n": 1})
            uow.commit()
        deadline = time.monotonic() + 60
        while _unsent(sql_engine, common_tables) and time.monotonic() < deadline:
            assert process.poll() is None
            time.sleep(0.2)
        assert _unsent(sql_engine, common_tables) == 0
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    consumer = KafkaConsumer(
        f"{service}.events",
        bootstrap_servers=kafka_servers,
        auto_offset_reset="earliest",
        group_id=None,
        consumer_timeout_ms=10_000,
    )
    try:
        values = [json.loads(record.value) for record in consumer]
    finally:
        consumer.close()
    assert [value["payload"] for value in values] == [{"n": 1}]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_relay_command_serves_health_and_backlog_when_relay_port_is_set(
    sql_engine: Engine, kafka_servers: str
) -> None:
    """Brief H18: with RELAY_PORT the relay serves /health (200 once a round completed) and
    /metrics with `outbox_backlog{service}`; the helm chart probes that /health."""
    service = f"relayhttp{uuid.uuid4().hex[:8]}"
    port = _free_port()
    url = sql_engine.url.render_as_string(hide_password=False)
    env = {**os.environ, f"{service.upper()}_DATABASE_URL": url, "RELAY_PORT": str(port)}
    command = [sys.executable, "-m", "services.common.relay", "--service", service]
    command += ["--bootstrap-servers", kafka_servers, "--interval", "0.1"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.PIPE)
    try:
        deadline, status = time.monotonic() + 60, 0
        while status != 200 and time.monotonic() < deadline:
            assert process.poll() is None
            try:
                status = requests.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code
            except requests.ConnectionError:
                time.sleep(0.2)
        metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert status == 200, stderr.decode()[-2000:]
    assert f'outbox_backlog{{service="{service}"}} 0.0' in metrics
    assert process.returncode == 0, stderr.decode()[-2000:]
