"""Fixtures for order tests: a MongoDB-compatible server and a fresh database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pymongo import MongoClient


def mongo_url(request: pytest.FixtureRequest) -> str | None:
    """The stack's `mongo_server` fixture when loaded, else $TEST_MONGO_URL."""
    try:
        server = request.getfixturevalue("mongo_server")
    except pytest.FixtureLookupError:
        return os.environ.get("TEST_MONGO_URL")
    if isinstance(server, str):
        return server
    url = getattr(server, "url", None) or getattr(server, "uri", None)
    return str(url) if url else f"mongodb://{server.host}:{server.port}/"


@pytest.fixture(scope="session")
def mongo_client(request: pytest.FixtureRequest) -> Iterator[MongoClient[dict[str, Any]]]:
    """A client of the session's FerretDB/MongoDB server."""
    url = mongo_url(request)
    if url is None:
        pytest.skip("no MongoDB-compatible server: load the stack plugin or set TEST_MONGO_URL")
    client: MongoClient[dict[str, Any]] = MongoClient(url, serverSelectionTimeoutMS=5000)
    yield client
    client.close()


@pytest.fixture
def mongo_database(mongo_client: MongoClient[dict[str, Any]]) -> Iterator[str]:
    """A fresh database name, dropped afterwards."""
    name = f"order_{uuid.uuid4().hex[:10]}"
    yield name
    mongo_client.drop_database(name)
