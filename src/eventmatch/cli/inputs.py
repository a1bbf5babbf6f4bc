"""Reading JSON Lines inputs: files or stdin (``-``), gzip-compressed or not, streamed line by line."""

from __future__ import annotations

import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Final

from .common import STDIN, CliError

__all__ = ["Source", "open_source"]

_GZIP_MAGIC: Final = b"\x1f\x8b"


def _regular_file_size(raw: IO[bytes]) -> int | None:
    try:
        status = os.fstat(raw.fileno())
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


class Source:
    """One input. Compression is recognised by its first bytes, not by the name."""

    def __init__(self, label: str, raw: IO[bytes], path: str | None = None) -> None:
        self.label = label
        self.raw = raw
        #: The size of the input when it is a regular file (so progress can be shown), else None.
        self.size = _regular_file_size(raw)
        compressed = isinstance(raw, io.BufferedReader) and raw.peek(2)[:2] == _GZIP_MAGIC
        self.stream: IO[bytes] | gzip.GzipFile = gzip.GzipFile(fileobj=raw) if compressed else raw
        #: The file's path when its blocks can be read again by offset (a regular, uncompressed file).
        self.path = path if self.size is not None and not compressed else None

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """``(line number, line without its line break)`` for every line that is not blank."""
        try:
            for number, line in enumerate(self.stream, 1):
                if not line.isspace():
                    yield number, line.rstrip(b"\r\n")
        except (OSError, EOFError, zlib.error) as exc:
            raise CliError(f"cannot read {self.label}: {exc}") from None

    def blocks(self, size: int) -> Iterator[tuple[int, int, bytes]]:
        """``(number of its first line, its offset, block)``: the input in blocks of whole lines,
        of about ``size`` bytes each, or of one line each when ``size`` is 0 (so that a stream's
        answers come as soon as its lines). Offsets are in the uncompressed text."""
        stream = self.stream
        number = 1
        offset = 0
        try:
            while block := stream.read(size) + stream.readline() if size else stream.readline():
                yield number, offset, block
                number += block.count(b"\n")
                offset += len(block)
        except (OSError, EOFError, zlib.error) as exc:
            raise CliError(f"cannot read {self.label}: {exc}") from None

    def position(self) -> int:
        """How many bytes of the (compressed) input have been read."""
        return self.raw.tell()


def _open(name: str) -> IO[bytes]:
    try:
        return open(name, "rb")
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from None


@contextmanager
def open_source(name: str) -> Iterator[Source]:
    """Open the input ``name`` (``-`` for stdin) for reading; CliError when it cannot be opened."""
    if name == STDIN:
        yield Source("<stdin>", sys.stdin.buffer)
    else:
        with _open(name) as raw:
            yield Source(name, raw, name)
