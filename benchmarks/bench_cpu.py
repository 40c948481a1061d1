"""CPU accounting of the benchmark: CPU seconds per component of the local system, from /proc.

Every process of the system is classified by a fragment of its command line; `cpu_report` turns
two samples into CPU seconds per component (and per checkout).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

IDLE_S = 10.0

TICKS_PER_S = os.sysconf("SC_CLK_TCK")
COMPONENTS = (  # first match of a cmdline fragment names the component
    ("services.common.relay", "relays"),
    ("services.order.relay", "relays"),
    ("-m zeebe", "engine"),
    ("-m workers", "workers"),
    ("bench_checkout", "bench client"),
    ("ferretdb", "ferretdb"),  # before postgres: its command line names its PostgreSQL URL
    ("postgres", "postgresql"),
    ("kafka", "kafka"),
    ("-m services.", "service:"),
)


def cpu_ticks() -> dict[int, tuple[str, int]]:
    """pid -> (component, utime + stime ticks) for every process we can classify."""
    found: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = next((label for frag, label in COMPONENTS if frag in cmdline), None)
        if name == "service:":
            name = "service " + cmdline.split("-m services.", 1)[1].split()[0]
        if name is not None:
            found[int(entry.name)] = (name, int(fields[11]) + int(fields[12]))
    return found


def cpu_report(before: dict[int, tuple[str, int]], wall_s: float, per: int = 0) -> str:
    """CPU seconds per component since `before`, as a share of one core over `wall_s`; with
    `per`, also in ms per checkout and in total."""
    used: dict[str, float] = {}
    for pid, (name, ticks) in cpu_ticks().items():
        start = before.get(pid, (name, 0))[1]
        used[name] = used.get(name, 0.0) + (ticks - start) / TICKS_PER_S
    rows = sorted(used.items(), key=lambda item: -item[1])
    lines = [
        f"    {name:<22} {cpu:7.1f} s CPU  ({100 * cpu / wall_s:5.1f} % of one core)"
        + (f"  {1000 * cpu / per:5.1f} ms per checkout" if per else "")
        for name, cpu in rows
        if cpu >= 0.05
    ]
    if per:
        total = sum(used.values())
        label = "all (bench client too)"
        lines.append(
            f"    {label:<22} {total:7.1f} s CPU  {1000 * total / per:5.1f} ms per checkout"
        )
    return "\n".join(lines)


def idle_cpu(label: str) -> None:
    """Print the CPU used per component over IDLE_S seconds without load."""
    before = cpu_ticks()
    time.sleep(IDLE_S)
    print(f"  CPU over {IDLE_S:.0f} s {label}:")
    print(cpu_report(before, IDLE_S), flush=True)
