"""The allocation rules, kept in the workbook in a «Regole PDZ» sheet.

One row per rule: Canale | Area/Obiettivo | Servizio | Azione | Voce | Ammesso | Priorità |
Quota min % | Quota max % (| Note). Patterns use ``*`` as wildcard and ignore case, accents
and punctuation; an empty pattern (or ``*``) matches everything. For a line and a channel
the FIRST row of that channel matching the line decides: whether the channel may pay it,
with which priority (lower is used first) and within which share of the line.

Without a matching row an unrestricted channel may pay any line (priority 50) and a
restricted one (avanzo vincolato, FNA, Dopo di Noi, project funds: catalog ``restricted``)
none: restricted funds go only where a row names their purpose.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field

from ..cells import col_letters, sheet_ref
from ..changeset import CellStyle, CellWrite, OwnedSheet
from ..channels.catalog import Catalog, normalise_label
from ..grid import Cell, SheetGrid
from ..plan import Line
from .patterns import line_matches

RULES_SHEET = "Regole PDZ"
DEFAULT_PRIORITY = 50
HEADERS = ["Canale", "Area/Obiettivo", "Servizio", "Azione", "Voce", "Ammesso", "Priorità",
           "Quota min %", "Quota max %", "Note"]
HEADER_ROW = 3

_HEADER_FIELDS = {
    "canale": "channel", "area obiettivo": "group", "area": "group", "obiettivo": "group",
    "area o obiettivo": "group", "servizio": "servizio", "azione": "azione", "voce": "voce",
    "voce di costo": "voce", "ammesso": "allowed", "ammessa": "allowed",
    "priorita": "priority", "quota min": "min_share", "quota minima": "min_share",
    "quota max": "max_share", "quota massima": "max_share", "note": "note",
}
_YES = {"si", "s", "x", "vero", "true", "1", "ammesso", "yes"}
_NO = {"no", "n", "falso", "false", "0", "escluso"}

USAGE = ("Regole di allocazione PDZ. Una riga per regola: quale canale può pagare quali righe "
         "di costo. Area/Obiettivo, Servizio, Azione e Voce sono modelli: «*» vale qualsiasi "
         "testo, maiuscole, accenti e punteggiatura non contano, una cella vuota vale tutto. "
         "Per ogni riga di costo e canale decide la PRIMA regola di quel canale che "
         "corrisponde. Ammesso: sì/no. Priorità: i numeri più bassi si usano per primi. "
         "Quota min/max %: parte della riga che il canale deve/può pagare al minimo/massimo. "
         "Un canale senza regole può pagare ogni riga (priorità 50), tranne i fondi vincolati "
         "(avanzo vincolato, FNA, Dopo di Noi, fondi di progetto): questi solo dove una regola "
         "li ammette.")


class Rule(BaseModel):
    """One row of the rules sheet."""

    channel: str
    group: str = ""  # area or obiettivo
    servizio: str = ""
    azione: str = ""
    voce: str = ""
    allowed: bool = True
    priority: int = DEFAULT_PRIORITY
    min_share: Decimal | None = None  # percent of the line
    max_share: Decimal | None = None
    cell: str | None = None  # where the row is, for messages
    note: str = ""

    def matches(self, line: Line) -> bool:
        """True when every pattern of the rule matches the line."""
        return line_matches(self.group, self.servizio, self.azione, self.voce, line)


class Decision(BaseModel):
    """What the rules say for one line and one channel."""

    allowed: bool
    priority: int = DEFAULT_PRIORITY
    min_share: Decimal | None = None
    max_share: Decimal | None = None
    rule: str | None = None  # the cell of the deciding row


def rule_matches(rule: Rule, line: Line) -> bool:
    """True when every pattern of the rule matches the line."""
    return rule.matches(line)


class RuleSet(BaseModel):
    """The rules of a workbook (or the defaults), with what could not be read."""

    rules: list[Rule]
    from_sheet: bool = False
    issues: list[str] = Field(default_factory=list)  # Italian, with the cell

    def decide(self, line: Line, channel: str, catalog: Catalog) -> Decision:
        """The first row of ``channel`` matching ``line``, else the default."""
        for rule in self.rules:
            if rule.channel == channel and rule.matches(line):
                return Decision(allowed=rule.allowed, priority=rule.priority,
                                min_share=rule.min_share, max_share=rule.max_share,
                                rule=rule.cell)
        return Decision(allowed=not catalog.is_restricted(channel))

    def states_purposes(self) -> bool:
        """True when the workbook names purposes (allowed rows for some channel)."""
        return self.from_sheet and any(r.allowed for r in self.rules)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _percent(cell: Cell | None, where: str, issues: list[str]) -> Decimal | None:
    """A share in percent: 50, «50%», «50,5» or 0.5 in a cell formatted as percent."""
    if cell is None or cell.value in (None, ""):
        return None
    value = cell.value
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            if cell.number_format and "%" in cell.number_format:
                d *= 100
        else:
            d = Decimal(str(value).replace("%", "").replace(",", ".").strip())
    except InvalidOperation:
        issues.append(f"{where}: «{value}» non è una percentuale: ignorata.")
        return None
    if not Decimal(0) <= d <= Decimal(100):
        issues.append(f"{where}: la quota {value} non è tra 0 e 100: ignorata.")
        return None
    return d


def _header(cells: dict[int, Cell]) -> dict[int, str]:
    found = {c: _HEADER_FIELDS.get(normalise_label(_text(cell.value)).replace(" %", ""))
             for c, cell in cells.items()}
    found = {c: f for c, f in found.items() if f}
    return found if "channel" in found.values() else {}


def parse_rules(sheet: SheetGrid | None, catalog: Catalog) -> RuleSet:
    """Rules from the «Regole PDZ» sheet: the first row with a «Canale» cell is the header;
    every later row with a channel is a rule. Cells that cannot be read are reported in
    ``issues`` (Italian) and ignored."""
    if sheet is None:
        return RuleSet(rules=[])
    header: dict[int, str] = {}
    rules: list[Rule] = []
    issues: list[str] = []
    for row, cells in sheet.iter_rows():
        if not header:
            header = _header(cells)
            continue
        got = {f: cells.get(c) for c, f in header.items()}
        raw = _text(got["channel"].value if got.get("channel") else None)
        if not raw:
            continue
        where = sheet_ref(sheet.name, row, 1)
        code, _ = catalog.resolve(raw)
        if code is None:
            code = raw.upper().replace(" ", "_")
            issues.append(f"{where}: il canale «{raw}» non è nel catalogo: la regola vale "
                          f"per il canale {code}.")
        rec = {f: (c.value if c is not None else None) for f, c in got.items()}
        allowed_text = normalise_label(_text(rec.get("allowed")))
        allowed = allowed_text not in _NO
        if allowed_text and allowed_text not in _YES | _NO:
            issues.append(f"{where}: Ammesso «{rec.get('allowed')}» non è sì/no: letto come sì.")
        priority = DEFAULT_PRIORITY
        if rec.get("priority") not in (None, ""):
            try:
                priority = int(Decimal(str(rec["priority"]).replace(",", ".")))
            except InvalidOperation:
                issues.append(f"{where}: Priorità «{rec['priority']}» non è un numero: "
                              f"usata {DEFAULT_PRIORITY}.")
        low = _percent(got.get("min_share"), where, issues)
        high = _percent(got.get("max_share"), where, issues)
        if low is not None and high is not None and low > high:
            issues.append(f"{where}: quota minima {low}% sopra la massima {high}%.")
        rules.append(Rule(channel=code, group=_text(rec.get("group")),
                          servizio=_text(rec.get("servizio")),
                          azione=_text(rec.get("azione")), voce=_text(rec.get("voce")),
                          allowed=allowed, priority=priority, min_share=low, max_share=high,
                          cell=where, note=_text(rec.get("note"))))
    if not header:
        issues.append(f"foglio «{sheet.name}»: nessuna intestazione con «Canale»: nessuna "
                      "regola letta.")
    return RuleSet(rules=rules, from_sheet=True, issues=issues)


TITLE = ("Regole di allocazione PDZ: per ogni riga di costo e canale decide la prima regola "
         "di quel canale che corrisponde (istruzioni nella nota sulla cella «Canale»).")
SUBTITLE = ("«*» vale qualsiasi testo · Priorità: prima i numeri bassi · senza una regola che "
            "li ammetta i fondi vincolati non pagano nulla.")


def rules_sheet(rules: list[Rule], headers: dict[str, str] | None = None) -> OwnedSheet:
    """The «Regole PDZ» sheet with these rules (written when the workbook has none).

    ``headers`` gives the text to write for a channel code (the workbook's own header, so
    the sheet reads like the budget); otherwise the code with spaces."""
    head = CellStyle(bold=True, fill="D9E1F2", wrap=True)
    cells = [CellWrite(cell="A1", value=TITLE, style=CellStyle(bold=True)),
             CellWrite(cell="A2", value=SUBTITLE, style=CellStyle(italic=True))]
    cells += [CellWrite(cell=f"{col_letters(i + 1)}{HEADER_ROW}", value=h, style=head,
                        note=USAGE if i == 0 else None)
              for i, h in enumerate(HEADERS)]
    for r, values in enumerate(rule_rows(rules, headers), start=HEADER_ROW + 1):
        cells += [CellWrite(cell=f"{col_letters(i + 1)}{r}", value=v)
                  for i, v in enumerate(values) if v not in (None, "")]
    return OwnedSheet(name=RULES_SHEET, cells=cells, freeze=f"A{HEADER_ROW + 1}",
                      column_widths={"A": 26, "B": 40, "C": 30, "D": 44, "E": 30, "F": 9,
                                     "G": 9, "H": 11, "I": 11, "J": 44})


def _share(d: Decimal | None) -> int | float | None:
    return None if d is None else int(d) if d == d.to_integral_value() else float(d)


def rule_rows(rules: list[Rule], headers: dict[str, str] | None = None) -> list[list[object]]:
    """The rules as sheet rows (values in HEADERS order, shares as plain percent numbers),
    e.g. for a sample builder."""
    headers = headers or {}
    return [[headers.get(r.channel) or r.channel.replace("_", " "), r.group, r.servizio,
             r.azione, r.voce, "sì" if r.allowed else "no", r.priority, _share(r.min_share),
             _share(r.max_share), r.note] for r in rules]
