"""Running wrk against one URL and reading its figures (report.lua prints them as JSON)."""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("report.lua")
MARKER = "BENCH_JSON "


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]  # connect, read, write, timeout; status: answers other than 2xx/3xx

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        return sum(self.errors.values())


class WrkError(RuntimeError):
    pass


def parse_output(output: str) -> WrkResult:
    """The figures of report.lua's line in wrk's output; WrkError if there is none."""
    lines = [line for line in output.splitlines() if line.startswith(MARKER)]
    if not lines:
        raise WrkError(f"wrk printed no figures:\n{output}")
    data = json.loads(lines[-1].removeprefix(MARKER))
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        errors=data["errors"],
    )


def command(
    url: str, *, seconds: int, connections: int, headers: dict[str, str], script: Path = SCRIPT
) -> list[str]:
    # One thread: wrk's event loop keeps 4 connections busy easily, and leaves the CPUs to
    # the server. The timeout is longer than any run, so a slow answer is measured, not lost.
    args = ["wrk", "--threads", "1", "--connections", str(connections)]
    args += ["--duration", f"{seconds}s", "--timeout", "120s", "--script", str(script)]
    for name, value in headers.items():
        args += ["--header", f"{name}: {value}"]
    return [*args, url]


def run(
    url: str,
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str],
    script: Path = SCRIPT,
    env: dict[str, str] | None = None,
) -> WrkResult:
    """wrk's figures for `url`; `script` (ending with report.lua's `done`) may make the requests,
    reading what it needs from `env`."""
    args = command(url, seconds=seconds, connections=connections, headers=headers, script=script)
    done = subprocess.run(
        args, capture_output=True, text=True, check=False, timeout=seconds + 300, env=env
    )
    if done.returncode != 0:
        raise WrkError(f"wrk exited with {done.returncode}:\n{done.stdout}{done.stderr}")
    return parse_output(done.stdout)
