"""«Triennale PDZ» prints as a document: landscape, one page wide, print titles, header and
footer with the ente, page numbers and date, the charts on their own page below the table
(bars sorted with their values, legible with 15+ groups; a pie with percentages and the
whole legend). Read back with openpyxl, and printed by LibreOffice to PDF and PNG with the
committed rendering script (tools/render_triennale.py)."""

from __future__ import annotations

import dataclasses
import re
import struct
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.triennial.build import TRIENNIAL_SHEET, triennial_changeset
from pdz_xl.triennial.charts import MAX_BARS
from pdz_xl.triennial.sheet import triennial_sheet
from tests.support.oracles import REPO
from tools import render_triennale

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"


def _write(src, dest, **kw):
    grid = read_workbook(src)
    cs, data = triennial_changeset(grid, detect_plan(grid), generated_on="2026-11-22", **kw)
    apply_changeset(src, cs, dest)
    return cs, data


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("print")
    out = {}
    for name, src in (("2018", PO2018), ("2021", PP2021)):
        dest = tmp / f"{name}.xlsx"
        cs, data = _write(src, dest, ente="Comunità Sociale Cremasca")
        out[name] = (dest, cs, data)
    return out


def _anchors(path):
    """(from col, from row, to col, to row) of each chart, 0-based, in drawing order."""
    z = zipfile.ZipFile(path)
    drawing = next(n for n in z.namelist() if n.startswith("xl/drawings/drawing")
                   and n.endswith(".xml"))
    xml = z.read(drawing).decode()
    nums = [int(x) for x in re.findall(r"<xdr:(?:col|row)>(\d+)</xdr:(?:col|row)>", xml)]
    return [tuple(nums[i:i + 4]) for i in range(0, len(nums), 4)]


@pytest.mark.parametrize("name", ["2018", "2021"])
def test_page_setup_read_back(printed, name):
    path, _cs, data = printed[name]
    ws = openpyxl.load_workbook(path)[TRIENNIAL_SHEET]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$3"
    assert ws.print_options.horizontalCentered
    assert "Comunità Sociale Cremasca" in ws.oddHeader.left.text
    assert "Piano triennale" in ws.oddHeader.right.text
    assert ws.oddFooter.center.text == "Pagina &P di &N" and "&D" in ws.oddFooter.right.text
    assert "2026-11-22" in ws.oddFooter.left.text
    area = ws.print_area.split("!")[1].replace("$", "")
    last_col = "I" if data.has_comparison() else "G"
    assert area.startswith("A1:" + last_col)
    saldo = next(r for r in range(1, ws.max_row) if ws[f"A{r}"].value == "SALDO (costi − ricavi)")
    (brk,) = ws.row_breaks.brk
    assert saldo < brk.id  # the charts start on a page of their own
    for _col, frm_row, _to_col, to_row in _anchors(path):
        assert frm_row >= brk.id  # below the table, after the break
        assert to_row + 1 <= int(re.sub(r"[A-Z]", "", area.split(":")[1]))  # printed


def test_bars_are_sorted_with_values_and_the_pie_has_percentages(printed):
    path, cs, _data = printed["2018"]
    sheet = cs.sheets[0]
    bar, pie = sheet.charts
    assert (bar.kind, bar.data_labels, bar.legend, bar.value_axis) == ("bar", "value", None,
                                                                      False)
    assert (pie.kind, pie.data_labels, pie.legend) == ("pie", "percent", "r")
    cached = openpyxl.load_workbook(path, data_only=True)[TRIENNIAL_SHEET]
    first, last = (int(x) for x in re.findall(r"\$(\d+)", bar.categories))
    values = [cached[f"B{r}"].value for r in range(first, last + 1)]
    assert len(values) == 15 and values == sorted(values)  # the largest is drawn on top
    assert cached[f"A{last}"].value == "5: GESTIONE ASSOCIATA"
    first, last = (int(x) for x in re.findall(r"\$(\d+)", pie.categories))
    labels = [cached[f"A{r}"].value for r in range(first, last + 1)]
    assert len(labels) == 9 and labels[0] == "COMUNI"  # every channel, largest first
    xml = [zipfile.ZipFile(path).read(n).decode() for n in zipfile.ZipFile(path).namelist()
           if n.startswith("xl/charts/chart")]
    assert any('<c:showPercent val="1"/>' in x and "<c:pieChart>" in x for x in xml)
    assert any('<c:showVal val="1"/>' in x and '<c:barDir val="bar"/>' in x for x in xml)
    # the bar chart is tall enough for every bar
    (_c0, r0, _c1, r1), _pie = _anchors(path)
    assert r1 - r0 >= 15 * 1.5


