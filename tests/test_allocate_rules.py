"""«Regole PDZ»: parsing, patterns, first match wins, the vectorised decisions equal the
one-by-one ones, default rules, the sheet written and read back."""

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pdz_xl.allocate.defaults import default_rules
from pdz_xl.allocate.matching import PPM, LineTexts, decide_all
from pdz_xl.allocate.patterns import compile_pattern, line_matches
from pdz_xl.allocate.rules import (
    HEADERS,
    RULES_SHEET,
    USAGE,
    Rule,
    RuleSet,
    parse_rules,
    rules_sheet,
)
from pdz_xl.allocate.sample_rules import RULES_2018, rows_2018
from pdz_xl.channels.catalog import default_catalog
from pdz_xl.grid import Cell, SheetGrid
from pdz_xl.plan import Group, Line
from tests.support.plans import PlanBuilder


def _line(voce="Consulenze", area="AREA MISURE DISTRETTUALI", azione="Azione 2: FNA",
          servizio=None, line_id=0):
    groups = [Group(level="area", label=area, text=area)]
    if servizio:
        groups.append(Group(level="servizio", label=servizio, text=servizio))
    label = azione.split(": ", 1)[-1]
    groups.append(Group(level="azione", label=label, number=2, text=azione))
    return Line(id=line_id, cell=f"S!A{line_id + 2}", sheet="S", row=line_id + 2, table=1,
                path=[g.text for g in groups], groups=groups, voce=voce,
                amounts={2021: 100}, amount_cells={2021: f"S!C{line_id + 2}"})


