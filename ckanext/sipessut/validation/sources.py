"""Where a resource's file comes from: the upload in the request, the portal's
storage (CKAN 2.11 uploader path or CKAN 2.12 files API), or a link.

Each source gives a local file path for the engine, removed afterwards.
Every read is bounded: bytes for all, and time for links; a link to a
loopback, link-local or private address is refused unless the portal allows it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import requests

from ckanext.sipessut.validation.readers import FileProblem

CHUNK = 64 * 1024
MAX_REDIRECTS = 5


@contextlib.contextmanager
def temporary_copy(chunks: Iterator[bytes], max_bytes: int) -> Iterator[str]:
    handle, path = tempfile.mkstemp(prefix="sipessut-validation-")
    try:
        with os.fdopen(handle, "wb") as target:
            size = 0
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise FileProblem("too-large", limit=max_bytes)
                target.write(chunk)
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


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
    """Download a linked file within `timeout` seconds in all and `max_bytes` bytes."""
    deadline = time.monotonic() + timeout
    with requests.Session() as session:
        session.trust_env = False  # no proxy or netrc surprises from the environment
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            _check_address(current, allow_private)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FileProblem("url-timeout", limit=timeout)
            try:
                response = session.get(
                    current,
                    stream=True,
                    allow_redirects=False,
                    timeout=(min(10.0, remaining), min(30.0, remaining)),
                    headers={"User-Agent": "ckanext-sipessut validation"},
                )
            except requests.Timeout as error:
                raise FileProblem("url-timeout", limit=timeout) from error
            except requests.RequestException as error:
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
            with temporary_copy(_timed(response, deadline, timeout), max_bytes) as path:
                yield path


def _timed(response: requests.Response, deadline: float, timeout: int) -> Iterator[bytes]:
    try:
        for chunk in response.iter_content(CHUNK):
            if time.monotonic() > deadline:
                raise FileProblem("url-timeout", limit=timeout)
            yield chunk
    except requests.RequestException as error:
        if isinstance(error, requests.Timeout | requests.ConnectionError):
            raise FileProblem("url-timeout", limit=timeout) from error
        raise FileProblem("url-unreachable", detail=str(error)[:300]) from error


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
