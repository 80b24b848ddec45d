"""More layouts of other offices, built by hand from the oracle figures (the real lines of
the 2018 and 2021 documents): each is read to the oracle — lines, sums to the cent,
groups, totals — or, where the layout leaves the reading open, says so with a finding.

Each builder writes the workbook the way an office makes it and returns what the reading
must be; the tests compare.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.styles import Alignment, Border, Side

from pdz_xl.changeset import Changeset
from pdz_xl.io.load import load_plan
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.layout.mapping import mapping_sheet
from pdz_xl.validate import validate_plan
from tests.support.office_books import (
    BOLD,
    PO_LEVELS,
    bold_heading,
    channel_columns,
    column_sum,
    line_cells,
    new_book,
    num,
    obiettivo_title,
    po_lines,
    pp_lines,
    save_book,
    used_channels,
    write_headers,
    write_hierarchy,
)
from tests.support.oracles import cents, rows

HEADER = {"FNPS": "FNPS 2021", "FSOL": "FSOL 2021", "FSR": "FSR 2021", "COMUNI": "COMUNI",
          "ATS": "FONDI ATS", "AVANZO_VINCOLATO": "AVANZO 2020 VINCOLATO",
          "AVANZO_NON_VINCOLATO": "AVANZO 2020 NON VINCOLATO",
          "ALTRI_FONDI_PROGETTUALI": "ALTRI FONDI PROGETTUALI"}
TOP = Border(top=Side(style="thin"))

def _po_want(lines: list[dict]) -> list[tuple]:
    return [((x["obiettivo"], x["azione"]), x["voce"], cents(x["importo_2018"])) for x in lines]


def _po_got(plan) -> list[tuple]:
    return [(tuple(ln.path), ln.voce, ln.amounts.get(2018)) for ln in plan.lines]


def _pp_want(lines: list[dict], channels=(), area: bool = True) -> list[tuple]:
    return [(tuple(p for p in ((r["area"] if area else ""), r["servizio"], r["azione"]) if p),
             r["voce"], cents(r["budget_2020"]), cents(r["budget_2021"]),
             {c: cents(r[c]) for c in channels if cents(r[c])}) for r in lines]


def _pp_got(plan) -> list[tuple]:
    return [(tuple(ln.path), ln.voce, ln.amounts.get(2020), ln.amounts.get(2021),
             {k: v for k, v in ln.channels.items() if v}) for ln in plan.lines]


def _po_totals() -> dict[str, int]:
    return {r["obiettivo_n"]: cents(r["totale_dichiarato_2018"])
            for r in rows("po2018_totals.csv")}


def _codes(plan, *prefixes: str, severities=("errore", "avviso")) -> list[tuple[str, str]]:
    return sorted((f.code, f.cell or "") for f in validate_plan(plan)
                  if f.code.startswith(prefixes) and f.severity in severities)


def _read(path: Path):
    """The Plan of a workbook; read again with the «_pdz» sheet «mappa» writes, the same."""
    plan = load_plan(path)
    mapped = path.with_name(f"{path.stem}-mappa.xlsx")
    apply_changeset(path, Changeset(sheets=[mapping_sheet(plan.layout)]), mapped)
    again = load_plan(mapped)
    assert [ln.model_dump() for ln in again.lines] == [ln.model_dump() for ln in plan.lines]
    assert [t.model_dump() for t in again.totals] == [t.model_dump() for t in plan.totals]
    return plan


def _obiettivo_total(totals: dict[str, int], label: str = "TOTALE OBIETTIVO", rows: int = 1,
                     col: int = 1, bold: bool = True):
    """The footer of an obiettivo: «label n» in bold and the declared total beside it."""
    def footer(ws, r, group):
        n = group.key[0]
        ws.cell(r, col, f"{label} {n}").font = BOLD
        cell = ws.cell(r, col + 1, totals[n] / 100)
        if bold:
            cell.font = BOLD
        return rows
    return footer


def _budget_cells(channels: list[str]):
    """Voce, budget 2020 and 2021, then the channels' split."""
    return line_cells(amounts={2: "budget_2020", 3: "budget_2021"},
                      channels=channel_columns(channels, 4))

