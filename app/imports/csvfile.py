"""Reading the import file: UTF-8 checked line by line, CSV records with the line they start on.

The file is streamed, never held whole: a million-row import reads it twice (validate, then
write) in constant memory. Lines are decoded one at a time so a non-UTF-8 byte is reported with
its line and byte position instead of failing the whole read with an unplaceable error.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class BadBytes:
    line: int
    position: int  # byte offset in the file, counting from 1
    byte: int


@dataclass(slots=True)
class Record:
    line: int  # physical line the record starts on (the header is line 1)
    cells: list[str]
    bad_bytes: list[BadBytes] = field(default_factory=list)


class CsvSource:
    """Iterate `records()` once per pass; `rewind()` between passes. Problems that belong to no
    record (a CSV syntax error) are collected in `errors` as (line, message)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.errors: list[tuple[int, str]] = []
        self._pending_bad: list[BadBytes] = []
        self._line = 0

    def encoding_problem(self) -> str | None:
        """A whole-file reason it cannot be UTF-8 CSV, seen in its first bytes (then rewound)."""
        start = self.stream.read(4)
        self.stream.seek(0)
        if start.startswith((b"\xff\xfe", b"\xfe\xff")):
            return (
                'the file is not UTF-8 text: it is UTF-16 (Excel calls it "Unicode Text"). Save the '
                'spreadsheet as "CSV UTF-8 (Comma delimited)" and import it again'
            )
        return None

    def rewind(self) -> None:
        self.stream.seek(0)
        self.errors = []
        self._pending_bad = []
        self._line = 0

    def _lines(self) -> Iterator[str]:
        offset = 0
        for raw in self.stream:
            self._line += 1
            if self._line == 1 and raw.startswith(BOM):
                raw = raw[len(BOM) :]
                offset += len(BOM)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                self._pending_bad.append(BadBytes(self._line, offset + exc.start + 1, raw[exc.start]))
                text = raw.decode("utf-8", "replace")
            if "\x00" in text:
                self.errors.append((self._line, "the line contains a NUL character (is this a CSV file?)"))
                text = text.replace("\x00", "")
            offset += len(raw)
            yield text

    def records(self) -> Iterator[Record]:
        """Every non-blank record; rows whose cells are all empty (spreadsheet leftovers) are skipped."""
        reader = csv.reader(self._lines(), strict=True)
        last = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.errors.append((last + 1, _csv_message(str(exc))))
                last = reader.line_num
                self._pending_bad = []
                continue
            start, last = last + 1, reader.line_num
            bad, self._pending_bad = self._pending_bad, []
            if not bad and not any(c.strip() for c in cells):
                continue
            yield Record(start, cells, bad)

    @property
    def lines_read(self) -> int:
        return self._line


def _csv_message(error: str) -> str:
    if "unexpected end of data" in error:
        return 'a quoted cell starting here is never closed (a closing " is missing)'
    if "expected after" in error:
        return (
            "a quoted cell has text after its closing quote; "
            'write a quote inside a quoted cell as two quotes ("")'
        )
    if "field larger than field limit" in error:
        return "a cell is far too long (is a closing quote missing?)"
    return f"the line cannot be read as CSV ({error})"
