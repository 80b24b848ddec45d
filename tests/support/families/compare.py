"""A Plan against the reading a family expects: the differences, in words.

Used by the family and property tests so that a failure names the layout and the first
difference of each aspect (lines, totals, findings, revenues, notes) at once.
"""

from __future__ import annotations

from collections import Counter

from ..oracles import OracleLine, plan_lines
from .expected import Expected, ExpectedFinding, ExpectedTotal
from .findings import restricted


def _omit_blank_channels(lines: list[OracleLine]) -> list[OracleLine]:
    return [OracleLine(ln.path, ln.voce, ln.amounts,
                       tuple(c for c in ln.channels if c[1] is not None)) for ln in lines]


def _multiset(what: str, got: Counter, want: Counter) -> list[str]:
    missing, extra = want - got, got - want
    if not missing and not extra:
        return []
    return [f"{what}: {sum(missing.values())} missing, e.g. {sorted(missing, key=repr)[:3]}; "
            f"{sum(extra.values())} unexpected, e.g. {sorted(extra, key=repr)[:3]}"]


def line_differences(plan, expected: Expected) -> list[str]:
    got, want = plan_lines(plan), list(expected.lines)
    if expected.channels_blank_omitted:
        got, want = _omit_blank_channels(got), _omit_blank_channels(want)
    if got == want:
        return []
    out = [f"lines: {len(got)} read, {len(want)} expected"]
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        if g != w:
            out.append(f"first different line #{i}: read {g}, expected {w}")
            break
    else:
        longer = want if len(want) > len(got) else got
        out.append(f"first missing/extra line: {longer[min(len(got), len(want))]}")
    return out


def differences(plan, findings, expected: Expected) -> list[str]:
    """Everything in which ``plan`` (and its validation ``findings``) differs from
    ``expected``; [] when the reading is right."""
    out: list[str] = []
    if (plan.plan_year, plan.comparison_year) != (expected.plan_year, expected.comparison_year):
        out.append(f"years: read plan {plan.plan_year} / comparison {plan.comparison_year}, "
                   f"expected {expected.plan_year} / {expected.comparison_year}")
    out += line_differences(plan, expected)
    got_totals = Counter(ExpectedTotal(tuple(t.path), y, v) for t in plan.totals
                         for y, v in t.amounts.items() if v is not None)
    out += _multiset("totals", got_totals, Counter(expected.totals))
    out += _multiset("findings", Counter(restricted(findings)),
                     Counter(ExpectedFinding(f.code, f.found, f.expected)
                             for f in expected.findings))
    if expected.revenues is not None:
        got = [(r.channel, r.amount) for r in plan.revenues if r.kind == "item"]
        if got != expected.revenues:
            first = next((i for i, (g, w) in enumerate(zip(got, expected.revenues,
                                                           strict=False)) if g != w),
                         min(len(got), len(expected.revenues)))
            out.append(f"revenues: {len(got)} items read, {len(expected.revenues)} expected; "
                       f"first difference at #{first}: read "
                       f"{got[first] if first < len(got) else None}, expected "
                       f"{expected.revenues[first] if first < len(expected.revenues) else None}")
    notes = [n for n in plan.notes if n.severity != "info" and n.code not in expected.note_codes]
    if notes:
        out.append(f"reading notes: {len(notes)} not expected, e.g. "
                   + "; ".join(f"{n.code} {n.severity} {n.cell}: {n.message}" for n in notes[:2]))
    return out