# 1 ─ costs and revenues on one sheet, «QUADRO ECONOMICO», sections «A) USCITE» «B) ENTRATE»
def test_quadro_economico_costs_and_revenues_on_one_sheet(tmp_path):
    lines = pp_lines(1, 2, 3)
    channels = used_channels(lines)
    wb, ws = new_book("Quadro economico")
    ws["A1"] = "QUADRO ECONOMICO - PIANO DI ZONA 2021"
    ws["A1"].font = BOLD
    ws["A3"] = "A) USCITE"
    ws["A3"].font = BOLD
    write_headers(ws, 4, ["Descrizione", "Budget 2021"])
    r = write_hierarchy(ws, lines, 5, line_cells(amounts={2: "budget_2021"}),
                        levels=("servizio", "azione"))
    total = column_sum(lines, "budget_2021")
    ws.cell(r, 1, "TOTALE USCITE (A)").font = BOLD
    ws.cell(r, 2, float(total)).font = BOLD
    r += 2
    ws.cell(r, 1, "B) ENTRATE").font = BOLD
    revenue = {ch: column_sum(lines, ch) for ch in channels}
    for ch in channels:
        r += 1
        ws.cell(r, 1, HEADER[ch] if "20" in HEADER[ch] else f"{HEADER[ch]} 2021")
        ws.cell(r, 2, float(revenue[ch]))
    ws.cell(r + 1, 1, "TOTALE ENTRATE (B)").font = BOLD
    ws.cell(r + 1, 2, float(total)).font = BOLD
    ws.cell(r + 3, 1, "SALDO (B - A)").font = BOLD
    ws.cell(r + 3, 2, 0)
    plan = _read(save_book(wb, tmp_path / "quadro.xlsx"))
    got = [(tuple(ln.path), ln.voce, ln.amounts.get(2021)) for ln in plan.lines]
    assert got == [((x["servizio"], x["azione"]), x["voce"], cents(x["budget_2021"]))
                   for x in lines]
    assert sum(ln.amount(2021) for ln in plan.lines) == int(total * 100)
    items = {i.channel: i.amount for i in plan.revenues if i.kind == "item"}
    assert items == {ch: int(v * 100) for ch, v in revenue.items()}
    assert [t.label for t in plan.totals] == ["TOTALE USCITE (A)"]
    assert _codes(plan, "PDZ0", "PDZ2", "PDZ3", "PDZ4") == []


# 2 ─ a column «Cod. intervento» with SIOSS-like codes beside the voci
def test_sioss_codes_column(tmp_path):
    lines = po_lines(6)
    totals = _po_totals()
    wb, ws = new_book("PO 2018")
    write_headers(ws, 1, ["Cod. intervento", "Obiettivo / Azione / Voce", "Importo 2018"])
    letters = "ABCDEF"
    cells = line_cells(2, {3: "importo_2018"})

    def line(ws, r, x, at):
        ws.cell(r, 1, f"{letters[int(x['obiettivo_n']) % 6]}{at[1]}.{at[2]:02d}")
        cells(ws, r, x)

    write_hierarchy(ws, lines, 2, line, heading=bold_heading(2, title=obiettivo_title()),
                    levels=PO_LEVELS,
                    footers={PO_LEVELS[0]: _obiettivo_total(totals, col=2, bold=False)})
    plan = _read(save_book(wb, tmp_path / "sioss.xlsx"))
    assert _po_got(plan) == _po_want(lines)
    assert [(t.label, t.amounts[2018], len(t.line_ids)) for t in plan.totals] == [
        (f"TOTALE OBIETTIVO {n}", totals[n], sum(x["obiettivo_n"] == n for x in lines))
        for n in map(str, range(1, 7))]
    assert _codes(plan, "PDZ0", "PDZ2") == []


