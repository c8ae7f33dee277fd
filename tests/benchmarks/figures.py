"""Where the pytest benchmarks keep their figures: var/benchmarks/<name>.txt, one block per
database (and broker), and beside it <name>.json, which `make bench`'s report reads."""

import json
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.clock import wall_clock_now


def keep_figures(name: str, text: str, summary: str) -> None:
    """Replace the block titled as `text` (its first line) in <name>.txt and its entry in
    <name>.json, with `summary`, one line for the report; keep the other blocks."""
    folder = Path(settings.VAR_DIR) / "benchmarks"
    folder.mkdir(parents=True, exist_ok=True)
    title = text.splitlines()[0]
    path = folder / f"{name}.txt"
    blocks = path.read_text().split("\n\n") if path.exists() else []
    blocks = [b.strip("\n") for b in blocks if b.strip() and b.splitlines()[0] != title]
    path.write_text("\n\n".join([*blocks, text.strip("\n")]) + "\n")
    path = folder / f"{name}.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    kept[title] = {
        "database": connection.settings_dict["NAME"],
        "measured_at": f"{wall_clock_now():%Y-%m-%d %H:%M} UTC",
        "summary": summary,
    }
    path.write_text(json.dumps(kept, indent=2) + "\n")
