"""The sample workbooks are reproducible and carry the documents' own numbers.

Read with openpyxl only (independent of pdz_xl's reader) and compared with the CSVs in
../shared/data to the cent.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pdz_xl.money import EUR_FORMAT
from tests.support.oracles import REPO, rows

SAMPLES = ["piano_operativo_2018.xlsx", "piano_programma_2021.xlsx"]
BUILDER = REPO / "tools" / "build_samples.py"

AREAS = [  # (sheet, area) in document order
    ("Servizi aziendali", "AREA SERVIZI AZIENDALI"),
    ("Gestione associata", "AREA GESTIONE ASSOCIATA SERVIZI"),
    ("Progettazione", "AREA PROGETTAZIONE"),
    ("Misure distrettuali", "AREA MISURE DISTRETTUALI E REGIONALI"),
    ("Ufficio di piano", "AREA UFFICIO DI PIANO"),
]
HEADERS = {  # the 2021 document's channel headers -> CSV column
    "FNPS 2021": "FNPS", "FSOL 2021": "FSOL", "FSR 2021": "FSR", "COMUNI": "COMUNI",
    "FONDI ATS": "ATS", "AVANZO 2020 VINCOLATO": "AVANZO_VINCOLATO",
    "AVANZO 2020 NON VINCOLATO": "AVANZO_NON_VINCOLATO",
    "ALTRI FONDI PROGETTUALI": "ALTRI_FONDI_PROGETTUALI",
}

# ------------------------------------------------------------------------- helpers
def csv_cents(text: str) -> int | None:
    """A CSV amount in cents; blank -> None."""
    return int(Decimal(text) * 100) if text.strip() else None


def cell_cents(value: object) -> int | None:
    """A numeric cell in cents (exactly: the stored number has at most two decimals)."""
    if value is None:
        return None
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    d = Decimal(repr(value)) * 100
    assert d == d.to_integral_value(), f"{value} is not a whole number of cents"
    return int(d)


@cache
def book(name: str, data_only: bool) -> Workbook:
    return openpyxl.load_workbook(REPO / "workbooks" / name, data_only=data_only)


def values(name: str, sheet: str) -> Worksheet:
    return book(name, True)[sheet]


def formulas(name: str, sheet: str) -> Worksheet:
    return book(name, False)[sheet]


def is_formula(ws: Worksheet, coord: str) -> bool:
    v = ws[coord].value
    return isinstance(v, str) and v.startswith("=")


def covered_rows(formula: str, col: str) -> set[int]:
    """Rows a ``=SUM(...)`` formula covers in one column (all its ranges must be there)."""
    m = re.fullmatch(r"=SUM\((.*)\)", formula)
    assert m, formula
    out: set[int] = set()
    for ref in m.group(1).split(","):
        c1, r1, c2, r2 = range_boundaries(ref)
        assert c1 == c2 == column_index_from_string(col), (formula, col)
        out |= set(range(r1, r2 + 1))
    return out


def check_total(name: str, sheet: str, coord: str, stated: int | None,
                line_rows: dict[int, int | None]) -> bool:
    """A stated total cell: cached value = stated; a SUM formula over exactly the numeric
    line cells (``row -> cents``) when they add up to it, the typed number otherwise.
    Returns True for a formula."""
    ws_f, ws_v = formulas(name, sheet), values(name, sheet)
    assert cell_cents(ws_v[coord].value) == stated, (sheet, coord)
    assert ws_f[coord].font.b, (sheet, coord)
    consistent = sum(v for v in line_rows.values() if v is not None) == stated
    assert is_formula(ws_f, coord) == consistent, (sheet, coord, ws_f[coord].value)
    if consistent:
        col = re.match(r"[A-Z]+", coord).group(0)
        numeric = {r for r in covered_rows(ws_f[coord].value, col)
                   if isinstance(ws_v[f"{col}{r}"].value, (int, float))}
        assert numeric == {r for r, v in line_rows.items() if v is not None}, (sheet, coord)
    return consistent


# --------------------------------------------------------------- (1) reproducible
def _build(out: Path) -> None:
    subprocess.run([sys.executable, str(BUILDER), "--out", str(out)], check=True,
                   capture_output=True)


def test_builder_is_deterministic_and_matches_the_committed_files(tmp_path):
    for out in (tmp_path / "a", tmp_path / "b"):
        _build(out)
    for name in SAMPLES:
        a = (tmp_path / "a" / name).read_bytes()
        assert a == (tmp_path / "b" / name).read_bytes(), name
        assert a == (REPO / "workbooks" / name).read_bytes(), f"{name}: rigenerare i campioni"


# ------------------------------------------------------------- (2) 2021 vs the CSVs
def _walk_2021() -> tuple[list[dict], list[dict]]:
    """Lines and TOTALE rows of the five area sheets, as the sheets lay them out."""
    name = "piano_programma_2021.xlsx"
    assert book(name, True).sheetnames[:8] == [s for s, _ in AREAS] + [
        "Canali 2021", "Confronto 2020-2021", "Budget pluriennale"]
    lines: list[dict] = []
    totals: list[dict] = []
    tabella = 0
    for sheet, area in AREAS:
        ws = values(name, sheet)
        assert ws["A1"].value == "BUDGET 2021 – SCHEDE" and ws["A1"].font.b
        assert ws["A2"].value == area and ws["A2"].font.b
        assert all(c.value is None for c in ws[3])
        widths = []
        servizio = azione = None
        cols: list[str] = []
        for row in ws.iter_rows(min_row=4):
            label = row[0].value
            rest = [c.value for c in row[1:]]
            if rest and rest[0] == "BUDGET 2020":
                assert all(c.font.b for c in row if c.value is not None)
                assert rest[1] == "BUDGET 2021"
                headers = [v for v in rest[2:] if v is not None]
                assert rest[2:] == headers + [None] * (len(rest) - 2 - len(headers))
                cols = [HEADERS[h] for h in headers]
                widths.append(3 + len(cols))
                tabella += 1
                servizio, azione = label or "", None
            elif label is None:
                assert all(v is None for v in rest), (sheet, row[0].row)
            elif label.startswith("TOTALE"):
                assert row[0].font.b and all(v is None for v in rest[2:]), (sheet, row[0].row)
                totals.append({"sheet": sheet, "row": row[0].row, "area": area,
                               "servizio": servizio, "voce_totale": label})
            elif row[0].font.b:
                assert all(v is None for v in rest), (sheet, row[0].row)
                azione = label
            else:
                assert all(v is None for v in rest[2 + len(cols):]), (sheet, row[0].row)
                lines.append({
                    "sheet": sheet, "row": row[0].row, "tabella": str(tabella), "area": area,
                    "servizio": servizio, "azione": azione, "voce": label,
                    "budget_2020": cell_cents(rest[0]), "budget_2021": cell_cents(rest[1]),
                    "channels": {c: cell_cents(rest[2 + k]) for k, c in enumerate(cols)},
                    "cols": "|".join(cols)})
        merged = [str(r) for r in ws.merged_cells.ranges]
        last = openpyxl.utils.get_column_letter(max(widths))
        assert merged == [f"A1:{last}1"], (sheet, merged)
    return lines, totals


def test_2021_lines_equal_the_csv():
    lines, _ = _walk_2021()
    got = [(ln["tabella"], ln["area"], ln["servizio"], ln["azione"], ln["voce"],
            ln["budget_2020"], ln["budget_2021"], ln["channels"], ln["cols"]) for ln in lines]
    want = [(r["tabella"], r["area"], r["servizio"], r["azione"], r["voce"],
             csv_cents(r["budget_2020"]), csv_cents(r["budget_2021"]),
             {c: csv_cents(r[c]) for c in r["colonne_canali_della_tabella"].split("|")},
             r["colonne_canali_della_tabella"]) for r in rows("pp2021_lines.csv")]
    assert len(got) == len(want) == 170
    assert got == want


def test_2021_totals_equal_the_csv_formula_exactly_where_consistent():
    lines, totals = _walk_2021()
    want = rows("pp2021_totals.csv")
    assert [(t["area"], t["servizio"], t["voce_totale"]) for t in totals] == [
        (r["area"], r["servizio"], r["voce_totale"]) for r in want]
    typed = []
    for t, r in zip(totals, want, strict=True):
        scope = [ln for ln in lines if ln["area"] == t["area"]
                 and (not t["servizio"] or ln["servizio"] == t["servizio"])]
        assert scope and all(ln["sheet"] == t["sheet"] and ln["row"] < t["row"] for ln in scope)
        for col, key in (("B", "2020"), ("C", "2021")):
            coord = f"{col}{t['row']}"
            line_rows = {ln["row"]: ln[f"budget_{key}"] for ln in scope}
            if not check_total("piano_programma_2021.xlsx", t["sheet"], coord,
                               csv_cents(r[f"totale_dichiarato_{key}"]), line_rows):
                typed.append((t["sheet"], coord))
    # the documents' slips: a cent off (SSD, SST, Gestione associata 2021) and an area total
    # whose lines are not in the table (Progettazione)
    assert typed == [("Servizi aziendali", "C36"), ("Servizi aziendali", "C58"),
                     ("Gestione associata", "C101"), ("Progettazione", "B31"),
                     ("Progettazione", "C31")]


def _table(name: str, sheet: str, header_row: int, header: list[str]) -> list[tuple]:
    """(row, label, cells...) of a simple table under ``header`` up to the first blank."""
    ws = values(name, sheet)
    assert [c.value for c in ws[header_row]][:len(header)] == header
    assert all(c.font.b for c in ws[header_row][:len(header)])
    out = []
    for row in ws.iter_rows(min_row=header_row + 1, max_col=len(header)):
        if row[0].value is None:
            break
        out.append((row[0].row, *[c.value for c in row]))
    return out


def test_2021_revenue_table_equals_the_csv():
    name, sheet = "piano_programma_2021.xlsx", "Canali 2021"
    ws_v, ws_f = values(name, sheet), formulas(name, sheet)
    assert ws_v["A1"].value == "CANALI DI FINANZIAMENTO 2021" and ws_v["A1"].font.b
    table = _table(name, sheet, 3, ["ENTRATE PREVISIONALI ESERCIZIO 2021", "IMPORTO"])
    want = rows("pp2021_canali.csv")
    assert [(label, cell_cents(v)) for _, label, v in table] == [
        (r["voce"], csv_cents(r["importo_2021"])) for r in want]
    at = {label: row for row, label, _ in table}
    amount = {r["voce"]: Decimal(r["importo_2021"]) for r in want}
    bold = {label for row, label, _ in table if ws_v[f"A{row}"].font.b}
    assert bold == {"Totale avanzo 2020", "Totale Entrate 2021", "TOTALE BUDGET",
                    "TOTALE PO 2021"}
    labels = [r["voce"] for r in want]
    entrate = labels[labels.index("FNPS 2021"):labels.index("Fondi ATS") + 1]
    avanzo = amount["Avanzo gestionale 2020 vincolato"] + amount[
        "Avanzo gestionale 2020 - non vincolato"]
    items = sum(amount[e] for e in entrate)
    quote = [v for v in labels if "Quota vincolata" in v]
    expected = {  # label -> formula when the stated number equals its components
        "Totale avanzo 2020": (avanzo == amount["Totale avanzo 2020"],
                               f"=SUM(B{at[labels[0]]}:B{at[labels[1]]})"),
        "Totale Entrate 2021": (items == amount["Totale Entrate 2021"],
                                f"=SUM(B{at[entrate[0]]}:B{at[entrate[-1]]})"),
        "TOTALE BUDGET": (amount["Totale avanzo 2020"] + items == amount["TOTALE BUDGET"],
                          f"=SUM(B{at['Totale avanzo 2020']},"
                          f"B{at[entrate[0]]}:B{at[entrate[-1]]})"),
        "TOTALE PO 2021": (amount["TOTALE BUDGET"] - sum(amount[q] for q in quote)
                           == amount["TOTALE PO 2021"],
                           f"=B{at['TOTALE BUDGET']}" + "".join(f"-B{at[q]}" for q in quote)),
    }
    # the 100,000 slip is in the Totale Entrate subtotal only; TOTALE BUDGET is avanzo
    # plus the real items
    assert {k: ok for k, (ok, _) in expected.items()} == {
        "Totale avanzo 2020": True, "Totale Entrate 2021": False, "TOTALE BUDGET": True,
        "TOTALE PO 2021": True}
    for label, row, _ in ((label, row, v) for row, label, v in table):
        cell = ws_f[f"B{row}"].value
        if label in expected and expected[label][0]:
            assert cell == expected[label][1], label
        else:
            assert not (isinstance(cell, str) and cell.startswith("=")), label


def _check_summary(sheet: str, title: str, header: list[str], csv_name: str,
                   label_key: str, keys: list[str]) -> None:
    name = "piano_programma_2021.xlsx"
    ws_v = values(name, sheet)
    assert ws_v["A1"].value == title and ws_v["A1"].font.b
    table = _table(name, sheet, 3, header)
    want = rows(csv_name)
    assert len(table) == len(want)
    for (row, label, *cells), r in zip(table, want, strict=True):
        assert label == r[label_key]
        for cell, key in zip(cells, keys, strict=True):
            text = r[key]
            if text[:1].isdigit():
                assert cell_cents(cell) == csv_cents(text), (sheet, row, key)
            else:
                assert cell == text, (sheet, row, key)  # a note, kept as text
    (total_row, total_label, *_), body = table[-1], table[:-1]
    assert total_label == "TOTALE BUDGET" and ws_v[f"A{total_row}"].font.b
    for k, key in enumerate(keys):
        col = "BCD"[k]
        lines = {row: cell_cents(cells[k]) if not isinstance(cells[k], str) else None
                 for row, _, *cells in body}
        assert check_total(name, sheet, f"{col}{total_row}", csv_cents(want[-1][key]), lines)


def test_2021_confronto_equals_the_csv():
    _check_summary("Confronto 2020-2021", "CONFRONTO 2020 - 2021",
                   ["OBIETTIVI", "PO 2020", "PRE CONSUNTIVO 2020", "BUDGET 2021"],
                   "pp2021_confronto.csv", "obiettivo",
                   ["po_2020", "preconsuntivo_2020", "budget_2021"])
    ws = values("piano_programma_2021.xlsx", "Confronto 2020-2021")
    assert [ws["D15"].value, ws["D16"].value] == ["RISORSE COMUNE DI CREMA"] * 2


def test_2021_pluriennale_equals_the_csv():
    _check_summary("Budget pluriennale", "BUDGET PLURIENNALE 2021-2023",
                   ["AREE", "BUDGET 2021", "BUDGET 2022", "BUDGET 2023"],
                   "pp2021_pluriennale.csv", "area", ["budget_2021", "budget_2022", "budget_2023"])


# ------------------------------------------------------------- (2) 2018 vs the CSVs
def _walk_2018() -> tuple[list[tuple], dict[str, tuple[int, dict[int, int | None]]]]:
    """(obiettivo_n, obiettivo, azione, voce, cents) per line, and per obiettivo the
    TOTALE row with its line rows."""
    name, sheet = "piano_operativo_2018.xlsx", "Piano Operativo 2018"
    ws = values(name, sheet)
    assert ws["A1"].value == "PIANO OPERATIVO 2018" and ws["A1"].font.b
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:B1"]
    assert [ws["A2"].value, ws["B2"].value] == ["OBIETTIVI / AZIONI / VOCI DI COSTO",
                                                "BUDGET 2018"]
    assert ws["A2"].font.b and ws["B2"].font.b
    lines, totals = [], {}
    n = obiettivo = azione = None
    line_rows: dict[int, int | None] = {}
    for row in ws.iter_rows(min_row=3, max_col=3):
        label, value = row[0].value, row[1].value
        assert row[2].value is None
        if label is None:
            assert value is None
            continue
        heading = re.fullmatch(r"OBIETTIVO (\d+): (.*)|(\d+)\. (.*)", label)
        if label.startswith("TOTALE OBIETTIVO "):
            assert row[0].font.b and label == f"TOTALE OBIETTIVO {n}"
            totals[n] = (row[0].row, line_rows)
        elif heading and row[0].font.b:
            n = heading.group(1) or heading.group(3)
            obiettivo = heading.group(2) or heading.group(4)
            assert (heading.group(3) is not None) == (n == "15"), label
            azione, line_rows = None, {}
        elif row[0].font.b:
            assert value is None and label.startswith("Azione ")
            azione = label
        else:
            lines.append((n, obiettivo, azione, label, cell_cents(value)))
            line_rows[row[0].row] = cell_cents(value)
    return lines, totals


def test_2018_lines_are_the_csv():
    lines, _ = _walk_2018()
    want = [(r["obiettivo_n"], r["obiettivo"], r["azione"], r["voce"],
             csv_cents(r["importo_2018"])) for r in rows("po2018_lines.csv")]
    assert len(want) == 149
    assert sum(1 for w in want if w[4] is None) == 4
    assert lines == want


def test_2018_totals_equal_the_csv_and_are_sums_of_their_lines():
    _, totals = _walk_2018()
    stated = {r["obiettivo_n"]: csv_cents(r["totale_dichiarato_2018"])
              for r in rows("po2018_totals.csv")}
    assert list(totals) == list(stated) == [str(i) for i in range(1, 16)]
    for n, (row, line_rows) in totals.items():
        assert check_total("piano_operativo_2018.xlsx", "Piano Operativo 2018", f"B{row}",
                           stated[n], line_rows), n
    # every obiettivo of the document adds up, the badanti line of obiettivo 10 included
    for n, want in stated.items():
        assert sum(csv_cents(r["importo_2018"]) or 0 for r in rows("po2018_lines.csv")
                   if r["obiettivo_n"] == n) == want, n
    assert sum(stated.values()) == 1_008_973_782


def _check_triennial(header_row: int, title: str, csv_name: str) -> int:
    name, sheet = "piano_operativo_2018.xlsx", "Preventivo triennale"
    table = _table(name, sheet, header_row,
                   [title, "ANNO 2018", "ANNO 2019", "ANNO 2020", "TRIENNIO"])
    want = rows(csv_name)
    keys = ["anno_2018", "anno_2019", "anno_2020", "triennio"]
    assert [(label, *map(cell_cents, cells)) for _, label, *cells in table] == [
        (r["voce"], *(csv_cents(r[k]) for k in keys)) for r in want]
    for row, label, *cells in table[:-1]:  # TRIENNIO: =SUM(Bn:Dn) when the years add up
        consistent = sum(map(cell_cents, cells[:3])) == cell_cents(cells[3])
        f = formulas(name, sheet)[f"E{row}"].value
        assert f == f"=SUM(B{row}:D{row})" if consistent else isinstance(f, (int, float)), label
    total_row = table[-1][0]
    assert table[-1][1] == "TOTALE" and values(name, sheet)[f"A{total_row}"].font.b
    for k, col in enumerate("BCDE"):
        body = {row: cell_cents(cells[k]) for row, _, *cells in table[:-1]}
        assert check_total(name, sheet, f"{col}{total_row}", cell_cents(table[-1][2 + k]),
                           body)
    return total_row


def test_2018_triennale_equals_the_csvs():
    ws = values("piano_operativo_2018.xlsx", "Preventivo triennale")
    assert ws["A1"].value == "PIANO ECONOMICO – PREVENTIVO TRIENNALE" and ws["A1"].font.b
    last = _check_triennial(3, "MACRO BUDGET – VOCI DI COSTO", "po2018_triennale_costi.csv")
    assert all(c.value is None for c in ws[last + 1])
    _check_triennial(last + 2, "CANALI DI FINANZIAMENTO AGGREGATI RICAVI",
                     "po2018_triennale_canali.csv")


def test_every_amount_cell_has_the_euro_format():
    count = 0
    for name in SAMPLES:
        for ws in book(name, False).worksheets:
            if ws.title == "Regole PDZ":
                continue
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, (int, float)) or (
                            isinstance(c.value, str) and c.value.startswith("=")):
                        assert c.number_format == EUR_FORMAT, (name, ws.title, c.coordinate)
                        count += 1
    assert count == 863


# ------------------------------------------------- (3) cached values vs their formulas
def _evaluate(ws: Worksheet, formula: str) -> int:
    """Cents of ``=SUM(ranges)`` (text ignored, as spreadsheets do) or ``=A1±B2±...`` from
    the cells' (cached) values."""
    m = re.fullmatch(r"=SUM\((.*)\)", formula)
    if m:
        total = 0
        for ref in m.group(1).split(","):
            c1, r1, c2, r2 = range_boundaries(ref)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    v = ws.cell(r, c).value
                    total += 0 if isinstance(v, str) else cell_cents(v) or 0  # SUM skips text
        return total
    terms = re.findall(r"([+-]?)([A-Z]+[0-9]+)", formula[1:])
    assert "".join(s + ref for s, ref in terms) == formula[1:], f"formula non prevista {formula}"
    return sum((-1 if s == "-" else 1) * (cell_cents(ws[ref].value) or 0) for s, ref in terms)


def test_every_cached_value_equals_its_formula():
    checked = 0
    for name in SAMPLES:
        for ws_f in book(name, False).worksheets:
            ws_v = book(name, True)[ws_f.title]
            for row in ws_f.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        cached = ws_v[c.coordinate].value
                        assert cached is not None, (name, ws_f.title, c.coordinate)
                        assert cell_cents(cached) == _evaluate(ws_v, c.value), (
                            name, ws_f.title, c.coordinate, c.value)
                        checked += 1
    # 2021: 13 of the 18 TOTALE cells of the schede, 3 revenue totals, 3 + 3 summary
    # totals; 2018: 15 TOTALE OBIETTIVO, 15 + 9 TRIENNIO and 4 + 4 TOTALE cells
    assert checked == 69