# 3 ─ amounts in thousands of euro, said by a note over the table
def _thousands_book(path: Path, stated: str | None) -> tuple[Path, list[dict]]:
    lines = po_lines(5)
    wb, ws = new_book("Piano 2018")
    ws["A1"] = "PIANO OPERATIVO 2018"
    ws["A2"] = "(importi in migliaia di euro)"
    write_headers(ws, 4, ["Obiettivo / Azione / Voce", "Previsione 2018"])

    def line(ws, r, x, at):
        ws.cell(r, 1, x["voce"])
        if x["importo_2018"]:
            ws.cell(r, 2, float(Decimal(x["importo_2018"]) / 1000))

    write_hierarchy(ws, lines, 5, line, heading=bold_heading(title=obiettivo_title(": ")),
                    levels=PO_LEVELS)
    if stated is not None:
        cfg = wb.create_sheet("_pdz")
        cfg.append(["importi", stated])
    return save_book(wb, path), lines


def test_amounts_in_thousands_are_never_read_as_euro_in_silence(tmp_path):
    path, lines = _thousands_book(tmp_path / "migliaia.xlsx", None)
    plan = _read(path)
    assert len(plan.lines) == len(lines)
    found = [(f.code, f.severity, f.cell) for f in validate_plan(plan) if f.code == "PDZ015"]
    assert found == [("PDZ015", "errore", "Piano 2018!A2")]
    assert any("migliaia" in a for a in plan.ambiguities)


def test_amounts_in_thousands_stated_in_pdz(tmp_path):
    path, lines = _thousands_book(tmp_path / "migliaia.xlsx", "migliaia")
    plan = _read(path)
    assert _po_got(plan) == _po_want(lines)
    assert sum(ln.amount(2018) for ln in plan.lines) == int(column_sum(lines, "importo_2018") * 100)
    assert [f.code for f in validate_plan(plan) if f.code in ("PDZ015", "PDZ010")] == []
    path, _ = _thousands_book(tmp_path / "euro.xlsx", "euro")
    plan = _read(path)
    assert plan.lines[0].amounts[2018] == 1200  # 12,00: as written, the user said so
    assert [f.code for f in validate_plan(plan) if f.code == "PDZ015"] == []


# 4 ─ Obiettivo and Azione in merged cells spanning their rows vertically
def test_obiettivo_and_azione_merged_vertically(tmp_path):
    lines = po_lines(15)
    wb, ws = new_book("Budget")
    write_headers(ws, 1, ["Obiettivo", "Azione", "Voce di spesa", "Importo 2018"])

    def merged(col):
        def footer(ws, r, group):
            ws.cell(group.first_row, col, group.key).alignment = Alignment(
                vertical="center", wrap_text=True)
            if r - 1 > group.first_row:
                ws.merge_cells(start_row=group.first_row, end_row=r - 1,
                               start_column=col, end_column=col)
            return 0
        return footer

    write_hierarchy(ws, lines, 2, line_cells(3, {4: "importo_2018"}),
                    heading=lambda ws, r, group: 0, levels=("obiettivo", "azione"),
                    footers={"azione": merged(2), "obiettivo": merged(1)})
    plan = _read(save_book(wb, tmp_path / "unite.xlsx"))
    assert _po_got(plan) == _po_want(lines)
    assert [g.level for g in plan.lines[0].groups] == ["obiettivo", "azione"]
    assert sum(ln.amount(2018) for ln in plan.lines) == 1_008_973_782


# 5 ─ blank spacer columns between the label and the amounts (and between amounts)
def test_blank_spacer_columns(tmp_path):
    lines = pp_lines(1, 2, 3, 4, 5)
    channels = used_channels(lines)
    wb, ws = new_book("Budget 2021")
    cols = {"2020": 4, "2021": 6} | {ch: 8 + k for k, ch in enumerate(channels)}
    ws.cell(1, 1, "Voce").font = BOLD
    ws.cell(1, 4, "Budget 2020").font = BOLD
    ws.cell(1, 6, "Budget 2021").font = BOLD
    for ch in channels:
        ws.cell(1, cols[ch], HEADER[ch]).font = BOLD
    for c in (2, 3, 5, 7):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 2
    write_hierarchy(ws, lines, 2, line_cells(amounts={4: "budget_2020", 6: "budget_2021"},
                                             channels={cols[ch]: ch for ch in channels}))
    plan = _read(save_book(wb, tmp_path / "spazi.xlsx"))
    assert _pp_got(plan) == _pp_want(lines, channels)
    assert _codes(plan, "PDZ0", "PDZ1") == []


