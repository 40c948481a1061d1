"""What to run for each server: directories, config files, one-shot setup steps, command lines.

Pure functions of the config and the located binaries, so they are unit-tested without starting
anything. `stack.process` carries a `Launch` out.
"""

from __future__ import annotations

import base64
import signal
import uuid
from dataclasses import dataclass
from pathlib import Path

from stack.config import REPO_ROOT, StackConfig

KAFKA_LOG4J = REPO_ROOT / "infra" / "kafka" / "log4j2.properties"
KAFKA_HEAP = ("-Xms256m", "-Xmx512m")
# A one-broker development Kafka: the C1 compiler only and the serial collector. On 2 cores the
# default C2 + G1 spent seconds of CPU compiling and collecting while the saga ran (Kafka 6-9 ms
# of CPU per checkout in the first benchmark runs vs 4-6 ms with these flags); its load here is
# far below what C2's faster code would matter for.
KAFKA_JVM = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
FERRETDB_DATABASE = "ferretdb"


@dataclass(frozen=True)
class Step:
    """A one-shot command run before the server starts, skipped once `done_when` exists."""

    description: str
    argv: tuple[str, ...]
    done_when: Path


@dataclass(frozen=True)
class Launch:
    """Everything needed to start one server and to know it is ours."""

    service: str
    argv: tuple[str, ...]
    workdir: Path
    ports: tuple[tuple[str, int], ...]
    dirs: tuple[Path, ...] = ()
    files: tuple[tuple[Path, str], ...] = ()
    steps: tuple[Step, ...] = ()
    run_as: str | None = None
    stop_signal: int = signal.SIGTERM
    start_timeout: float = 60.0

    @property
    def log(self) -> Path:
        """The server's combined stdout/stderr."""
        return self.workdir / f"{self.service}.log"

    @property
    def pidfile(self) -> Path:
        """Pid of the process group leader the stack started."""
        return self.workdir / f"{self.service}.pid"


def plan_postgres(cfg: StackConfig, *, pg_bin: Path, run_as: str | None) -> Launch:
    """PostgreSQL on TCP loopback only (no Unix socket), trust auth, superuser `postgres`."""
    workdir = cfg.service_dir("postgres")
    data = workdir / "data"
    initdb = Step(
        description="initdb",
        argv=(
            *(str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
            *("-E", "UTF8", "--no-instructions"),
        ),
        done_when=data / "PG_VERSION",
    )
    settings = [f"listen_addresses={cfg.host}", "unix_socket_directories="]
    if not cfg.durable:
        # Throwaway test clusters trade crash safety for speed.
        settings += ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]
    argv = [str(pg_bin / "postgres"), "-D", str(data), "-p", str(cfg.pg_port)]
    for setting in settings:
        argv += ["-c", setting]
    return Launch(
        service="postgres",
        argv=tuple(argv),
        workdir=workdir,
        ports=(("pg_port", cfg.pg_port),),
        steps=(initdb,),
        run_as=run_as,
        stop_signal=signal.SIGINT,  # "fast shutdown": does not wait for clients to leave
        start_timeout=60.0,
    )


def kafka_properties(cfg: StackConfig, log_dir: Path) -> str:
    """server.properties for a single combined broker+controller node in KRaft mode."""
    plain = f"{cfg.host}:{cfg.kafka_port}"
    controller = f"{cfg.host}:{cfg.kafka_controller_port}"
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": controller,
        "listeners": f"PLAINTEXT://{plain},CONTROLLER://{controller}",
        "advertised.listeners": f"PLAINTEXT://{plain}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs": str(log_dir),
        "num.partitions": "3",
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def new_kafka_cluster_id() -> str:
    """A random cluster id in Kafka's format: 16 bytes, URL-safe base64 without padding."""
    while True:
        candidate = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not candidate.startswith("-"):  # Kafka's own generator avoids these (CLI parsing)
            return candidate


def plan_kafka(cfg: StackConfig, *, java: Path, libs: Path, cluster_id: str) -> Launch:
    """Kafka 4.x from Maven Central jars: format the storage once, then run `kafka.Kafka`."""
    workdir = cfg.service_dir("kafka")
    properties = workdir / "server.properties"
    log_dir = workdir / "data"
    jvm: tuple[str, ...] = (str(java), *KAFKA_HEAP, *KAFKA_JVM, "-Djava.awt.headless=true")
    jvm += (f"-Dlog4j2.configurationFile={KAFKA_LOG4J}", "-cp", f"{libs}/*")
    fmt = Step(
        description="kafka storage format",
        argv=(
            *(*jvm, "kafka.tools.StorageTool", "format", "-t", cluster_id),
            *("-c", str(properties), "--standalone"),
        ),
        done_when=log_dir / "meta.properties",
    )
    return Launch(
        service="kafka",
        argv=(*jvm, "kafka.Kafka", str(properties)),
        workdir=workdir,
        ports=(
            ("kafka_port", cfg.kafka_port),
            ("kafka_controller_port", cfg.kafka_controller_port),
        ),
        dirs=(log_dir,),
        files=((properties, kafka_properties(cfg, log_dir)),),
        steps=(fmt,),
        start_timeout=120.0,
    )


def ferretdb_postgres_url(cfg: StackConfig) -> str:
    """The PostgreSQL database FerretDB stores its collections in (one schema per database)."""
    return f"postgres://postgres@{cfg.host}:{cfg.pg_port}/{FERRETDB_DATABASE}"


def plan_ferretdb(cfg: StackConfig, *, ferretdb: Path) -> Launch:
    """FerretDB v1 with its PostgreSQL backend, in the stack's own PostgreSQL (database `ferretdb`).

    Not the SQLite backend: FerretDB v1 on SQLite decodes every document of a collection even for
    an `_id` lookup, so each query costs time proportional to the collection. On PostgreSQL its
    filters are pushed down to SQL, and a GIN expression index makes them index scans (see
    `services.order.pg_indexes`).
    """
    workdir = cfg.service_dir("ferretdb")
    argv = (
        str(ferretdb),
        f"--listen-addr={cfg.host}:{cfg.mongo_port}",
        "--handler=postgresql",
        f"--postgresql-url={ferretdb_postgres_url(cfg)}",
        f"--state-dir={workdir / 'state'}",
        f"--debug-addr={cfg.host}:{cfg.ferretdb_debug_port}",
        "--telemetry=disable",
    )
    return Launch(
        service="ferretdb",
        argv=argv,
        workdir=workdir,
        ports=(
            ("mongo_port", cfg.mongo_port),
            ("ferretdb_debug_port", cfg.ferretdb_debug_port),
        ),
        dirs=(workdir / "state",),
        start_timeout=60.0,
    )
