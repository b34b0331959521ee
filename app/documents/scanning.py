"""Virus scanning by ClamAV's daemon over its Unix socket (the INSTREAM command of clamd(8)): the
bytes are streamed to clamd in length-prefixed chunks, and clamd answers "stream: OK" or
"stream: <signature> FOUND". Nothing in between keeps the file. clamd limits a stream to its
StreamMaxLength (25 MB by default): set it at least to LADO_MAX_UPLOAD_MB, or larger uploads
are refused as unscannable. No maintained Python client of clamd exists (clamd on PyPI was last
released in 2014), and the protocol is these few lines.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from pathlib import Path


class ScannerUnavailable(RuntimeError):
    """clamd could not be reached or did not give a verdict."""


def scan(socket_path: Path, chunks: Iterable[bytes], timeout: float = 60) -> str | None:
    """The name of the signature clamd found in the stream, or None when it is clean."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(str(socket_path))
            conn.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                if chunk:
                    conn.sendall(struct.pack("!L", len(chunk)) + chunk)
            conn.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = conn.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as exc:
        raise ScannerUnavailable(f"clamd at {socket_path}: {exc}") from exc
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    verdict = answer.removeprefix("stream:").strip()
    if verdict == "OK":
        return None
    if verdict.endswith(" FOUND"):
        return verdict.removesuffix(" FOUND").strip() or "unknown"
    raise ScannerUnavailable(f"clamd answered {answer!r}")