# 6 ─ the plan year with its split, then the next years' estimates without a split
def test_split_for_the_plan_year_then_estimates(tmp_path):
    lines = pp_lines(1, 2, 3)
    channels = used_channels(lines)
    wb, ws = new_book("Budget")
    names = ["Voce", "Budget 2021", *(HEADER[c] for c in channels),
             "Previsione 2022", "Previsione 2023"]
    write_headers(ws, 1, names)
    later = 3 + len(channels)
    write_hierarchy(ws, lines, 2, line_cells(
        amounts={2: "budget_2021", later: "budget_2021", later + 1: "budget_2021"},
        channels=channel_columns(channels, 3)), levels=("azione",))
    plan = _read(save_book(wb, tmp_path / "stime.xlsx"))
    assert plan.plan_year == 2021
    got = [(ln.voce, ln.amounts.get(2021), {k: v for k, v in ln.channels.items() if v})
           for ln in plan.lines]
    assert got == [(x["voce"], cents(x["budget_2021"]),
                    {c: cents(x[c]) for c in channels if cents(x[c])}) for x in lines]
    assert _codes(plan, "PDZ1") == []


# 7 ─ several «di cui» rows under lines, with totals that would count them twice
def test_several_di_cui_rows_under_lines(tmp_path):
    lines = po_lines(5)
    totals = _po_totals()
    wb, ws = new_book("PO 2018")
    write_headers(ws, 1, ["Descrizione", "Importo 2018"])
    cells = line_cells(amounts={2: "importo_2018"})

    def line(ws, r, x, at):
        cells(ws, r, x)
        amount = Decimal(x["importo_2018"] or 0)
        if amount <= 50000:
            return 1
        ws.cell(r + 1, 1, "di cui personale")
        ws.cell(r + 1, 2, float((amount * Decimal("0.6")).quantize(Decimal("0.01"))))
        ws.cell(r + 2, 1, "di cui spese generali")
        ws.cell(r + 2, 2, float((amount * Decimal("0.1")).quantize(Decimal("0.01"))))
        return 3

    write_hierarchy(ws, lines, 2, line, heading=bold_heading(title=obiettivo_title()),
                    levels=PO_LEVELS, footers={PO_LEVELS[0]: _obiettivo_total(totals)})
    parts = 2 * sum(Decimal(x["importo_2018"] or 0) > 50000 for x in lines)
    plan = _read(save_book(wb, tmp_path / "dicui.xlsx"))
    assert _po_got(plan) == _po_want(lines)
    assert parts > 4
    assert len([n for n in plan.notes if n.code == "PDZ014"]) == parts
    assert [(t.amounts[2018], len(t.line_ids)) for t in plan.totals] == [
        (totals[n], sum(x["obiettivo_n"] == n for x in lines)) for n in map(str, range(1, 6))]
    assert _codes(plan, "PDZ0", "PDZ2") == []


# 8 ─ a «Totale generale» at the top, the obiettivi's totals under their lines
def test_totale_generale_at_the_top(tmp_path):
    lines = po_lines(15)
    totals = _po_totals()
    wb, ws = new_book("Piano")
    write_headers(ws, 1, ["Obiettivo / Azione / Voce", "Budget 2018"])
    grand = column_sum(lines, "importo_2018")
    ws.cell(2, 1, "TOTALE GENERALE").font = BOLD
    ws.cell(2, 2, float(grand)).font = BOLD
    write_hierarchy(ws, lines, 4, line_cells(amounts={2: "importo_2018"}),
                    heading=bold_heading(title=obiettivo_title(": ")), levels=PO_LEVELS,
                    footers={PO_LEVELS[0]: _obiettivo_total(totals, "Totale obiettivo", 2)})
    plan = _read(save_book(wb, tmp_path / "totale_in_alto.xlsx"))
    assert _po_got(plan) == _po_want(lines)
    got = sorted((t.label, t.amounts[2018], len(t.line_ids)) for t in plan.totals)
    want = sorted([("TOTALE GENERALE", int(grand * 100), len(lines))] + [
        (f"Totale obiettivo {n}", totals[n], sum(x["obiettivo_n"] == n for x in lines))
        for n in map(str, range(1, 16))])
    assert got == want
    assert _codes(plan, "PDZ0", "PDZ2") == []


