"""CSV files the project hands out, written one way.

Text that a spreadsheet would run as a formula (a cell starting with = + - @, a tab or a carriage
return: "CSV injection") gets a leading single quote, so a customer's address or a producer's
product title is shown, never executed. Numbers are left as numbers. Files are UTF-8 with a
byte-order mark, so spreadsheet programs open accents and Arabic correctly.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
# Rows are streamed in chunks of about this many characters rather than one network write per row.
_CHUNK_CHARS = 64 * 1024


def csv_cell(value):
    """The value as a CSV cell: text a spreadsheet would run as a formula is quoted, numbers stay numbers."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_cell_restore(value: str) -> str:
    """The text `csv_cell` neutralised, as it was before: for reading our own files back."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


class _Line:
    """A file-like object whose write returns the line, so csv.writer hands each row back."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one line of CSV text, its cells neutralised."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_text(rows: Iterable[Iterable]) -> str:
    """The rows as CSV text, cells neutralised, without the byte-order mark (for reading in code)."""
    return "".join(csv_lines(rows))


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """The content of a CSV file: UTF-8 with a byte-order mark, cells neutralised (ZIP entries,
    e-mail attachments, files written in the background)."""
    return (BOM + csv_text(rows)).encode("utf-8")


def _chunks(rows: Iterable[Iterable]) -> Iterator[bytes]:
    chunk, size = [BOM], 1
    for line in csv_lines(rows):
        chunk.append(line)
        size += len(line)
        if size >= _CHUNK_CHARS:
            yield "".join(chunk).encode("utf-8")
            chunk, size = [], 0
    if chunk:
        yield "".join(chunk).encode("utf-8")


def csv_download(
    rows: Iterable[Iterable], *, filename: str, streaming: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """A CSV download; `streaming` sends the rows as they come, for exports read from a database
    iterator that should never be held in memory whole."""
    if streaming:
        response = StreamingHttpResponse(_chunks(rows), content_type=CONTENT_TYPE)
    else:
        response = HttpResponse(csv_bytes(rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def csv_file_download(file, *, filename: str) -> FileResponse:
    """A CSV file written earlier with `csv_bytes`, sent with the same headers as `csv_download`."""
    return FileResponse(file, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
