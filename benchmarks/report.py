"""Combines the benchmarks' results (DIR/NAME.json) into DIR/latest.json and DIR/latest.md.

Each benchmark module NAME.py renders its own section with `markdown(result)`.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from pathlib import Path

ORDER = ("request_overhead", "validation", "opd_sync", "interop")


def main() -> int:
    results_dir = Path(sys.argv[1])
    names = [n for n in ORDER if (results_dir / f"{n}.json").exists()]
    results = {n: json.loads((results_dir / f"{n}.json").read_text()) for n in names}
    header = (
        "# Benchmark results\n\n"
        f"Combined {time.strftime('%Y-%m-%d')} from the latest run of each benchmark "
        f"({platform.machine()}, Python {platform.python_version()}); `make bench` reruns them.\n"
    )
    sections = [importlib.import_module(n).markdown(results[n]) for n in names]
    (results_dir / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (results_dir / "latest.md").write_text("\n".join([header, *sections]))
    print((results_dir / "latest.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
