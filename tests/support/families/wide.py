"""The generic builder: executes a :class:`.layout.Layout` over one dataset.

Wide layouts — one column per year and per channel — cover most offices' workbooks: the
documents' own schede, single tables, flat lists with group columns, staircases, indented
or outlined hierarchies, totals below, above or on their headings. The builder writes the
oracle lines in document order, the documents' stated totals where the layout puts them (a
formula when the document's number equals its lines, the typed number when it does not),
and whatever the layout adds (per-azione subtotals, a grand total, derived columns) as
formulas — or typed values — that reconcile exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..oracles import OracleLine
from . import extras
from .canvas import EUR, PERCENT, Canvas, SheetCanvas, a1
from .dataset import CostLine, Group, Node, load
from .expected import (
    CellRef,
    Expected,
    ExpectedTotal,
    Generated,
    LineCells,
    Manifest,
    TotalCell,
)
from .findings import CONFRONTO_2021, PLURIENNALE_2021, REVENUE_2021, SLIPS_2021
from .layout import Layout
from .texts import (
    CHANNEL_HEADERS,
    COMMENT,
    FOOTNOTE,
    NOTES,
    TITLES,
    caps,
    money_text,
    numbered,
    obiettivo_heading,
    year_header,
)

HEADER = dict(extras.HEADER)
GROUP_TITLES = {"2021": ["Area", "Servizio", "Azione", "Voce"],
                "2018": ["Obiettivo", "Azione", "Voce"]}
LEVEL_COL = {"area": 0, "servizio": 1, "azione": 2, "obiettivo": 0}
LEVEL_COL_2018 = {"obiettivo": 0, "azione": 1}
INDENT = {"2021": {"area": 0, "servizio": 1, "azione": 2, "voce": 3},
          "2018": {"obiettivo": 0, "azione": 1, "voce": 2}}
AREA_SHEETS = {
    "AREA SERVIZI AZIENDALI": "Servizi aziendali",
    "AREA GESTIONE ASSOCIATA SERVIZI": "Gestione associata",
    "AREA PROGETTAZIONE": "Progettazione",
    "AREA MISURE DISTRETTUALI E REGIONALI": "Misure distrettuali",
    "AREA UFFICIO DI PIANO": "Ufficio di piano",
}
ONE_SHEET = {"2021": "Budget 2021", "2018": "Piano Operativo 2018"}
COLLAPSED_TOP = {"2021": 5, "2018": 4}  # the area / obiettivo whose outline is closed


@dataclass
class Cols:
    """Where each column of one table is (0-based)."""

    labels: list[int]
    years: dict[int, int]
    channels: dict[str, int]
    numero: int | None = None
    codice: int | None = None
    vuota: int | None = None
    triennio: int | None = None
    percent: int | None = None
    note: int | None = None
    last: int = 0


@dataclass
class TotalPlan:
    """A total row to write: the group it closes (None: every line), its kind and label."""

    node: Node | None
    kind: str  # documento | azione | generale
    label: str
    stated: dict[int, int]
    cells: dict[int, CellRef] = field(default_factory=dict)
    triennio: CellRef | None = None


class WideBuilder:
    """Lays one Layout out; ``build(path)`` writes the workbook and returns what to read."""

    def __init__(self, layout: Layout) -> None:
        problems = layout.problems()
        if problems:
            raise ValueError("layout senza senso: " + "; ".join(problems))
        self.L = layout
        self.ds = load(layout.dataset)
        self.years = (2018, 2019, 2020) if layout.years == "triennio" else self.ds.years
        self.canvas = Canvas()
        self.m = Manifest(self.ds.name, lines=[LineCells() for _ in self.ds.lines],
                          oracle_paths=layout.hierarchy != "numerazione")
        self.expected_lines: dict[int, OracleLine] = {}
        self.line_pos: dict[tuple[int, int], CellRef] = {}
        self.totals: list[TotalPlan] = []
        self.expected_totals: list[ExpectedTotal] = []
        self.cols: Cols | None = None
        self.table_id: int | None = None
        self.last: str | None = None
        self.prev_groups: tuple[str | None, ...] = ()
        self.first_header: dict[str, int] = {}
        self.width: dict[str, int] = {}
        self.spans: dict[tuple[str, ...], tuple[str, int, int]] = {}
        self.hidden_line = next(
            ln.index for ln in self.ds.lines
            if ln.index >= 10 and ln.amount(self.ds.plan_year))

    # ------------------------------------------------------------------ texts
    def heading_text(self, groups: tuple[Group, ...], i: int) -> str:
        """A group's text as this layout writes it."""
        g = groups[i]
        parent = groups[i - 1] if i else None
        numbering = self.L.hierarchy == "numerazione"
        if g.level == "obiettivo":
            if numbering:
                return numbered(g, None, self.L.numbering_chapter)
            return g.name if self.L.hierarchy == "colonne" else obiettivo_heading(g)
        if g.level == "azione" and numbering:
            return numbered(g, parent, self.L.numbering_chapter)
        return g.name

    def path_text(self, groups: tuple[Group, ...], i: int) -> str:
        """The reader's path element: the text as written, obiettivi without numbering."""
        return groups[i].name if groups[i].level == "obiettivo" else \
            self.heading_text(groups, i)

    def node_groups(self, node: Node) -> tuple[Group, ...]:
        return node.lines()[0].groups[:node.depth + 1]

    def amount(self, ln: CostLine, year: int) -> int | None:
        return ln.amount(2018) if self.L.years == "triennio" else ln.amount(year)

    # ------------------------------------------------------------------ build
    def build(self, path: Path) -> Generated:
        L, ds = self.L, self.ds
        tops = ds.tree()
        if L.summary_sheet:
            self.canvas.sheet("Riepilogo")  # the summary comes first, as offices put it
        if L.sheets == "per-gruppo":
            plan = [(AREA_SHEETS[t.group.name] if ds.name == "2021"
                     else f"Obiettivo {t.group.number}", [t]) for t in tops]
        else:
            plan = [(ONE_SHEET[ds.name], tops)]
        for name, nodes in plan:
            self._sheet(name, nodes)
        if L.hidden == "gruppo-chiuso":
            self._collapse(next(t for t in tops if t.group.number == COLLAPSED_TOP[ds.name]))
        self._fill_totals()
        revenues = self._rest(plan[0][0])
        self.canvas.save(path)
        expected = Expected(
            plan_year=ds.plan_year, comparison_year=ds.comparison_year,
            lines=[self.expected_lines[i] for i in range(len(ds.lines))],
            totals=self.expected_totals, findings=self._findings(),
            note_codes=self._note_codes(), revenues=revenues)
        return Generated(expected, self.m)

    def _findings(self) -> list:
        if self.ds.name != "2021":
            return []
        out = []
        if self.L.has_document_totals:
            out += SLIPS_2021
        if self.L.revenue != "nessuna":
            out += REVENUE_2021
        if self.L.summaries:
            out += CONFRONTO_2021 + PLURIENNALE_2021
        return list(out)

    def _note_codes(self) -> set[str]:
        codes = set()
        if self.L.text_amounts:
            codes.add("PDZ001")
        if self.L.hidden != "nessuna":
            codes.add("PDZ005")
        if set(self.L.extra_columns) & {"numero", "codice", "note", "percentuale"} \
                or self.L.years == "triennio":
            codes.add("PDZ003")  # a column that is neither line amount nor channel
        return codes

    def _rest(self, first_sheet: str) -> list[tuple[str | None, int | None]] | None:
        """Revenue table, summaries and the Riepilogo, where the layout puts them."""
        L, c = self.L, self.canvas
        revenues = None
        if L.revenue == "affiancata":
            revenues = extras.revenue_table(c, first_sheet, self.first_header[first_sheet],
                                            self.width[first_sheet] + 2, self.m,
                                            L.channel_names, title=False).items
        elif L.revenue == "foglio" and L.summaries_together:
            sheet = "Entrate e riepiloghi"
            rev = extras.revenue_table(c, sheet, 2, 0, self.m, L.channel_names)
            revenues = rev.items
            nxt = extras.confronto(c, sheet, rev.next_row + 2)
            extras.pluriennale(c, sheet, nxt + 2)
        elif L.revenue == "foglio":
            revenues = extras.revenue_table(c, "Canali 2021", 2, 0, self.m,
                                            L.channel_names).items
        if L.summaries and not L.summaries_together:
            if self.ds.name == "2021":
                extras.confronto(c, "Confronto 2020-2021", 0)
                extras.pluriennale(c, "Budget pluriennale", 0)
            else:
                extras.triennale_2018(c, "Preventivo triennale")
        if L.summary_sheet:
            body = [(obiettivo_heading(t.node.group),
                     [(t.cells[y], self._total_value(t, y)) for y in self.years])
                    for t in self.totals if t.kind == "documento" and t.node is not None]
            header = ["OBIETTIVO"] + [year_header(L.years, y, self.ds.plan_year, L.header_caps)
                                      for y in self.years]
            extras.riepilogo(c, "Riepilogo", "RIEPILOGO PIANO OPERATIVO 2018", header, body)
        return revenues

    # ------------------------------------------------------------------ sheets
    def _sheet(self, name: str, nodes: list[Node]) -> None:
        L = self.L
        sc = self.canvas.sheet(name)
        self.table_id, self.cols, self.prev_groups = None, None, ()
        self.last = "title" if L.title_rows else None
        r = L.title_rows
        grand = None
        if L.grand_total:
            grand = TotalPlan(None, "generale", self._label(None, "generale", ""), {})
        if L.tables == "una":
            wanted = {c for n in nodes for ln in n.lines() for c, _ in ln.channels}
            self.cols = self._cols([c for c in self.ds.channel_order if c in wanted])
            r = self._header(sc, r, L.label_header)
            if grand and L.totals == "sopra":
                r = self._total_row(sc, grand, r)
        for node in nodes:
            r = self._node(sc, node, r)
        if grand and L.totals != "sopra":
            r = self._total_row(sc, grand, r)
        self._titles(sc)

    def _titles(self, sc: SheetCanvas) -> None:
        L = self.L
        texts = [L.title or TITLES[self.ds.name][0], *TITLES[self.ds.name][1:]]
        for i in range(min(L.title_rows, len(texts))):
            style = {"bold": True, "font_size": 13} if i == 0 else {}
            if i == 0 and L.merged_title:
                sc.merge(0, L.label_col, 0, self.width[sc.name], texts[0], **style)
            else:
                sc.text(i, L.label_col, texts[i], **style)

    def _cols(self, channels: list[str]) -> Cols:
        L = self.L
        c = L.label_col
        numero = codice = vuota = None
        if "numero" in L.extra_columns:
            numero, c = c, c + 1
        if "codice" in L.extra_columns:
            codice, c = c, c + 1
        n_labels = len(GROUP_TITLES[self.ds.name]) if L.hierarchy in ("colonne", "scalini") \
            else 1
        labels = list(range(c, c + n_labels))
        c += n_labels
        if "vuota" in L.extra_columns:
            vuota, c = c, c + 1
        cols = Cols(labels=labels, years={}, channels={}, numero=numero, codice=codice,
                    vuota=vuota)
        for kind, key in self._amount_order(channels):
            if kind == "year":
                cols.years[key] = c
            elif kind == "triennio":
                cols.triennio = c
            else:
                cols.channels[key] = c
            c += 1
        if "percentuale" in L.extra_columns:
            cols.percent, c = c, c + 1
        if "note" in L.extra_columns:
            cols.note, c = c, c + 1
        cols.last = c - 1
        return cols

    def _amount_order(self, channels: list[str]) -> list[tuple[str, object]]:
        L, plan = self.L, self.ds.plan_year
        ys = [("year", y) for y in self.years]
        ch = [("channel", code) for code in channels]
        tri = [("triennio", None)] if L.years == "triennio" else []
        if L.header_rows == 2:  # the plan year's «Totale» and channels stay together
            others = [y for y in ys if y[1] != plan]
            if L.column_order == "anni-canali":
                return [*others, ("year", plan), *ch]
            if L.column_order == "anno-piano-prima":
                return [("year", plan), *ch, *others]
            return [*ch, ("year", plan), *others]
        if L.column_order == "anni-canali":
            return [*ys, *tri, *ch]
        if L.column_order == "anno-piano-prima":
            return [*reversed(ys), *tri, *ch]
        return [*ch, *ys, *tri]

    def _header(self, sc: SheetCanvas, r: int, label: str) -> int:
        L, cols, ds = self.L, self.cols, self.ds
        assert cols is not None
        two = L.header_rows == 2

        def put(col: int, text: str | int) -> None:
            if text == "":
                return
            if two:
                sc.merge(r, col, r + 1, col, text, **HEADER)
            elif isinstance(text, int):
                sc.number(r, col, text, **HEADER)
            else:
                sc.text(r, col, text, **HEADER)

        if L.hierarchy == "colonne":
            texts = GROUP_TITLES[ds.name]
        else:
            texts = [label] + [""] * (len(cols.labels) - 1)
        for col, text in zip(cols.labels, texts, strict=True):
            put(col, text)
        if cols.numero is not None:
            put(cols.numero, "N.")
        if cols.codice is not None:
            put(cols.codice, "Cod.")
        names = CHANNEL_HEADERS[L.channel_names]
        for y, col in cols.years.items():
            text = year_header(L.years, y, ds.plan_year, L.header_caps)
            if two and y == ds.plan_year:
                group = [col, *cols.channels.values()]
                sc.merge(r, min(group), r, max(group), text, **HEADER)
                sc.text(r + 1, col, "Totale", **HEADER)
            else:
                put(col, text)
        for code, col in cols.channels.items():
            if two:
                sc.text(r + 1, col, names[code], **HEADER)
            else:
                put(col, names[code])
        if cols.triennio is not None:
            put(cols.triennio, caps("TOTALE TRIENNIO", L.header_caps))
        if cols.percent is not None:
            put(cols.percent, "Scostamento %")
        if cols.note is not None:
            put(cols.note, "Note")
        for col in cols.labels:
            sc.widths[col] = 58 if len(cols.labels) == 1 else 34
        for col in [*cols.years.values(), *cols.channels.values()]:
            sc.widths[col] = 16
        self.first_header.setdefault(sc.name, r)
        self.width[sc.name] = max(self.width.get(sc.name, 0), cols.last)
        self.last = "header"
        return r + L.header_rows

    def _ensure_table(self, sc: SheetCanvas, table: int, r: int) -> int:
        """Stacked tables: the header of ``table`` before its first row."""
        if self.table_id == table:
            return r
        self.table_id = table
        lines = [ln for ln in self.ds.lines if ln.table == table]
        self.cols = self._cols([c for c, _ in lines[0].channels])
        if self.last not in (None, "title", "blank"):
            r += 1
        servizio = next((g.name for g in lines[0].groups if g.level == "servizio"), "")
        label = servizio if self.L.servizio_in_header else self.L.label_header
        return self._header(sc, r, label)

    # ------------------------------------------------------------------ rows
    def _node(self, sc: SheetCanvas, node: Node, r: int) -> int:
        L = self.L
        level = node.group.level
        total = self._total_of(node)
        first_line = node.lines()[0]
        start = r
        if L.hierarchy == "colonne":
            pass
        elif L.tables == "per-tabella" and node.depth == 0:
            if self.last not in (None, "title", "blank"):
                r += 1
            start = r
            r = self._heading(sc, node, r, None)
        else:
            if L.tables == "per-tabella":
                r = self._ensure_table(sc, first_line.table, r)
            start = r
            if not (L.servizio_in_header and level == "servizio"):
                r = self._heading(sc, node, r, total if L.totals == "sul-titolo" else None)
        if total and L.totals == "sopra":
            r = self._total_row(sc, total, r)
        k = 0
        for child in node.children:
            if isinstance(child, Node):
                r = self._node(sc, child, r)
                continue
            if L.tables == "per-tabella":
                r = self._ensure_table(sc, child.table, r)
            k += 1
            r = self._line(sc, child, r, k)
        if total and L.totals == "sotto":
            r = self._total_row(sc, total, r)
        if level == "azione" and L.blank_rows:
            if L.hierarchy == "struttura":
                self._level(sc, r, node.depth + 1)
            r += 1
            self.last = "blank"
        self.spans[node.group.key] = (sc.name, start, r)
        return r

    def _level(self, sc: SheetCanvas, r: int, level: int) -> None:
        if level > 0:
            sc.row(r).level = level
            self.m.outline[sc.name, r] = level

    def _label_style(self, sc: SheetCanvas, r: int, col: int, level: str, bold: bool) -> dict:
        style = {"bold": True} if bold else {}
        if self.L.hierarchy == "rientri":
            indent = INDENT[self.ds.name][level]
            if indent:
                style["indent"] = indent
            self.m.indents[sc.name, r, col] = indent
        return style

    def _label_col(self, level: str) -> int:
        assert self.cols is not None
        labels = self.cols.labels
        if self.L.hierarchy == "scalini":
            return labels[len(labels) - 1 if level == "voce" else
                          (LEVEL_COL if self.ds.name == "2021" else LEVEL_COL_2018)[level]]
        if self.L.hierarchy == "colonne":
            return labels[0] if level != "voce" else labels[-1]
        return labels[0]

    def _heading(self, sc: SheetCanvas, node: Node, r: int, total: TotalPlan | None) -> int:
        groups = self.node_groups(node)
        if self.cols is None:  # a stacked table's top heading, above its header
            self.cols = self._cols([])
        col = self._label_col(node.group.level)
        style = self._label_style(sc, r, col, node.group.level, self.L.bold_headings)
        sc.text(r, col, self.heading_text(groups, node.depth), **style)
        if self.L.hierarchy == "struttura":
            self._level(sc, r, node.depth)
        if total is not None:
            self._total_cells(sc, r, total)
        self.last = "heading"
        return r + 1

    def _line(self, sc: SheetCanvas, ln: CostLine, r: int, k: int) -> int:
        L, cols, ds = self.L, self.cols, self.ds
        assert cols is not None
        cells = self.m.lines[ln.index]
        as_text = L.text_amounts and ln.index % 3 == 0
        col = self._label_col("voce")
        cells.voce.append(sc.text(r, col, ln.voce, **self._label_style(sc, r, col, "voce",
                                                                         False)))
        if L.hierarchy == "colonne":
            self._group_cells(sc, ln, r)
        values: dict[int, int | None] = {}
        for y, c in cols.years.items():
            v = values[y] = self.amount(ln, y)
            pos = (sc.name, r, c)
            self.line_pos[ln.index, y] = pos
            cells.years[y] = [pos]
            if v is not None:
                self._amount_cell(sc, r, c, v, as_text)
        for code, c in cols.channels.items():
            v = ln.channel(code)
            cells.channels[code] = [(sc.name, r, c)]
            if v is not None:
                self._amount_cell(sc, r, c, v, as_text)
        if cols.triennio is not None and any(v is not None for v in values.values()):
            self._derived_sum(sc, r, cols.triennio, [cols.years[y] for y in self.years],
                              sum(v or 0 for v in values.values()))
        self._extras(sc, ln, r, k, values, as_text)
        if L.comments and k == 1:
            target = cols.years[ds.plan_year] if values[ds.plan_year] is not None else col
            sc.comments[r, target] = COMMENT
        if L.hidden == "riga" and ln.index == self.hidden_line:
            sc.row(r).hidden = True
            self.m.hidden_rows.add((sc.name, r))
        if L.hierarchy == "struttura":
            self._level(sc, r, len(ln.groups))
        self.expected_lines[ln.index] = OracleLine(
            path=tuple(self.path_text(ln.groups, i) for i in range(len(ln.groups))),
            voce=ln.voce, amounts=tuple(sorted(values.items())),
            channels=tuple(sorted((code, ln.channel(code)) for code in cols.channels)))
        self.last = "line"
        return r + 1

    def _group_cells(self, sc: SheetCanvas, ln: CostLine, r: int) -> None:
        """Flat list: the group columns (all repeated, or only where a value changes)."""
        assert self.cols is not None
        by_level = {g.level: g for g in ln.groups}
        levels = ["area", "servizio", "azione"] if self.ds.name == "2021" \
            else ["obiettivo", "azione"]
        current = tuple(by_level[lv].key if lv in by_level else None for lv in levels)
        for i, lv in enumerate(levels):
            g = by_level.get(lv)
            if g is None:
                continue
            if self.L.group_values == "solo-primo" and self.prev_groups[:i + 1] == current[:i + 1]:
                continue
            sc.text(r, self.cols.labels[i], self.heading_text(ln.groups, ln.groups.index(g)))
        self.prev_groups = current

    def _extras(self, sc: SheetCanvas, ln: CostLine, r: int, k: int,
                values: dict[int, int | None], as_text: bool) -> None:
        cols, ds = self.cols, self.ds
        assert cols is not None
        top, azione = ln.groups[0], ln.groups[-1]
        if cols.numero is not None:
            sc.number(r, cols.numero, top.number or 0)
        if cols.codice is not None:
            sc.text(r, cols.codice, f"{top.number}.{azione.number}.{k}")
        if cols.percent is not None and ds.comparison_year is not None:
            # computed from two number cells of the row (never from a text amount)
            before, now = values[ds.comparison_year], values[ds.plan_year]
            if before and now is not None and not as_text:
                ratio = Fraction(now - before, before)
                cb, cn = cols.years[ds.comparison_year], cols.years[ds.plan_year]
                sc.formula(r, cols.percent, f"=({a1(r, cn)}-{a1(r, cb)})/{a1(r, cb)}",
                           ratio, num_format=PERCENT)
        if cols.note is not None and ln.index % 4 == 1:
            sc.text(r, cols.note, NOTES[ln.index % 3])

    def _amount_cell(self, sc: SheetCanvas, r: int, c: int, cents: int, as_text: bool) -> None:
        if as_text:
            sc.text(r, c, money_text(cents))
            self.m.text_amounts[sc.name, r, c] = cents
        else:
            sc.money(r, c, cents)

    def _derived_sum(self, sc: SheetCanvas, r: int, c: int, year_cols: list[int],
                     cents: int, **style) -> None:
        """A «Totale triennio» cell: SUM of the row's year cells (or its typed value)."""
        if not self.L.formulas:
            sc.money(r, c, cents, **style)
            return
        first, last = min(year_cols), max(year_cols)
        contiguous = sorted(year_cols) == list(range(first, last + 1))
        formula = f"=SUM({a1(r, first)}:{a1(r, last)})" if contiguous else \
            "=" + "+".join(a1(r, x) for x in year_cols)
        sc.formula(r, c, formula, Fraction(cents, 100), num_format=EUR, **style)

    # ------------------------------------------------------------------ totals
    def _total_of(self, node: Node) -> TotalPlan | None:
        L = self.L
        stated = self.ds.stated_for(node.group) if L.has_document_totals else None
        if stated is not None:
            return TotalPlan(node, "documento", self._label(node, "documento", stated.label),
                             dict(stated.amounts))
        if node.group.level == "azione" and L.azione_totals:
            return TotalPlan(node, "azione", self._label(node, "azione", ""), {})
        return None

    def _label(self, node: Node | None, kind: str, document_label: str) -> str:
        L = self.L
        if kind == "generale":
            if not L.total_word:
                return ""
            return "Totale complessivo" if L.group_values == "solo-primo" else "TOTALE GENERALE"
        assert node is not None
        if L.totals == "sul-titolo":
            return ""
        heading = self.heading_text(self.node_groups(node), node.depth)
        if not L.total_word:
            # a blank label only where nothing but the formula and the position can say
            # what the row closes, and both say it unambiguously: every year a formula, and
            # a group of several sub-groups (a one-azione group's total is also its azione's)
            blank = kind == "azione" or (L.formulas and len(node.nodes()) > 1 and all(
                v == sum(self.amount(ln, y) or 0 for ln in node.lines())
                for y, v in self.ds.stated_for(node.group).amounts))
            return "" if blank else heading
        if L.hierarchy == "numerazione":
            return ("TOTALE " if kind == "documento" else "Totale ") + heading
        if kind == "azione":
            return f"Totale Azione {node.group.number}"
        if self.ds.name == "2018" and L.totals == "sopra":
            return f"TOTALE BUDGET OBIETTIVO {node.group.number}"
        return document_label

    def _total_row(self, sc: SheetCanvas, total: TotalPlan, r: int) -> int:
        node = total.node
        level = node.group.level if node is not None else None
        col = self._label_col(level) if level else self.cols.labels[0]  # type: ignore[union-attr]
        if total.label:
            style = self._label_style(sc, r, col, level, True) if level else {"bold": True}
            sc.text(r, col, total.label, **style)
        self._total_cells(sc, r, total)
        if self.L.hierarchy == "struttura":
            self._level(sc, r, node.depth if node is not None else 0)
        self.last = "total"
        r += 1
        if self.L.footnotes and total.kind == "documento":
            sc.text(r, self.cols.labels[0], FOOTNOTE, italic=True)  # type: ignore[union-attr]
            if self.L.hierarchy == "struttura" and node is not None:
                self._level(sc, r, node.depth)
            self.last = "footnote"
            r += 1
        return r

    def _total_cells(self, sc: SheetCanvas, r: int, total: TotalPlan) -> None:
        assert self.cols is not None
        for y in self.years:
            c = self.cols.years[y]
            sc.reserve(r, c)
            total.cells[y] = (sc.name, r, c)
        if self.cols.triennio is not None:
            sc.reserve(r, self.cols.triennio)
            total.triennio = (sc.name, r, self.cols.triennio)
        self.totals.append(total)

    def _total_lines(self, t: TotalPlan) -> list[CostLine]:
        return t.node.lines() if t.node is not None else self.ds.lines

    def _total_value(self, t: TotalPlan, year: int) -> int:
        exact = sum(self.amount(ln, year) or 0 for ln in self._total_lines(t))
        stated = t.stated.get(year)
        return exact if stated is None else stated

    def _fill_totals(self) -> None:
        L = self.L
        for t in self.totals:
            path = () if t.node is None else tuple(
                self.path_text(self.node_groups(t.node), i) for i in range(t.node.depth + 1))
            lines = self._total_lines(t)
            values = {}
            for y, cell in t.cells.items():
                sheet, r, c = cell
                sc = self.canvas.sheets[sheet]
                exact = sum(self.amount(ln, y) or 0 for ln in lines)
                value = values[y] = self._total_value(t, y)
                slip = value != exact
                if slip or not L.formulas:
                    sc.money(r, c, value, bold=True)
                else:
                    sc.formula(r, c, self.canvas.sum_formula(sheet, self._refs(t, y, lines)),
                               Fraction(value, 100), bold=True, num_format=EUR)
                total = ExpectedTotal(path, y, value)
                self.expected_totals.append(total)
                self.m.totals.append(TotalCell(total, cell, slip, not (slip or not L.formulas)))
            if t.triennio is not None:
                sheet, r, c = t.triennio
                self._derived_sum(self.canvas.sheets[sheet], r, c,
                                  [t.cells[y][2] for y in self.years], sum(values.values()),
                                  bold=True)

    def _refs(self, t: TotalPlan, year: int, lines: list[CostLine]) -> list[CellRef]:
        """What a total's SUM adds up: its lines' cells, or (totals of totals) the cells of
        the azione totals inside its group."""
        if self.L.totals_of_totals and t.kind == "documento" and t.node is not None:
            key = t.node.group.key
            inner = [a.cells[year] for a in self.totals if a.kind == "azione"
                     and a.node is not None and a.node.group.key[:len(key)] == key]
            if inner:
                return inner
        return [self.line_pos[ln.index, year] for ln in lines]

    # ------------------------------------------------------------------ outline
    def _collapse(self, top: Node) -> None:
        """Close one top group's outline: its inner rows hidden, the button on the row
        next to them (below with totals below, above otherwise)."""
        sheet, start, end = self.spans[top.group.key]
        sc = self.canvas.sheets[sheet]
        inner = [r for r in range(start, end) if self.m.outline.get((sheet, r), 0) >= 1]
        for r in inner:
            sc.row(r).hidden = True
            self.m.hidden_rows.add((sheet, r))
        if self.L.totals == "sotto":
            sc.row(max(inner) + 1).collapsed = True
        else:
            sc.symbols_below = False
            sc.row(min(inner) - 1).collapsed = True