def _sheet(rows, header_row=3, formats=None):
    sheet = SheetGrid(name=RULES_SHEET)
    sheet.set(1, 1, Cell(value="Regole di allocazione"))
    for c, h in enumerate(HEADERS, start=1):
        sheet.set(header_row, c, Cell(value=h))
    for r, row in enumerate(rows, start=header_row + 1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                fmt = (formats or {}).get((r, c))
                sheet.set(r, c, Cell(value=v, number_format=fmt))
    return sheet


def test_patterns_ignore_case_accents_punctuation_and_use_wildcards():
    ln = _line(voce="Attività di SUPPORTO – domiciliarità", azione="Azione 6: Sportello badanti")
    assert line_matches("", "", "", "*supporto*domiciliarita*", ln)
    assert line_matches("*distrettuali*", "", "azione 6*", "", ln)
    assert line_matches("MISURE DISTRETTUALI", "", "", "", _line(area="MISURE DISTRETTUALI"))
    assert not line_matches("", "", "Azione 6", "", ln)  # no wildcard: the whole text
    assert line_matches("", "", "Sportello badanti", "", ln)  # the label without «Azione 6:»
    assert not line_matches("", "*tutela*", "", "", ln)  # no servizio: a pattern fails
    assert line_matches("", "*", "", "", ln) and compile_pattern("**") is None


def test_parse_reads_headers_in_any_order_with_italian_values_and_reports_issues():
    sheet = SheetGrid(name=RULES_SHEET)
    header = ["Priorità", "Canale", "Voce", "Ammesso", "Quota max %", "Area", "Quota min %"]
    for c, h in enumerate(header, start=1):
        sheet.set(2, c, Cell(value=h))
    rows = [
        [5, "F.N.P.S.", "*consulen*", "sì", "50%", None, None],
        [None, "AVANZO 2020 VINCOLATO", None, "NO", None, "AREA X", None],
        ["dieci", "FRS", None, "forse", 0.3, None, "140"],
        [None, "FONDO SCONOSCIUTO", None, None, None, None, None],
        [None, None, "riga senza canale", None, None, None, None],
    ]
    for r, row in enumerate(rows, start=3):
        for c, v in enumerate(row, start=1):
            if v is not None:
                fmt = "0%" if (r, c) == (5, 5) else None
                sheet.set(r, c, Cell(value=v, number_format=fmt))
    rs = parse_rules(sheet, default_catalog())
    assert [r.channel for r in rs.rules] == ["FNPS", "AVANZO_VINCOLATO", "FSR",
                                             "FONDO_SCONOSCIUTO"]
    fnps, avanzo, fsr, _ = rs.rules
    assert (fnps.priority, fnps.voce, fnps.allowed, fnps.max_share) == (5, "*consulen*", True,
                                                                        Decimal(50))
    assert (avanzo.allowed, avanzo.group, avanzo.cell) == (False, "AREA X", "Regole PDZ!A4")
    assert fsr.max_share == Decimal(30) and fsr.min_share is None and fsr.priority == 50
    text = "\n".join(rs.issues)
    assert "Regole PDZ!A5: Priorità «dieci»" in text
    assert "Ammesso «forse»" in text and "quota 140" in text
    assert "«FONDO SCONOSCIUTO» non è nel catalogo" in text


def test_first_matching_row_of_a_channel_decides():
    rules = RuleSet(rules=[Rule(channel="FNA", azione="*FNA*", priority=1, max_share=Decimal(40)),
                           Rule(channel="FNA", allowed=False),
                           Rule(channel="FNA", azione="*FNA*", priority=99),
                           Rule(channel="COMUNI", voce="Consulenze", allowed=False)])
    cat = default_catalog()
    fna_line, other = _line(), _line(azione="Azione 3: Altro", voce="Spese")
    d = rules.decide(fna_line, "FNA", cat)
    assert (d.allowed, d.priority, d.max_share) == (True, 1, Decimal(40))
    assert not rules.decide(other, "FNA", cat).allowed
    assert not rules.decide(fna_line, "COMUNI", cat).allowed
    assert rules.decide(other, "COMUNI", cat).allowed  # no row: unrestricted default
    assert not RuleSet(rules=[]).decide(other, "AVANZO_VINCOLATO", cat).allowed  # restricted


TEXTS = ["Azione 1: Servizio Tutela Minori", "Azione 2: FNA", "Azione 3: Dopo di noi",
         "Azione 4: Progetto FAMI"]
PATTERNS = ["", "*", "*FNA*", "Azione 1*", "*dopo*NOI", "Servizio Tutela Minori", "*fami"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["FNA", "COMUNI", "FNPS", "AVANZO_VINCOLATO"]),
                          st.sampled_from(PATTERNS), st.sampled_from(PATTERNS),
                          st.booleans(), st.integers(1, 60),
                          st.none() | st.integers(0, 100)), max_size=8),
       st.lists(st.tuples(st.sampled_from(TEXTS), st.sampled_from(["Consulenze", "FNA voucher",
                                                                  "Affitto"])),
                min_size=1, max_size=12))
def test_vectorised_decisions_equal_one_by_one(rule_specs, line_specs):
    rules = RuleSet(rules=[Rule(channel=c, azione=a, voce=v, allowed=ok, priority=p,
                                max_share=None if s is None else Decimal(s))
                           for c, a, v, ok, p, s in rule_specs])
    lines = [_line(azione=a, voce=v, line_id=i) for i, (a, v) in enumerate(line_specs)]
    channels = ["FNA", "COMUNI", "FNPS", "AVANZO_VINCOLATO"]
    cat = default_catalog()
    d = decide_all(rules, lines, channels, cat, LineTexts.of(lines))
    for i, ln in enumerate(lines):
        for j, code in enumerate(channels):
            one = rules.decide(ln, code, cat)
            assert d.allowed[i, j] == one.allowed
            assert d.levels[d.rank[i, j]] == one.priority
            expect = PPM if one.max_share is None else int(one.max_share * 10_000)
            assert d.max_ppm[i, j] == expect


