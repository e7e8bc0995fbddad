"""Where a resource's file comes from: the upload in the request, the portal's
storage (CKAN 2.11 uploader path or CKAN 2.12 files API), or a link.

Each source gives a local file path for the engine, removed afterwards.
Every read is bounded: bytes for all, and time for links; a link to a
loopback, link-local or private address is refused unless the portal allows it.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import IO, Any, NoReturn
from urllib.parse import urljoin, urlsplit

import requests
import requests.adapters
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ckanext.sipessut.validation import deadline
from ckanext.sipessut.validation.readers import FileProblem

CHUNK = 64 * 1024
MAX_REDIRECTS = 5


@contextlib.contextmanager
def temporary_copy(chunks: Iterator[bytes], max_bytes: int) -> Iterator[str]:
    with _temporary_file() as path:
        _write(path, chunks, max_bytes)
        yield path


@contextlib.contextmanager
def _temporary_file() -> Iterator[str]:
    handle, path = tempfile.mkstemp(prefix="sipessut-validation-")
    os.close(handle)
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _write(path: str, chunks: Iterator[bytes], max_bytes: int) -> None:
    with open(path, "wb") as target:
        size = 0
        for chunk in chunks:
            deadline.check()
            size += len(chunk)
            if size > max_bytes:
                raise FileProblem("too-large", limit=max_bytes)
            target.write(chunk)


def stream_size(stream: IO[bytes]) -> int:
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


@contextlib.contextmanager
def from_stream(stream: IO[bytes], max_bytes: int) -> Iterator[str]:
    """A copy of an upload still in the request; the stream is rewound for CKAN's uploader."""
    stream.seek(0)
    try:
        with temporary_copy(iter(lambda: stream.read(CHUNK), b""), max_bytes) as path:
            yield path
    finally:
        stream.seek(0)


def stored_size(resource: dict[str, Any]) -> int | None:
    """Size of an uploaded resource's stored file, when the storage can tell."""
    with contextlib.suppress(Exception):
        kind, target, storage = _stored_location(resource)
        if kind == "path":
            return os.path.getsize(target)
        return int(storage.size(target))
    return None


@contextlib.contextmanager
def from_storage(resource: dict[str, Any], max_bytes: int) -> Iterator[str]:
    """The stored file of an uploaded resource."""
    try:
        kind, target, storage = _stored_location(resource)
    except Exception as error:
        raise FileProblem("file-missing", detail=str(error)[:300]) from error
    if kind == "path":
        if not os.path.isfile(target):
            raise FileProblem("file-missing", detail="")
        yield target  # CKAN 2.11 and 2.12 without storages: read in place
        return
    from ckan.lib import files

    try:
        data = files.FileData(target, size=storage.size(target))
        chunks = iter(storage.stream(data))
    except Exception as error:
        raise FileProblem("file-missing", detail=str(error)[:300]) from error
    with temporary_copy(chunks, max_bytes) as path:
        yield path


def _stored_location(resource: dict[str, Any]) -> tuple[str, Any, Any]:
    """("path", filesystem path, None) on CKAN 2.11 and without storages;
    ("storage", location, storage) with CKAN 2.12's files API (FKResourceUpload)."""
    from ckan.lib import uploader

    upload = uploader.get_resource_uploader(dict(resource))
    location = upload.get_path(resource["id"])
    storage = getattr(upload, "storage", None)
    if storage is not None:
        return "storage", location, storage
    return "path", str(location), None


@contextlib.contextmanager
def from_url(url: str, *, max_bytes: int, timeout: int, allow_private: bool) -> Iterator[str]:
    """Download a linked file within `timeout` seconds in all and `max_bytes` bytes.

    The time is the whole download's, from the first connection to the last byte,
    and never more than the run's own limit (deadline.py): requests' timeouts bound
    each read only, so a server dripping a byte now and then would hold the download
    for as long as it likes; a watchdog shuts the connection down at the end instead.
    Past the run's limit, deadline.Exceeded is raised; past `timeout`, url-timeout.
    """
    seconds = float(timeout)
    left = deadline.remaining()
    if left is not None:
        seconds = min(seconds, left)
    with _temporary_file() as path:
        _download(url, path, max_bytes, timeout, seconds, allow_private)
        yield path  # the download is over, and its watchdog gone, while the file is read


def _download(
    url: str, path: str, max_bytes: int, timeout: int, seconds: float, allow_private: bool
) -> None:
    with _Watchdog(seconds) as watchdog, requests.Session() as session:
        session.trust_env = False  # no proxy or netrc surprises from the environment
        session.mount("http://", _WatchedAdapter())
        session.mount("https://", _WatchedAdapter())
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            _check_address(current, allow_private)
            remaining = watchdog.remaining()
            if remaining <= 0:
                watchdog.fail(timeout)
            try:
                response = session.get(
                    current,
                    stream=True,
                    allow_redirects=False,
                    timeout=(min(10.0, remaining), min(30.0, remaining)),
                    headers={"User-Agent": "ckanext-sipessut validation"},
                )
            except requests.RequestException as error:
                if watchdog.fired or isinstance(error, requests.Timeout):
                    watchdog.fail(timeout)
                raise FileProblem("url-unreachable", detail=str(error)[:300]) from error
            if response.is_redirect:
                current = urljoin(current, response.headers.get("Location", ""))
                response.close()
                continue
            break
        else:
            raise FileProblem("url-unreachable", detail="too many redirects")
        with response:
            if response.status_code >= 400:
                raise FileProblem("url-status", status=response.status_code)
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FileProblem("too-large", limit=max_bytes)
            _write(path, _timed(response, watchdog, timeout), max_bytes)


def _timed(response: requests.Response, watchdog: _Watchdog, timeout: int) -> Iterator[bytes]:
    try:
        for chunk in response.iter_content(CHUNK):
            if watchdog.fired:
                break
            yield chunk
    except requests.RequestException as error:
        if watchdog.fired or isinstance(error, requests.Timeout | requests.ConnectionError):
            watchdog.fail(timeout)
        raise FileProblem("url-unreachable", detail=str(error)[:300]) from error
    if watchdog.fired:  # the body was cut short by the watchdog, not complete
        watchdog.fail(timeout)


# The watchdog of the download in progress in this thread, for the connections it opens.
_current_watchdog: contextvars.ContextVar[_Watchdog | None] = contextvars.ContextVar(
    "sipessut_download_watchdog", default=None
)


class _Watchdog:
    """Shuts down a download's connections once its time is up."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._end = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._token = _current_watchdog.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        _current_watchdog.reset(self._token)

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                _shut(sock)

    def fail(self, timeout: int) -> NoReturn:
        deadline.check()  # the run's own limit came first: the run stops
        raise FileProblem("url-timeout", limit=timeout)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # shutdown(), unlike close(), wakes a read blocked in another thread.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched(connection: type[HTTPConnection]) -> type[HTTPConnection]:
    """A urllib3 connection class that hands its socket to the current watchdog."""

    class Watched(connection):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            watchdog = _current_watchdog.get()
            if watchdog is not None and self.sock is not None:
                watchdog.watch(self.sock)

    Watched.__name__ = f"Watched{connection.__name__}"
    return Watched


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _watched(HTTPConnection)


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _watched(HTTPSConnection)


class _WatchedAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter, with connections the watchdog can shut down."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


def _check_address(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FileProblem("url-scheme", url=url[:200])
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as error:
        raise FileProblem("url-unreachable", detail=str(error)[:300]) from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise FileProblem("url-private", host=parts.hostname)
