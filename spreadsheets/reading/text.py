"""A CSV's bytes -> text: UTF-8, Windows-1252 (Excel's in Peru), or both, line by line.

A CSV put together from two sources (rows pasted from a Windows-1252 export under a UTF-8
list) is decoded line by line instead of being refused or garbled: a line that is valid
UTF-8 is read as UTF-8, any other line as Windows-1252. The test is reliable in that
direction: text in Windows-1252 with accented letters is almost never valid UTF-8, and an
ASCII line reads the same either way. Refusing would leave the user to repair encodings in
a text editor, which few partners can do; the lines read as Windows-1252 are listed in the
table's notes.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field

from spreadsheets.reading.table import RosterFileError

_UTF8_BOM = b"\xef\xbb\xbf"
# A lead byte followed by a continuation byte: where a UTF-8 line may start again.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_NOTED_RUNS = 10


@dataclass
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16" or "utf-8+cp1252"
    legacy_lines: list[tuple[int, int]] = field(default_factory=list)  # (first, last), 1-based

    def notes(self) -> list[str]:
        if not self.legacy_lines or "+" not in self.encoding:
            return []
        spans = ", ".join(
            str(first) if first == last else f"{first}-{last}"
            for first, last in self.legacy_lines[:_NOTED_RUNS]
        )
        more = " y otras" if len(self.legacy_lines) > _NOTED_RUNS else ""
        return [f"Las líneas {spans}{more} no estaban en UTF-8: se leyeron como Windows-1252."]


def decode_text(data: bytes, *, file_name: str) -> tuple[str, str]:
    """(text, encoding) of a CSV file; see `decode_csv_text`."""
    decoded = decode_csv_text(data, file_name=file_name)
    return decoded.text, decoded.encoding


def decode_csv_text(data: bytes, *, file_name: str) -> DecodedText:
    """UTF-8 (with or without BOM) line by line with Windows-1252 for the lines that are not
    UTF-8; UTF-16 with its BOM. Refuses binary content."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            decoded = DecodedText(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            raise _not_text(file_name) from None
    elif data.startswith(_UTF8_BOM):
        decoded = _decode_mixed(data, start=len(_UTF8_BOM))
    else:
        decoded = _decode_mixed(data, start=0)
    if "\x00" in decoded.text or _looks_binary(decoded.text):
        raise _not_text(file_name)
    return decoded


def _not_text(file_name: str) -> RosterFileError:
    return RosterFileError(
        f"{file_name}: el contenido no es un CSV ni un XLSX (no se puede leer como texto)."
    )


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\r\n\t\f")
    return controls > max(2, len(sample) // 100)


def _decode_mixed(raw: bytes, *, start: int) -> DecodedText:
    """Runs of UTF-8 lines and runs of Windows-1252 lines, each decoded in one call (a
    memoryview: no copy of the file per run)."""
    view = memoryview(raw)
    size = len(raw)
    try:
        text = str(view[start:], "utf-8")
    except UnicodeDecodeError:
        pass
    else:  # the usual case: UTF-8 throughout, one decode and no copy
        return DecodedText(text, "utf-8-sig" if start else "utf-8")
    out = io.StringIO()
    legacy: list[tuple[int, int]] = []
    utf8_non_ascii = False
    legacy_encodings: set[str] = set()
    position, line = start, 1  # `line`: the 1-based line number at `position`
    while position < size:
        try:
            text, _ = codecs.utf_8_decode(view[position:], "strict", True)
        except UnicodeDecodeError as error:
            bad = position + error.start
            run_start = max(raw.rfind(b"\n", position, bad) + 1, position)
            if run_start > position:
                good = str(view[position:run_start], "utf-8")
                utf8_non_ascii = utf8_non_ascii or not good.isascii()
                out.write(good)
                line += raw.count(b"\n", position, run_start)
            run_end = _legacy_run_end(raw, bad)
            chunk = view[run_start:run_end]
            try:
                out.write(str(chunk, "cp1252"))
                legacy_encodings.add("cp1252")
            except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8d ...)
                out.write(str(chunk, "latin-1"))
                legacy_encodings.add("latin-1")
            newlines = raw.count(b"\n", run_start, run_end)
            ends_line = raw[run_end - 1 : run_end] == b"\n"
            legacy.append((line, line + newlines - (1 if ends_line else 0)))
            line += newlines
            position = run_end
            continue
        utf8_non_ascii = utf8_non_ascii or not text.isascii()
        out.write(text)
        break
    if not legacy:
        encoding = "utf-8-sig" if start else "utf-8"
    else:
        legacy_name = "cp1252" if legacy_encodings == {"cp1252"} else "latin-1"
        mixed = utf8_non_ascii or start
        encoding = f"utf-8+{legacy_name}" if mixed else legacy_name
    return DecodedText(out.getvalue(), encoding, legacy)


def _legacy_run_end(raw: bytes, bad: int) -> int:
    """End (exclusive) of the Windows-1252 run that starts on the line holding `bad`: the
    start of the next line that may be UTF-8, or the end of the file."""
    line_end = raw.find(b"\n", bad)
    if line_end < 0:
        return len(raw)
    line_end += 1
    candidate = _UTF8_MULTIBYTE.search(raw, line_end)
    if candidate is None:
        return len(raw)
    return max(raw.rfind(b"\n", line_end, candidate.start()) + 1, line_end)
