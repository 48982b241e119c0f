"""Timing and memory helpers shared by the benchmark sections.

Every measured part runs in a child process of its own, so its peak memory is that of
its own process tree (the child and the workers it starts), sampled from outside with
psutil, and one part's caches never speed up another.
"""

from __future__ import annotations

import contextlib
import json
import resource
import selectors
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil

SAMPLE_SECONDS = 0.02


@dataclass
class ChildRun:
    """What a child reported on its stdout (one JSON object) and the peak memory of its tree."""

    result: dict
    peak_rss: int  # bytes: the largest sum of resident memory over the child and its descendants
    wall: float  # seconds, from the parent's side, start-up included


class ChildError(RuntimeError):
    """A benchmark child that failed or ran out of time; `peak_rss` is its tree's peak until then (bytes)."""

    def __init__(self, message: str, peak_rss: int = 0, timed_out: bool = False) -> None:
        super().__init__(message)
        self.peak_rss, self.timed_out = peak_rss, timed_out


def run_child(module: str, *args: str, timeout: float | None = None) -> ChildRun:
    """Run `python -m module args...`, sampling its process tree's memory until it exits."""
    start = time.perf_counter()
    proc = psutil.Popen([sys.executable, "-m", module, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = _Peak(proc)
    peak.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        proc.communicate()
        message = f"{module} {' '.join(args[:1])}: no answer within {timeout:.0f} s"
        raise ChildError(message, peak.value, timed_out=True) from None
    finally:
        peak.stop()
    if proc.returncode != 0:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise ChildError(f"{module} {' '.join(args[:1])} failed: {last[0]}", peak.value)
    return ChildRun(json.loads(out), peak.value, time.perf_counter() - start)


def stream_child(module: str, *args: str, line_timeout: float) -> tuple[list[str], bool]:
    """Run `python -m module args...` and collect its stdout lines; stop it when no line comes for
    `line_timeout` seconds. Returns the lines and whether it ended by itself."""
    proc = subprocess.Popen([sys.executable, "-m", module, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    lines: list[str] = []
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while True:
            if not selector.select(timeout=line_timeout):
                _kill_tree(psutil.Process(proc.pid))
                proc.wait()
                return lines, False
            line = proc.stdout.readline()
            if not line:
                proc.wait()
                return lines, True
            lines.append(line.decode())


def _kill_tree(proc: psutil.Process) -> None:
    for child in proc.children(recursive=True):
        child.kill()
    proc.kill()


class _Peak(threading.Thread):
    """Samples the summed RSS of a process and its descendants until stopped."""

    def __init__(self, proc: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.proc, self.value, self._stop_event = proc, 0, threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.value = max(self.value, tree_rss(self.proc))
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *_children(proc)]:
        with contextlib.suppress(psutil.Error):  # exited between listing and reading
            total += p.memory_info().rss
    return total


def _children(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return proc.children(recursive=True)
    except psutil.Error:
        return []


def cpu_seconds() -> float:
    """User + system time of this process and of every child it has waited for (pool workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(work: Callable[[], object]) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process and its reaped children, the work's result)."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    value = work()
    return time.perf_counter() - wall, cpu_seconds() - cpu, value


def median(values: list[float]) -> float:
    return statistics.median(values)


def emit_json(result: dict) -> None:
    """A child's answer to the parent: one JSON object on stdout."""
    json.dump(result, sys.stdout)
    sys.stdout.flush()