# 9 ─ subtotals without any word: bold amounts with a top border
def test_subtotals_bold_with_a_top_border_and_no_word(tmp_path):
    lines = pp_lines(1, 2, 3, 4, 5)
    wb, ws = new_book("Budget")
    write_headers(ws, 1, ["Voce", "Budget 2020", "Budget 2021"])
    subtotals = []

    def subtotal(ws, r, group):
        for c, key in ((2, "budget_2020"), (3, "budget_2021")):
            cell = ws.cell(r, c, float(column_sum(group.lines, key)))
            cell.font, cell.border = BOLD, TOP
        subtotals.append((int(column_sum(group.lines, "budget_2021") * 100), len(group.lines)))
        return 2

    write_hierarchy(ws, lines, 2, line_cells(amounts={2: "budget_2020", 3: "budget_2021"}),
                    levels=("servizio", "azione"), footers={"servizio": subtotal})
    plan = _read(save_book(wb, tmp_path / "bordi.xlsx"))
    assert _pp_got(plan) == _pp_want(lines, area=False)
    assert [(t.amounts[2021], len(t.line_ids)) for t in plan.totals] == subtotals
    assert _codes(plan, "PDZ0", "PDZ2") == []


# 10 ─ frozen panes and a filter left on (the rows of other obiettivi hidden)
def test_frozen_panes_and_a_filter_left_on(tmp_path):
    lines = po_lines(15)
    wb, ws = new_book("Elenco voci")
    ws["A1"] = "Piano operativo 2018 - elenco delle voci di spesa"
    write_headers(ws, 3, ["Obiettivo", "Azione", "Voce di spesa", "Importo 2018"])
    hidden = 0
    for r, x in enumerate(lines, 4):
        ws.append([x["obiettivo"], x["azione"], x["voce"], num(x["importo_2018"])])
        if x["obiettivo_n"] != "5":
            ws.row_dimensions[r].hidden = True
            hidden += bool(cents(x["importo_2018"]))
    ws.freeze_panes = "D4"
    ws.auto_filter.ref = f"A3:D{3 + len(lines)}"
    ws.auto_filter.add_filter_column(0, ["GESTIONE ASSOCIATA"])
    plan = _read(save_book(wb, tmp_path / "filtro.xlsx"))
    assert _po_got(plan) == _po_want(lines)
    assert len([f for f in validate_plan(plan) if f.code == "PDZ005"]) == hidden


# 11 ─ a voce wrapped over two rows: the description goes on in the next row, no amount
def _wrap(text: str) -> tuple[str, str] | None:
    """Split before a lower-case word past the 18th character, as a pasted wrap does."""
    words = text.split(" ")
    for k in range(1, len(words)):
        head = " ".join(words[:k])
        if len(head) >= 18 and words[k][:1].islower():
            return head, " ".join(words[k:])
    return None


def test_voci_wrapped_over_two_rows(tmp_path):
    lines = po_lines(15)
    wb, ws = new_book("PO 2018")
    write_headers(ws, 1, ["Voce", "Importo 2018"])

    def line(ws, r, x, at):
        parts = _wrap(x["voce"])
        ws.cell(r, 1, parts[0] if parts else x["voce"])
        ws.cell(r, 2, num(x["importo_2018"]))
        if not parts:
            return 1
        ws.cell(r + 1, 1, parts[1])
        return 2

    write_hierarchy(ws, lines, 2, line, heading=bold_heading(title=obiettivo_title()),
                    levels=PO_LEVELS)
    wrapped = sum(_wrap(x["voce"]) is not None for x in lines)
    plan = _read(save_book(wb, tmp_path / "a_capo.xlsx"))
    assert wrapped > 10
    assert _po_got(plan) == _po_want(lines)


