"""Finding the programs and downloads the servers need, with install hints when absent.

Overrides: STACK_JAVA (or JAVA_HOME), STACK_PG_BIN (PostgreSQL bin directory), STACK_FERRETDB_BIN,
STACK_KAFKA_LIBS (directory of Kafka jars). Lookups use the PATH of the given environment.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path

from stack.config import REPO_ROOT
from stack.errors import MissingBinaryError

SETUP_HINT = "run `make setup` (it installs everything the stack needs)"
DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_java(env: Mapping[str, str]) -> Path:
    """The `java` launcher: STACK_JAVA, then $JAVA_HOME/bin/java, then PATH."""
    candidates: list[Path] = []
    if env.get("STACK_JAVA"):
        candidates.append(Path(env["STACK_JAVA"]))
    if env.get("JAVA_HOME"):
        candidates.append(Path(env["JAVA_HOME"]) / "bin" / "java")
    on_path = shutil.which("java", path=env.get("PATH", ""))
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if _executable(candidate):
            return candidate
    raise MissingBinaryError(
        "java not found (checked STACK_JAVA, JAVA_HOME and PATH); Kafka needs Java 17: "
        f"{SETUP_HINT}, or `apt-get install -y openjdk-17-jre-headless`"
    )


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))


def find_pg_bin(env: Mapping[str, str]) -> Path:
    """Directory holding `initdb` and `postgres`: STACK_PG_BIN, newest Debian version, then PATH."""
    candidates: list[Path] = []
    if env.get("STACK_PG_BIN"):
        candidates.append(Path(env["STACK_PG_BIN"]))
    else:
        debian = sorted(DEBIAN_PG_ROOT.glob("*/bin"), key=_version_key, reverse=True)
        candidates.extend(debian)
        on_path = shutil.which("initdb", path=env.get("PATH", ""))
        if on_path:
            candidates.append(Path(on_path).parent)
    for candidate in candidates:
        if _executable(candidate / "initdb") and _executable(candidate / "postgres"):
            return candidate
    raise MissingBinaryError(
        "initdb/postgres not found (checked STACK_PG_BIN, /usr/lib/postgresql/*/bin and PATH): "
        f"{SETUP_HINT}, or `apt-get install -y postgresql`"
    )


def find_ferretdb(env: Mapping[str, str]) -> Path:
    """The FerretDB binary: STACK_FERRETDB_BIN, then .cache/bin/ferretdb, then PATH."""
    candidates = [Path(env["STACK_FERRETDB_BIN"])] if env.get("STACK_FERRETDB_BIN") else []
    candidates.append(REPO_ROOT / ".cache" / "bin" / "ferretdb")
    on_path = shutil.which("ferretdb", path=env.get("PATH", ""))
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if _executable(candidate):
            return candidate
    raise MissingBinaryError(
        "ferretdb not found (checked STACK_FERRETDB_BIN, .cache/bin/ferretdb and PATH): "
        f"{SETUP_HINT} (it builds FerretDB v1.24.2 with Go)"
    )


def find_kafka_libs(env: Mapping[str, str]) -> Path:
    """Directory of Kafka broker jars: STACK_KAFKA_LIBS or .cache/kafka/libs."""
    libs = Path(env.get("STACK_KAFKA_LIBS") or REPO_ROOT / ".cache" / "kafka" / "libs")
    if not any(libs.glob("kafka_2.13-*.jar")):
        raise MissingBinaryError(
            f"Kafka jars not found in {libs}: {SETUP_HINT} (it fetches them from Maven Central)"
        )
    return libs
