"""core.csv: formula-looking text is neutralised, numbers are not, and files carry a UTF-8 BOM."""

import codecs
import csv
import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from core.csv import csv_bytes, csv_cell, csv_cell_restore, csv_download, csv_text


@pytest.mark.parametrize("text", ["=1+1", "+212 6", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")'])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote_and_comes_back(text):
    assert csv_cell(text) == "'" + text
    assert csv_cell_restore(csv_cell(text)) == text


@pytest.mark.parametrize("text", ["Dattes Majhoul", "زعفران", "", "'quoted", "1=1", " =1"])
def test_ordinary_text_is_written_as_it_is(text):
    assert csv_cell(text) == text
    assert csv_cell_restore(text) == text


@pytest.mark.parametrize("number", [Decimal("-12.50"), -3, -1.5, Decimal("0.00"), None])
def test_numbers_stay_numbers(number):
    assert csv_cell(number) is number


def test_lazy_translations_are_written_as_text():
    assert csv_cell(gettext_lazy("Total")) == "Total"


def test_a_file_reads_back_with_text_neutralised_and_numbers_parseable():
    rows = [["title", "amount", "units"], ["-20% dattes", Decimal("-12.50"), -2]]

    content = csv_bytes(rows)

    assert content.startswith(codecs.BOM_UTF8)
    [row] = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert row["title"] == "'-20% dattes"
    assert (Decimal(row["amount"]), int(row["units"])) == (Decimal("-12.50"), -2)
    assert content.decode("utf-8-sig") == csv_text(rows)


@pytest.mark.parametrize("streaming", [False, True])
def test_a_download_is_utf8_with_a_bom_and_says_so(streaming):
    rows = ([str(i), "=x", Decimal(i)] for i in range(5000))  # several streamed chunks

    response = csv_download(rows, filename="open-lines.csv", streaming=streaming)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="open-lines.csv"'
    content = response.getvalue()
    assert content.startswith(codecs.BOM_UTF8) and content.count(codecs.BOM_UTF8) == 1
    read = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(read) == 5000 and read[-1] == ["4999", "'=x", "4999"]