# 12 ─ negative rows: a «rettifica» and «minori entrate» among the lines
def test_negative_rows_rettifiche(tmp_path):
    lines = po_lines(6)
    extra = {"Azione 1: Gestione servizi accreditati": [
        ("Rettifica quota anno precedente", "-1500.00"),
        ("Minori entrate da compartecipazione utenti", "-2300.50")]}
    wb, ws = new_book("PO 2018")
    write_headers(ws, 1, ["Obiettivo / Azione / Voce", "Importo 2018"])
    want, negatives = [], []
    cells = line_cells(amounts={2: "importo_2018"})

    def line(ws, r, x, at):
        cells(ws, r, x)
        want.append(((x["obiettivo"], x["azione"]), x["voce"], cents(x["importo_2018"])))

    def rettifiche(ws, r, group):
        (n, name), azione = group.outer[0].key, group.key
        added = extra.get(azione, []) if n == "5" else []
        for k, (voce, amount) in enumerate(added):
            ws.cell(r + k, 1, voce)
            ws.cell(r + k, 2, float(amount))
            want.append(((name, azione), voce, cents(amount)))
            negatives.append(f"PO 2018!B{r + k}")
        return len(added)

    def obiettivo_sum(ws, r, group):
        ws.cell(r, 1, f"TOTALE OBIETTIVO {group.key[0]}").font = BOLD
        ws.cell(r, 2, f"=SUM(B{group.first_row + 1}:B{r - 1})")

    write_hierarchy(ws, lines, 2, line, heading=bold_heading(title=obiettivo_title()),
                    levels=PO_LEVELS, footers={"azione": rettifiche, PO_LEVELS[0]: obiettivo_sum})
    assert len(negatives) == 2
    plan = _read(save_book(wb, tmp_path / "rettifiche.xlsx"))
    assert _po_got(plan) == want
    assert sum(ln.amount(2018) for ln in plan.lines) == sum(w[2] or 0 for w in want)
    assert sorted(f.cell for f in validate_plan(plan) if f.code == "PDZ104") == sorted(negatives)
    assert _codes(plan, "PDZ0", "PDZ2") == []


# 13 ─ headers «Anno 2021 (€)», «Quota FNPS (€)»
def test_anno_euro_headers(tmp_path):
    lines = pp_lines(1, 2, 3, 5)
    channels = used_channels(lines)
    wb, ws = new_book("Budget")
    short = {"AVANZO_VINCOLATO": "Avanzo vincolato", "AVANZO_NON_VINCOLATO":
             "Avanzo non vincolato", "ALTRI_FONDI_PROGETTUALI": "Altri fondi progettuali",
             "ATS": "Fondi ATS", "COMUNI": "Comuni"}
    write_headers(ws, 1, ["Voce di costo", "Anno 2020 (€)", "Anno 2021 (€)",
                     *(f"Quota {short.get(c, c)} (€)" for c in channels)])
    write_hierarchy(ws, lines, 2, _budget_cells(channels))
    plan = _read(save_book(wb, tmp_path / "anno_euro.xlsx"))
    assert plan.plan_year == 2021
    assert _pp_got(plan) == _pp_want(lines, channels)
    assert _codes(plan, "PDZ0", "PDZ1") == []


# 14 ─ a summary sheet of VLOOKUP / INDIRECT formulas (with their cached values)
def test_summary_with_vlookup_and_indirect(tmp_path):
    lines = po_lines(15)
    totals = _po_totals()
    path = tmp_path / "cerca.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("Dettaglio")
    ws.write_row(0, 0, ["Obiettivo / Azione / Voce", "Importo 2018"], bold)
    total_rows = {}
    title = obiettivo_title()

    def heading(ws, r, group):
        ws.write_string(r, 0, title(group), bold)

    def line(ws, r, x, at):
        ws.write_string(r, 0, x["voce"])
        if x["importo_2018"]:
            ws.write_number(r, 1, float(x["importo_2018"]))

    def obiettivo_total(ws, r, group):
        n = group.key[0]
        ws.write_string(r, 0, f"TOTALE OBIETTIVO {n}", bold)
        ws.write_number(r, 1, totals[n] / 100, bold)
        total_rows[n] = r + 1

    write_hierarchy(ws, lines, 1, line, heading=heading, levels=PO_LEVELS,
                    footers={PO_LEVELS[0]: obiettivo_total})
    s = wb.add_worksheet("Riepilogo")
    s.write_row(0, 0, ["Obiettivo", "Totale 2018"], bold)
    for k, (n, name) in enumerate(dict.fromkeys((x["obiettivo_n"], x["obiettivo"])
                                                for x in lines), 1):
        s.write_string(k, 0, name)
        formula = (f'=VLOOKUP("TOTALE OBIETTIVO {n}",Dettaglio!A:B,2,FALSE)' if k % 2 else
                   f'=INDIRECT("Dettaglio!B"&{total_rows[n]})')
        s.write_formula(k, 1, formula, None, totals[n] / 100)
    s.write_string(16, 0, "TOTALE", bold)
    s.write_formula(16, 1, "=SUM(B2:B16)", bold, sum(totals.values()) / 100)
    wb.close()
    plan = _read(path)
    assert _po_got(plan) == _po_want(lines)
    assert [x.sheet for x in plan.summaries] == ["Riepilogo"]
    assert len(plan.totals) == 15
    assert _codes(plan, "PDZ0", "PDZ2", "PDZ3") == []