def test_many_groups_stay_legible():
    """45 groups: the bars show the largest and add up the rest as «Altri»; the chart
    grows with the bars."""
    grid = read_workbook(PO2018)
    _cs, data = triennial_changeset(grid, detect_plan(grid))
    base = data.costs
    data.costs = [dataclasses.replace(r, key=f"{r.key}-{k}", label=f"{r.label} ({k})",
                                      years=[y * (k + 1) for y in r.years])
                  for k in range(3) for r in base]
    sheet = triennial_sheet(data, None)
    bar, _pie = sheet.charts
    first, last = (int(x) for x in re.findall(r"\$(\d+)", bar.categories))
    assert last - first + 1 == MAX_BARS
    cells = {c.cell: c for c in sheet.cells}
    assert cells[f"A{first}"].value == f"Altri ({45 - MAX_BARS + 1})"
    assert cells[f"B{first}"].formula.startswith("=SUM(E")
    shown = [cells[f"B{r}"].value for r in range(first + 1, last + 1)]
    assert shown == sorted(shown) and shown[-1] == max(Decimal(r.total) / 100
                                                       for r in data.costs)
    assert sum(cells[f"B{r}"].value for r in range(first, last + 1)) == \
        sum(Decimal(r.total) / 100 for r in data.costs)
    assert bar.height_rows >= MAX_BARS * 1.5


def _png_size(path):
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["2018", "2021"])
def test_libreoffice_prints_one_landscape_page_wide_with_the_charts(printed, name, tmp_path):
    path, _cs, data = printed[name]
    pdf = render_triennale.render_pdf(path, tmp_path, TRIENNIAL_SHEET, name)
    pages = render_triennale.pdf_pages(pdf)
    assert len(pages) == 2 and all(p.landscape for p in pages)
    table, charts = pages
    # one page wide: the first and the last column of the table on the same page
    head = next(line for line in table.text.splitlines() if "TRIENNIO" in line)
    assert head.strip().startswith("COSTI PER") and head.rstrip().endswith("FONTE E NOTE")
    assert "TOTALE COSTI" in table.text and "SALDO (costi − ricavi)" in table.text
    assert "Comunità Sociale Cremasca" in table.text and "Pagina 1 di 2" in table.text
    for r in data.costs:
        assert r.label[:25] in table.text
    # Italian formats, as LibreOffice recalculated them
    total = format(sum(data.cost_totals()) / 100, ",.2f").replace(",", "X").replace(
        ".", ",").replace("X", ".")
    assert total in table.text
    # the charts page: both titles, a value on the bars, percentages on the pie
    assert f"Costi del triennio {data.years[0]}-{data.years[2]}" in charts.text
    assert f"Canali di finanziamento {data.years[0]}" in charts.text
    assert re.search(r"\d+,\d%", charts.text)
    assert "Pagina 2 di 2" in charts.text
    pngs = render_triennale.render_png(pdf, tmp_path, 40, name)
    assert [p.name for p in pngs] == [f"{name}-1.png", f"{name}-2.png"]
    width, height = _png_size(pngs[0])
    assert width > height


def test_rendering_needs_the_sheet():
    with pytest.raises(render_triennale.RenderError, match="non è nella cartella"):
        render_triennale._hide_others('<sheets><sheet name="A" sheetId="1"/></sheets>',
                                      "Triennale PDZ")
    xml = ('<bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="A" '
           'sheetId="1"/><sheet name="B" sheetId="2" state="hidden"/></sheets>')
    out = render_triennale._hide_others(xml, "B")
    assert '<sheet state="hidden" name="A"' in out and '<sheet name="B" sheetId="2"/>' in out
    assert 'activeTab="1"' in out
