"""What the figures were measured on."""

import os
from pathlib import Path
from typing import Any


def machine(connection: Any) -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    meminfo = Path("/proc/meminfo").read_text().split()
    ram_kb = int(meminfo[meminfo.index("MemTotal:") + 1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    return {
        "cores": os.cpu_count(),
        "cpu": models[0] if models else "unknown CPU",
        "ram_gb": ram_kb / 1024 / 1024,
        "postgresql": f"PostgreSQL {version}",
    }
