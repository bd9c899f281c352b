import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from smartcity.base.exports import csv_bytes, neutralise, xlsx_bytes


@pytest.mark.parametrize("text", ["=1+1", "+33 6 12", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("http://x")'])
def test_formula_triggers_get_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Mobilité", "a=b", "", "1+1", " =not first"])
def test_plain_text_is_kept(value):
    assert neutralise(value) == value


def test_numbers_and_dates_are_not_text():
    assert neutralise(-5) == -5
    assert neutralise(Decimal("-1.5")) == Decimal("-1.5")
    assert neutralise(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)
    assert neutralise(None) == ""


def test_csv_cells_are_neutralised():
    data = csv_bytes(["Nom", "=Titre"], [["=cmd|' /C calc'!A0", 3], ["ok", -2]])
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Nom", "'=Titre"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "3"]
    assert rows[2] == ["ok", "-2"]


def test_xlsx_cells_are_text_not_formulas():
    data = xlsx_bytes(["Nom"], [["=1+2"], ["@x"], [12]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=1+2"
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'@x"
    assert sheet["A4"].value == 12


def test_control_characters_are_dropped_from_every_format():
    rows = [["a\x00b\x0bc\x1fd", "tab\tand\nline", "\x01=1+1"]]
    text = csv_bytes(["h\x02"], rows).decode("utf-8-sig")
    assert "abcd" in text and "tab\tand\nline" in text and "'=1+1" in text and "\x02" not in text
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["h\x02"], rows))).active
    assert [c.value for c in next(sheet.iter_rows(min_row=2))] == ["abcd", "tab\tand\nline", "'=1+1"]
