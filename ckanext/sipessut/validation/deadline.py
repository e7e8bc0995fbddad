"""The time limit of one validation run, checked where the work happens.

A run inside a web request has `sync_max_seconds`; a background job has
`job_timeout` (RQ's own alarm bounds the job too, but a library's broad
`except Exception` can swallow that alarm). The limit is set for the current
thread or task with `limit(seconds)` and checked between rows read, chunks
copied and bytes downloaded; past it, `Exceeded` is raised.

`Exceeded` derives from BaseException, not Exception, for the reason
asyncio.CancelledError does: it cancels the work, and the broad
`except Exception` clauses of frictionless or of the engine must not turn
it into a finding. Whoever sets a limit catches it.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

# Monotonic time at which the current run must stop, or None for no limit.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "sipessut_validation_deadline", default=None
)
# Rows between two looks at the clock (a look costs about 50 ns; a row about 10 us).
EVERY_ROWS = 64


class Exceeded(BaseException):
    """The run went past its time limit of `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


_limit_seconds: contextvars.ContextVar[float] = contextvars.ContextVar(
    "sipessut_validation_limit", default=0.0
)


@contextlib.contextmanager
def limit(seconds: float) -> Iterator[None]:
    """Run the block within `seconds` (an enclosing, shorter limit still holds)."""
    end = time.monotonic() + max(0.0, seconds)
    outer = _deadline.get()
    if outer is not None and outer < end:
        end, seconds = outer, _limit_seconds.get()
    token = _deadline.set(end)
    seconds_token = _limit_seconds.set(seconds)
    try:
        yield
    finally:
        _deadline.reset(token)
        _limit_seconds.reset(seconds_token)


def remaining() -> float | None:
    """Seconds left before the current limit (never below 0), or None without a limit."""
    end = _deadline.get()
    return None if end is None else max(0.0, end - time.monotonic())


def check() -> None:
    """Raise Exceeded when the current limit has passed."""
    end = _deadline.get()
    if end is not None and time.monotonic() >= end:
        raise Exceeded(_limit_seconds.get())


def checked(items: Iterable[T], every: int = EVERY_ROWS) -> Iterator[T]:
    """`items`, with a look at the clock before the first and then every `every` items."""
    if _deadline.get() is None:
        yield from items
        return
    for count, item in enumerate(items):
        if count % every == 0:
            check()
        yield item