# 15 ─ an export from the accounting program: «Missione | Programma | Capitolo | Art. |
# Descrizione | Stanziamento», the year in the title only
def test_accounting_program_export(tmp_path):
    lines = pp_lines(1, 2, 3, 4, 5, 6)
    wb, ws = new_book("Export")
    ws["A1"] = "Bilancio di previsione 2021 - Parte spesa - Stanziamenti per capitolo"
    write_headers(ws, 3, ["Missione", "Programma", "Capitolo", "Art.", "Descrizione",
                     "Stanziamento"])
    for k, x in enumerate(lines):
        ws.append([12, 7, 10400 + k // 4, k % 4 + 1, x["voce"], num(x["budget_2021"])])
    plan = _read(save_book(wb, tmp_path / "gestionale.xlsx"))
    assert plan.plan_year == 2021
    assert [(ln.voce, ln.amounts.get(2021)) for ln in plan.lines] == [
        (x["voce"], cents(x["budget_2021"])) for x in lines]
    assert sum(ln.amount(2021) for ln in plan.lines) == int(column_sum(lines, "budget_2021") * 100)
    assert _codes(plan, "PDZ0") == []


# 16 ─ a long export sorted by year then voce: the rows of one line are not adjacent
def test_long_export_sorted_by_year_then_voce(tmp_path):
    lines = pp_lines(1, 2, 3, 4, 5)
    wb, ws = new_book("Estrazione")
    ws.append(["Anno", "Cod. voce", "Area", "Servizio", "Azione", "Voce", "Importo"])
    records = []
    for k, x in enumerate(lines, 1):
        for year in (2020, 2021):
            amount = x[f"budget_{year}"]
            if amount:
                records.append((year, x["voce"], f"V{k:03d}", x, amount))
    for year, _, code, x, amount in sorted(records, key=lambda t: (t[0], t[1], t[2])):
        ws.append([year, code, x["area"], x["servizio"] or None, x["azione"], x["voce"],
                   float(amount)])
    plan = _read(save_book(wb, tmp_path / "lungo.xlsx"))
    got = sorted(_pp_got(plan), key=repr)
    assert got == sorted(_pp_want(lines), key=repr)
    assert _codes(plan, "PDZ0") == []


# 17 ─ a three-row header band: «BUDGET» over the years, «FONTI DI FINANZIAMENTO 2021»
# merged over the channels, «(euro)» under all
def test_three_row_header_band(tmp_path):
    lines = pp_lines(1, 2, 3, 5)
    channels = used_channels(lines)
    wb, ws = new_book("Budget")
    last = 3 + len(channels)
    ws["A3"] = "Voce di costo"
    ws.merge_cells("A3:A5")
    ws["B3"] = "BUDGET"
    ws.merge_cells("B3:C3")
    ws.cell(3, 4, "FONTI DI FINANZIAMENTO 2021")
    ws.merge_cells(start_row=3, end_row=3, start_column=4, end_column=last)
    ws["B4"], ws["C4"] = "2020", "2021"
    for k, ch in enumerate(channels, 4):
        ws.cell(4, k, HEADER[ch].replace(" 2021", ""))
    for c in range(2, last + 1):
        ws.cell(5, c, "(euro)")
    write_hierarchy(ws, lines, 6, _budget_cells(channels), levels=("servizio", "azione"))
    plan = _read(save_book(wb, tmp_path / "tre_righe.xlsx"))
    assert plan.plan_year == 2021
    assert _pp_got(plan) == _pp_want(lines, channels, area=False)
    assert _codes(plan, "PDZ0", "PDZ1") == []


# 18 ─ a numbering column «N.» (1 / 1.1 / 1.1.1) as the only sign of the hierarchy
def test_hierarchical_number_column(tmp_path):
    lines = po_lines(15)
    wb, ws = new_book("PO")
    write_headers(ws, 1, ["N.", "Descrizione", "Importo 2018"])
    cells = line_cells(2, {3: "importo_2018"})

    def heading(ws, r, group):
        n = group.lines[0]["obiettivo_n"]
        if group.level == "azione":
            ws.cell(r, 1, f"{n}.{group.at[1]}")
            ws.cell(r, 2, group.key)
        else:
            ws.cell(r, 1, n)
            ws.cell(r, 2, group.key[1])

    def line(ws, r, x, at):
        ws.cell(r, 1, f"{x['obiettivo_n']}.{at[1]}.{at[2]}")
        cells(ws, r, x)

    write_hierarchy(ws, lines, 2, line, heading=heading, levels=PO_LEVELS)
    plan = _read(save_book(wb, tmp_path / "numeri.xlsx"))
    assert _po_got(plan) == _po_want(lines)
    assert [g.level for g in plan.lines[0].groups] == ["obiettivo", "azione"]


# 19 ─ the header rows repeated down the sheet (copied at each printed page)
def test_header_repeated_at_each_page(tmp_path):
    lines = po_lines(15)
    totals = _po_totals()
    wb, ws = new_book("PO 2018")
    names = ["Obiettivo / Azione / Voce", "Importo 2018"]
    write_headers(ws, 1, names)
    cells = line_cells(amounts={2: "importo_2018"})

    def line(ws, r, x, at):
        if r % 45:
            return cells(ws, r, x)
        write_headers(ws, r, names)
        cells(ws, r + 1, x)
        return 2

    write_hierarchy(ws, lines, 2, line, heading=bold_heading(title=obiettivo_title()),
                    levels=PO_LEVELS, footers={PO_LEVELS[0]: _obiettivo_total(totals)})
    plan = _read(save_book(wb, tmp_path / "ripetuta.xlsx"))
    assert _po_got(plan) == _po_want(lines)
    assert [(t.amounts[2018], len(t.line_ids)) for t in plan.totals] == [
        (totals[n], sum(x["obiettivo_n"] == n for x in lines)) for n in map(str, range(1, 16))]
    assert _codes(plan, "PDZ0", "PDZ2") == []


# 20 ─ the budget, then below it the previous year's consuntivo of the same voci
def test_consuntivo_table_below_the_budget(tmp_path):
    lines = pp_lines(1, 2, 3)
    wb, ws = new_book("Budget")
    write_headers(ws, 1, ["Voce", "Budget 2021"])
    r = write_hierarchy(ws, lines, 2, line_cells(amounts={2: "budget_2021"}),
                        levels=("azione",))
    ws.cell(r, 1, "TOTALE").font = BOLD
    ws.cell(r, 2, float(column_sum(lines, "budget_2021"))).font = BOLD
    r += 3
    ws.cell(r, 1, "CONSUNTIVO 2020").font = BOLD
    write_headers(ws, r + 1, ["Voce", "Consuntivo 2020"])
    second = r + 1
    r = write_hierarchy(ws, lines, r + 2, line_cells(amounts={2: "budget_2020"}),
                        levels=("azione",))
    ws.cell(r, 1, "TOTALE").font = BOLD
    ws.cell(r, 2, float(column_sum(lines, "budget_2020"))).font = BOLD
    plan = _read(save_book(wb, tmp_path / "consuntivo.xlsx"))
    assert plan.plan_year == 2021
    assert [(ln.voce, ln.amounts.get(2021)) for ln in plan.lines] == [
        (x["voce"], cents(x["budget_2021"])) for x in lines]
    assert sum(ln.amount(2021) for ln in plan.lines) == int(column_sum(lines, "budget_2021") * 100)
    assert [t.label for t in plan.totals] == ["TOTALE"]
    assert _codes(plan, "PDZ0", "PDZ2") == [("PDZ012", f"Budget!A{second}")]
