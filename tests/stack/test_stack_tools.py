"""Missing programs are reported by name, with how to install them."""

from __future__ import annotations

from pathlib import Path

import pytest

from stack.errors import MissingBinaryError
from stack.tools import find_ferretdb, find_java, find_kafka_libs, find_pg_bin

pytestmark = pytest.mark.unit


def test_missing_java_says_how_to_install(tmp_path: Path) -> None:
    """No STACK_JAVA, a JAVA_HOME pointing nowhere and an empty PATH: the error names java."""
    env = {"PATH": str(tmp_path), "JAVA_HOME": str(tmp_path / "nothing")}
    with pytest.raises(MissingBinaryError, match=r"^java not found .*make setup.*openjdk-17"):
        find_java(env)


def test_java_from_stack_java_wins(tmp_path: Path) -> None:
    """STACK_JAVA points at a specific launcher, ahead of JAVA_HOME and PATH."""
    java = tmp_path / "java"
    java.write_text("#!/bin/sh\n")
    java.chmod(0o755)
    assert find_java({"STACK_JAVA": str(java), "PATH": ""}) == java


def test_missing_postgres_binaries_are_named(tmp_path: Path) -> None:
    """A STACK_PG_BIN without initdb/postgres is reported with the apt package to install."""
    with pytest.raises(MissingBinaryError, match=r"initdb/postgres not found .*postgresql"):
        find_pg_bin({"STACK_PG_BIN": str(tmp_path), "PATH": ""})


def test_missing_kafka_jars_point_to_make_setup(tmp_path: Path) -> None:
    """An empty jar directory means setup has not fetched Kafka from Maven Central yet."""
    with pytest.raises(MissingBinaryError, match=r"Kafka jars not found in .*make setup"):
        find_kafka_libs({"STACK_KAFKA_LIBS": str(tmp_path)})


def test_ferretdb_override_must_be_executable(tmp_path: Path) -> None:
    """A STACK_FERRETDB_BIN that is not an executable file falls through to the next candidate."""
    not_exec = tmp_path / "ferretdb"
    not_exec.write_text("")
    found_or_error: Path | str
    try:
        found_or_error = find_ferretdb({"STACK_FERRETDB_BIN": str(not_exec), "PATH": ""})
    except MissingBinaryError as error:
        found_or_error = str(error)
    assert found_or_error != not_exec
