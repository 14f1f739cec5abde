"""Where the CPU went during a load-test run, and what ran on which cores (Linux /proc).

``Shares`` reads, at the start and the end of a run, the CPU (user + system, every thread) of:
the load generator (this process), the web processes (uvicorn's supervisor and its workers),
the whole PostgreSQL server (every ``postgres`` process, plus the CPU of the backends that ended
during the run, which the postmaster collects as its children's time; this counts other
databases' work too, when there is any), every ``redis-server``, and the whole machine
(``/proc/stat``); the rest of the machine's busy time is "other": the kernel and any other work
on the machine. ``sample()`` (every few seconds during the run) also follows the backends of the
run's own database (``pg_stat_activity``): a lower bound of its share, as a backend's last
seconds before it ends are lost.
"""

from __future__ import annotations

import os
import resource
from pathlib import Path
from typing import Any

__all__ = ["Shares", "affinity", "backends_of", "pin"]

TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int, children: bool = False) -> float:
    """Seconds of CPU a live process has used (0 when it is gone); with ``children``, plus the
    CPU of its children that ended and were waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    own = int(fields[11]) + int(fields[12])
    return (own + (int(fields[13]) + int(fields[14]) if children else 0)) / TICK


def postgres_cpu() -> float:
    """Seconds of CPU of the whole PostgreSQL server, ended backends included."""
    pids = named("postgres")
    parents = {p: _parent(p) for p in pids}
    return sum(proc_cpu(p, children=parents[p] not in parents) for p in pids)


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def machine_busy() -> float:
    """Seconds of CPU the whole machine has been busy (all cores; idle and iowait left out)."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / TICK


def named(comm: str) -> list[int]:
    """The processes whose command name is ``comm``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == comm:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def backends_of(engine: Any) -> list[int]:
    """The PostgreSQL backends connected to the engine's database, apart from this query's."""
    with engine.connect() as conn:
        return list(
            conn.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            ).scalars()
        )


def pin(pids: list[int], cpus: set[int]) -> None:
    """Keep the processes (every thread) on ``cpus``; a process that is gone is skipped."""
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                os.sched_setaffinity(int(task.name), cpus)
            except OSError:
                continue


def affinity(pids: list[int]) -> str:
    """The CPUs the processes may run on, e.g. ``0-1`` or ``1``."""
    seen: set[int] = set()
    for pid in pids:
        try:
            seen |= os.sched_getaffinity(pid)
        except OSError:
            continue
    cpus = sorted(seen)
    if cpus and cpus == list(range(cpus[0], cpus[-1] + 1)) and len(cpus) > 1:
        return f"{cpus[0]}-{cpus[-1]}"
    return ",".join(map(str, cpus)) or "?"


class Shares:
    """CPU seconds of each part between ``start()`` and ``stop()``."""

    def __init__(self, web: list[int], engine: Any) -> None:
        self.web, self.engine = web, engine
        self.before: dict[str, Any] = {}
        self.backends: dict[int, list[float]] = {}  # pid: [CPU when first seen, last seen]

    def _read(self) -> dict[str, Any]:
        me = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "generator": me.ru_utime + me.ru_stime,
            "web": sum(proc_cpu(p) for p in self.web),
            "postgres": postgres_cpu(),
            "redis": sum(proc_cpu(p) for p in named("redis-server")),
            "machine": machine_busy(),
        }

    def sample(self, first: bool = False) -> None:
        """Follow the run database's backends (a new one counts from zero after the start)."""
        if self.engine is None:
            return
        for pid in backends_of(self.engine):
            now = proc_cpu(pid)
            if pid in self.backends:
                self.backends[pid][1] = max(now, self.backends[pid][1])
            else:
                self.backends[pid] = [now if first else 0.0, now]

    def start(self) -> None:
        self.before = self._read()
        self.backends.clear()
        self.sample(first=True)

    def stop(self) -> dict[str, float]:
        """Return seconds of CPU: generator, web, postgres (the server), database (the run
        database's backends, a lower bound), redis, other, machine."""
        self.sample()
        after, b = self._read(), self.before
        out = {k: after[k] - b[k] for k in ("generator", "web", "postgres", "redis", "machine")}
        out["database"] = sum(last - first for first, last in self.backends.values())
        out["other"] = out["machine"] - sum(out[k] for k in ("generator", "web", "postgres"))
        out["other"] -= out["redis"]
        return out
