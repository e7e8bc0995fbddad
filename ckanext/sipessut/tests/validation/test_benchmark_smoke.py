"""benchmarks/validation.py keeps working: its tiny mode runs in every `make test`.

The full benchmark (timings, memory) is run by hand; see the README's Performance section.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_benchmark_smoke_mode_runs_and_finds_what_frictionless_finds(request):
    script = request.config.rootpath / "benchmarks" / "validation.py"
    if not script.exists():
        pytest.skip("benchmarks/ lives in the source tree, not in the installed package")

    result = subprocess.run(
        [sys.executable, str(script), "--smoke"], capture_output=True, text=True, timeout=600
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("findings identical: True") == 6
    assert "| same findings |" in result.stdout
