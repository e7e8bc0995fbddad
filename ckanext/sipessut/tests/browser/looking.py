"""What the browser journeys check on every page they visit: a screenshot kept for people
to look at, no horizontal scrolling, Indonesian only, and axe-core's accessibility audit.

Screenshots go to $SIPESSUT_SCREENSHOTS, by default `screenshots/` in the directory the
tests run from (`make test` runs them from .work/, which git ignores). axe-core is the
copy dev/axe.sh installs from the npm registry ($SIPESSUT_AXE_JS).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

import pytest

from ckanext.sipessut.tests.portal import language

WIDTHS = (1366, 390)  # a laptop, a phone
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")


def screenshots_dir() -> Path:
    folder = Path(os.environ.get("SIPESSUT_SCREENSHOTS") or Path.cwd() / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page, journey: str, step: str) -> Path:
    """A full-page screenshot: <journey>-<width>/<step>.png."""
    width = page.viewport_size["width"]
    folder = screenshots_dir() / f"{journey}-{width}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^a-z0-9-]+', '-', step.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: nothing to scroll sideways)."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def english(page) -> list[str]:
    return language.english_on(page.content())


def axe_script() -> str:
    path = os.environ.get("SIPESSUT_AXE_JS") or ""
    if not path or not Path(path).is_file():
        pytest.fail(
            "axe-core not found: SIPESSUT_AXE_JS must name axe.min.js "
            "(`make test` installs it into .work/node with dev/axe.sh)"
        )
    return path


def axe_violations(page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands."""
    page.add_script_tag(path=axe_script())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@contextlib.contextmanager
def recording(page, journey: str):
    """On a failure, the page as it stood is kept as <journey>-<width>/failure.png."""
    try:
        yield
    except Exception:
        shoot(page, journey, "failure")
        raise


def look(page, journey: str, step: str) -> list[str]:
    """Screenshot, then everything wrong a reader would notice, as messages ([] = fine)."""
    page.wait_for_load_state("networkidle")
    shoot(page, journey, step)
    problems = [f"{step}: English: {item}" for item in english(page)]
    overflow = horizontal_overflow(page)
    if overflow > 0:
        problems.append(f"{step}: {overflow}px wider than the screen")
    problems += [
        f"{step}: axe {v['impact']} {v['rule']}: {v['where']}" for v in axe_violations(page)
    ]
    return problems
