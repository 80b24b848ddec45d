"""The allocation rules, kept in the workbook in a "Regole PDZ" sheet.

One row per rule: Canale | Area/Obiettivo | Servizio | Azione | Voce | Ammesso | Priorità |
Quota min % | Quota max %. Patterns use ``*`` as wildcard and ignore case, accents and
punctuation; an empty pattern matches everything. For a line and a channel the FIRST
matching row decides. Without a matching row, an unrestricted channel may pay any line
(priority 50) and a restricted one (avanzo vincolato, FNA, project funds...) none: restricted
funds go only where a rule names their purpose.
"""

from __future__ import annotations

import fnmatch
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel

from ..cells import sheet_ref
from ..changeset import CellStyle, CellWrite, OwnedSheet
from ..channels.catalog import Catalog, normalise_label
from ..grid import SheetGrid
from ..plan import Line

RULES_SHEET = "Regole PDZ"
DEFAULT_PRIORITY = 50
HEADERS = ["Canale", "Area/Obiettivo", "Servizio", "Azione", "Voce", "Ammesso", "Priorità",
           "Quota min %", "Quota max %"]
_FIELDS = ["channel", "group", "servizio", "azione", "voce", "allowed", "priority",
           "min_share", "max_share"]


class Rule(BaseModel):
    """One row of the rules sheet."""

    channel: str
    group: str = ""
    servizio: str = ""
    azione: str = ""
    voce: str = ""
    allowed: bool = True
    priority: int = DEFAULT_PRIORITY
    min_share: Decimal | None = None  # percent of the line
    max_share: Decimal | None = None
    cell: str | None = None  # where the row is, for messages


class Decision(BaseModel):
    """What the rules say for one line and one channel."""

    allowed: bool
    priority: int = DEFAULT_PRIORITY
    min_share: Decimal | None = None
    max_share: Decimal | None = None
    rule: str | None = None  # the cell of the deciding row


def _match(pattern: str, *texts: str | None) -> bool:
    if not pattern.strip() or pattern.strip() == "*":
        return True
    pat = normalise_label(pattern.replace("*", " ASTERISCO ")).replace("asterisco", "*")
    pat = " ".join(pat.split()).replace("* ", "*").replace(" *", "*")
    return any(t and fnmatch.fnmatchcase(normalise_label(t), pat) for t in texts)


def _groups(line: Line, level: str) -> list[str | None]:
    return [x for g in line.groups if g.level == level for x in (g.text, g.label)]


def rule_matches(rule: Rule, line: Line) -> bool:
    """True when every pattern of the rule matches the line."""
    return (_match(rule.group, *_groups(line, "area"), *_groups(line, "obiettivo"))
            and _match(rule.servizio, *_groups(line, "servizio"))
            and _match(rule.azione, *_groups(line, "azione"))
            and _match(rule.voce, line.voce))


class RuleSet(BaseModel):
    """The rules of a workbook (or the defaults)."""

    rules: list[Rule]
    from_sheet: bool = False

    def decide(self, line: Line, channel: str, catalog: Catalog) -> Decision:
        for rule in self.rules:
            if rule.channel == channel and rule_matches(rule, line):
                return Decision(allowed=rule.allowed, priority=rule.priority,
                                min_share=rule.min_share, max_share=rule.max_share,
                                rule=rule.cell)
        return Decision(allowed=not catalog.is_restricted(channel))

    def states_purposes(self) -> bool:
        """True when the workbook names purposes (allowed rows for some channel)."""
        return self.from_sheet and any(r.allowed for r in self.rules)


def _percent(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).replace("%", "").replace(",", ".").strip()
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d * 100 if isinstance(value, float) and d <= 1 and "%" not in str(value) else d


def parse_rules(sheet: SheetGrid | None, catalog: Catalog) -> RuleSet:
    """Rules from the "Regole PDZ" sheet (first row with «Canale» is the header)."""
    if sheet is None:
        return RuleSet(rules=[])
    header: dict[int, str] = {}
    rules: list[Rule] = []
    names = {normalise_label(h): f for h, f in zip(HEADERS, _FIELDS, strict=True)}
    for row, cells in sheet.iter_rows():
        if not header:
            found = {c: names.get(normalise_label(str(cell.value or ""))) for c, cell in
                     cells.items()}
            if "channel" in found.values():
                header = {c: f for c, f in found.items() if f}
            continue
        rec = {f: cells[c].value for c, f in header.items() if c in cells}
        raw_channel = rec.get("channel")
        if not raw_channel:
            continue
        code, _ = catalog.resolve(str(raw_channel))
        code = code or str(raw_channel).strip().upper().replace(" ", "_")
        allowed = normalise_label(str(rec.get("allowed") or "si")) not in ("no", "n", "falso",
                                                                          "false", "0")
        try:
            priority = int(float(rec.get("priority") or DEFAULT_PRIORITY))
        except ValueError:
            priority = DEFAULT_PRIORITY
        rules.append(Rule(channel=code, group=str(rec.get("group") or ""),
                          servizio=str(rec.get("servizio") or ""),
                          azione=str(rec.get("azione") or ""), voce=str(rec.get("voce") or ""),
                          allowed=allowed, priority=priority,
                          min_share=_percent(rec.get("min_share")),
                          max_share=_percent(rec.get("max_share")),
                          cell=sheet_ref(sheet.name, row, 1)))
    return RuleSet(rules=rules, from_sheet=True)


def rules_sheet(rules: list[Rule]) -> OwnedSheet:
    """The "Regole PDZ" sheet with these rules (written when the workbook has none)."""
    bold = CellStyle(bold=True, fill="D9E1F2")
    cells = [CellWrite(cell="A1", value="Regole di allocazione PDZ: per ogni riga di costo e "
                                        "canale vale la prima regola che corrisponde; «*» "
                                        "vale qualsiasi testo. I fondi vincolati pagano solo "
                                        "dove una regola li ammette.",
                       style=CellStyle(italic=True))]
    cells += [CellWrite(cell=f"{chr(65 + i)}3", value=h, style=bold)
              for i, h in enumerate(HEADERS)]
    for r, rule in enumerate(rules, start=4):
        values = [rule.channel, rule.group, rule.servizio, rule.azione, rule.voce,
                  "sì" if rule.allowed else "no", rule.priority,
                  rule.min_share, rule.max_share]
        cells += [CellWrite(cell=f"{chr(65 + i)}{r}", value=v)
                  for i, v in enumerate(values) if v not in (None, "")]
    return OwnedSheet(name=RULES_SHEET, cells=cells, freeze="A4",
                      column_widths={"A": 26, "B": 40, "C": 30, "D": 40, "E": 30, "F": 9,
                                     "G": 9, "H": 11, "I": 11})


def inferred_rules(lines: list[Line], catalog: Catalog) -> list[Rule]:
    """Defaults learnt from the workbook: each restricted channel allowed on the azioni
    where the workbook already uses it (its purposes as written so far)."""
    seen: dict[tuple[str, str, str], None] = {}
    for ln in lines:
        azione = next((g.text or g.label for g in ln.groups if g.level == "azione"), "")
        group = next((g.text or g.label for g in ln.groups if g.level in ("area", "obiettivo")),
                     "")
        for code, v in ln.channels.items():
            if v and catalog.is_restricted(code):
                seen[(code, group, azione)] = None
    return [Rule(channel=c, group=g, azione=a, priority=10) for c, g, a in seen]
