"""Channel names for people: as the workbook writes them, never an internal code.

A channel column's own header wins («AVANZO 2020 VINCOLATO», «FONDI ATS»); a channel
without a column is named by the revenue row that is the channel itself (2018: «FRS»,
not FSR); otherwise by the catalog name («Altri fondi progettuali»). Codes stay in the
JSON outputs and in the «_pdz» keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .catalog import Catalog, default_catalog

if TYPE_CHECKING:
    from ..plan import Plan


def channel_labels(plan: Plan, catalog: Catalog | None = None) -> dict[str, str]:
    """Code -> the name to show, for every channel the plan has a column or revenue for."""
    out: dict[str, str] = {}
    for t in plan.tables:
        for cc in t.channel_cols:
            if cc.code not in out and cc.header.strip():
                out[cc.code] = " ".join(cc.header.split())
    own: dict[str, list[str]] = {}
    for r in plan.revenues:
        if r.kind == "item" and r.channel and r.source == r.channel:
            own.setdefault(r.channel, []).append(" ".join(r.label.split()))
    for code, labels in own.items():
        if code not in out and len(labels) == 1:
            out[code] = labels[0]
    catalog = catalog or _catalog()
    for r in plan.revenues:
        for code in (r.channel, r.source):
            if code and code not in out:
                out[code] = _fallback(code, catalog)
    return out


def channel_label(plan: Plan, code: str, catalog: Catalog | None = None,
                  labels: dict[str, str] | None = None) -> str:
    """The name to show for ``code`` (see :func:`channel_labels`; pass ``labels`` when
    naming many)."""
    labels = channel_labels(plan, catalog) if labels is None else labels
    return labels.get(code) or _fallback(code, catalog or _catalog())


def _fallback(code: str, catalog: Catalog) -> str:
    """An unknown column (``?header``) by its header, a known code by its catalog name."""
    if code.startswith("?"):
        return code[1:]
    entry = catalog.get(code)
    return entry.name if entry is not None else code.replace("_", " ")


_DEFAULT: Catalog | None = None


def _catalog() -> Catalog:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = default_catalog()
    return _DEFAULT