def test_a_rule_on_a_fund_applies_to_the_column_it_feeds():
    # 2021: FNA has no column of its own, its money is in ALTRI FONDI PROGETTUALI
    rules = RuleSet(rules=[Rule(channel="FNA", azione="*FNA*", priority=1)])
    lines = [_line(), _line(azione="Azione 3: Altro", line_id=1)]
    d = decide_all(rules, lines, ["FNPS", "ALTRI_FONDI_PROGETTUALI"], default_catalog())
    assert d.allowed[:, 1].tolist() == [True, False]
    assert d.rule[0, 1] == 0 and d.rule[1, 1] == -1


def test_rules_sheet_round_trip_and_usage_note():
    rules = [*RULES_2018, Rule(channel="FNPS", voce="*x*", min_share=Decimal("12.5"))]
    owned = rules_sheet(rules, {"FSR": "FRS"})
    assert owned.name == RULES_SHEET
    sheet = SheetGrid(name=RULES_SHEET)
    from pdz_xl.cells import parse_a1

    for w in owned.cells:
        r, c = parse_a1(w.cell)
        sheet.set(r, c, Cell(value=w.value))
    header = next(w for w in owned.cells if w.cell == "A3")
    assert header.value == "Canale" and header.note == USAGE
    back = parse_rules(sheet, default_catalog())
    assert back.issues == []
    keep = {"channel", "group", "servizio", "azione", "voce", "allowed", "priority",
            "min_share", "max_share", "note"}
    assert [r.model_dump(include=keep) for r in back.rules] == \
        [r.model_dump(include=keep) for r in rules]
    assert sheet.value(4 + len(RULES_2018) - 1, 1) == "RESIDUI"
    assert any(w.value == "FRS" for w in owned.cells)


def test_sample_rows_are_plain_values_in_header_order():
    rows = rows_2018()
    assert len(rows) == len(RULES_2018) and all(len(r) == len(HEADERS) for r in rows)
    assert rows[0][:7] == ["FNA", "*MISURE DISTRETTUALI*", "", "*FNA*", "", "sì", 1]
    shares = [v for r in rows for v in r[7:9] if v is not None]
    assert shares and all(type(v) in (int, float) for v in shares)
    assert {r[0] for r in rows} >= {"FRS", "ALTRI FONDI", "FNA", "COMUNI", "FSOL"}


def test_default_rules_give_restricted_funds_their_purposes_only():
    b = PlanBuilder(channels=["FNPS", "AVANZO_VINCOLATO", "ALTRI_FONDI_PROGETTUALI"])
    b.line("Buoni", 1000, azione="Azione 2: Misura FNA")
    b.line("Tirocini", 500, azione="Azione 3: Progetto FAMI")
    b.line("Affitto", 300, {"AVANZO_VINCOLATO": 300}, azione="Azione 4: Sede")
    b.line("Segreteria", 200, azione="Azione 5: Segreteria")
    b.revenue("FNA 2021", "item", 1000, channel="ALTRI_FONDI_PROGETTUALI")
    b.revenue("FAMI", "item", 500, channel="ALTRI_FONDI_PROGETTUALI")
    plan = b.build()
    plan.revenues[0].source, plan.revenues[1].source = "FNA", "FAMI"
    cat = default_catalog()
    rules = default_rules(plan, cat, b.channels)
    got = [(r.channel, r.azione, r.priority) for r in rules]
    assert ("AVANZO_VINCOLATO", "Azione 4: Sede", 10) in got  # already used there
    assert ("ALTRI_FONDI_PROGETTUALI", "Azione 2: Misura FNA", 10) in got  # keyword «fna»
    assert ("ALTRI_FONDI_PROGETTUALI", "Azione 3: Progetto FAMI", 10) in got
    assert ("FNPS", "", 50) in got
    rs = RuleSet(rules=rules)
    d = decide_all(rs, plan.lines, b.channels, cat)
    assert d.allowed[:, 1].tolist() == [False, False, True, False]
    assert d.allowed[:, 2].tolist() == [True, True, False, False]
    assert d.allowed[:, 0].all()
    assert np.all(d.levels[d.rank[:, 2][:2]] == 10)
