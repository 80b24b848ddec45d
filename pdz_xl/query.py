"""Questions a finance user asks of a budget: totals by group, channel and year, what a
channel holds and what is left, the validation summary, the three-year row of a group.

The worksheet functions (``=PDZ_TOTAL(...)`` and friends, in ``udfs/``) are thin wrappers
around :class:`BudgetQuery`; the CLI and the tests ask the same object, so a cell and the
command line always agree. Amounts are integer cents; fractions are exact ``Decimal``.
Everything that is computed once per workbook (findings, the three-year plan) is computed
lazily and kept on the object, which the Excel layer caches by the workbook's content.
"""

from __future__ import annotations

import difflib
from decimal import Decimal
from functools import cached_property

from .channels.catalog import Catalog, normalise_label
from .errors import PdzError
from .findings import Finding
from .grid import WorkbookGrid
from .money import Cents
from .plan import Line, Plan
from .plurals import plural

PATH_SEPARATOR = ">"
"""Separates the levels of a group path: ``"AREA POVERTA' > Azione 2"``."""

FINDINGS_HEADER = ["Gravità", "Codice", "Cella", "Rilievo"]
TRIENNIAL_HEADER_LAST = "Triennio"
SOURCES = ("righe", "dichiarati")
"""Where a group's figure comes from (argument ``fonte``): the sum of its lines, or what the
workbook states for it (its TOTALE row, else its row in the triennial/pluriennale table)."""


class QueryError(PdzError):
    """A question the budget cannot answer (unknown group, channel or year), in Italian."""


def _norm(text: object) -> str:
    return normalise_label(str(text)).strip()


class BudgetQuery:
    """A budget workbook read once, asked many questions."""

    def __init__(self, grid: WorkbookGrid, plan: Plan, catalog: Catalog | None = None,
                 tolerance_cents: int | None = None) -> None:
        self.grid = grid
        self.plan = plan
        self._catalog = catalog
        self._tolerance = tolerance_cents
        self._lines_of: dict[str, list[Line]] = {}
        self._sums_of: dict[str, tuple[dict[int, Cents], dict[str, Cents]]] = {}
        self._triennials: dict[str, object] = {}

    @classmethod
    def from_grid(cls, grid: WorkbookGrid) -> BudgetQuery:
        """Detect the plan of ``grid`` (with the workbook's own channel catalog)."""
        from .layout.detect import detect_plan

        return cls(grid, detect_plan(grid))

    # -- what the workbook declares ---------------------------------------------------
    @cached_property
    def config(self):
        """The validation config of the workbook (its catalog and «Regole PDZ»)."""
        from .validate.config import config_for_grid

        return config_for_grid(self.grid, self._tolerance)

    @property
    def catalog(self) -> Catalog:
        return self._catalog or self.config.catalog

    # -- groups -----------------------------------------------------------------------
    def lines(self, gruppo: str | None = None) -> list[Line]:
        """The lines under ``gruppo`` (every line when None or blank).

        A group is named by its label or its text as written («AREA POVERTA'»,
        «Azione 2: Sportello», «Obiettivo 3», «3» for obiettivo 3), case and accents
        aside; ``"A > B"`` narrows B to the lines under A. Several groups with the same
        name (an «Azione 1» in each servizio) are added together, as ``SUMIFS`` would."""
        if gruppo is None or not str(gruppo).strip():
            return list(self.plan.lines)
        key = str(gruppo)
        hit = self._lines_of.get(key)
        if hit is None:
            steps = [_norm(s) for s in key.split(PATH_SEPARATOR) if s.strip()]
            keys = self._line_keys
            candidates = self._group_index.get(steps[-1], []) if steps else []
            hit = [self.plan.lines[i] for i in candidates if _path_matches(keys[i], steps)]
            if not hit:
                raise QueryError(self._unknown_group(key))
            self._lines_of[key] = hit
        return hit

    def _sums(self, gruppo: str | None) -> tuple[dict[int, Cents], dict[str, Cents]]:
        """The lines of ``gruppo`` added up once for every year and every channel (the
        sums :meth:`total` answers with; blanks count as zero)."""
        key = "" if gruppo is None or not str(gruppo).strip() else str(gruppo)
        hit = self._sums_of.get(key)
        if hit is None:
            years: dict[int, Cents] = {}
            channels: dict[str, Cents] = {}
            for ln in self.lines(gruppo):
                for y, v in ln.amounts.items():
                    if v:
                        years[y] = years.get(y, 0) + v
                for c, v in ln.channels.items():
                    if v:
                        channels[c] = channels.get(c, 0) + v
            hit = self._sums_of[key] = (years, channels)
        return hit

    @cached_property
    def _line_keys(self) -> list[list[set[str]]]:
        """Per line, the names each group of its path answers to."""
        return [[_group_keys(g) for g in ln.groups] for ln in self.plan.lines]

    @cached_property
    def _group_index(self) -> dict[str, list[int]]:
        """Group name -> the lines under a group of that name (in plan order)."""
        index: dict[str, list[int]] = {}
        for i, groups in enumerate(self._line_keys):
            for name in set().union(*groups) if groups else ():
                index.setdefault(name, []).append(i)
        return index

    def group_names(self) -> list[str]:
        """Every group label of the plan, outermost first, without repeats."""
        seen: dict[str, None] = {}
        for ln in self.plan.lines:
            for g in ln.groups:
                seen.setdefault(g.text or g.label, None)
        return list(seen)

    def _unknown_group(self, gruppo: str) -> str:
        names = self.group_names()
        return f"il gruppo «{gruppo}» non è nel budget.{_suggestion(gruppo, names)}"

    # -- channels ---------------------------------------------------------------------
    def channel(self, canale: str) -> str:
        """The canonical code of a channel named as users write it (FNPS, F.N.P.S., FRS...)."""
        text = str(canale).strip()
        if not text:
            raise QueryError("indicare il canale (per esempio «FNPS»).")
        if text.upper() in self.plan.channel_codes or text.upper() in self._revenue_codes():
            return text.upper()
        code, _year = self.catalog.resolve(text)
        if code is None:
            known = ", ".join(self.plan.channel_codes) or "nessuno"
            raise QueryError(f"il canale «{text}» non è riconosciuto (canali del budget: "
                             f"{known}).")
        return code

    def _revenue_codes(self) -> set[str]:
        return {c for r in self.plan.revenues for c in (r.channel, r.source) if c}

    def year(self, anno: object | None) -> int:
        """The year asked for (the plan year when None), checked against the plan."""
        if anno is None or (isinstance(anno, str) and not anno.strip()):
            return self.plan.plan_year
        try:
            year = int(Decimal(str(anno).strip()))
        except ArithmeticError as exc:
            raise QueryError(f"l'anno «{anno}» non è un numero.") from exc
        if year not in self.plan.years:
            years = ", ".join(str(y) for y in self.plan.years)
            raise QueryError(f"il budget non ha importi per il {year} (anni: {years}).")
        return year

    # -- the questions ----------------------------------------------------------------
    def total(self, gruppo: str | None = None, canale: str | None = None,
              anno: object | None = None, fonte: str | None = None) -> Cents:
        """Cost total of ``gruppo`` (all lines when None) in ``anno`` (plan year when None);
        with ``canale``, only what the lines assign to that channel. ``fonte`` «righe»
        (default) adds up the lines; «dichiarati» gives what the workbook states for the
        group (:meth:`stated_total`), as «Triennale PDZ» does for year 1."""
        lines = self.lines(gruppo)
        year = self.year(anno)
        if canale is None or not str(canale).strip():
            if source_of(fonte) == "dichiarati" and gruppo is not None and str(gruppo).strip():
                stated = self.stated_total(lines, year)
                if stated is not None:
                    return stated
            return self._sums(gruppo)[0].get(year, 0)
        code = self.channel(canale)
        if year != self.plan.plan_year:
            raise QueryError(f"la ripartizione per canale c'è solo per il "
                             f"{self.plan.plan_year}, non per il {year}.")
        source_of(fonte)
        return self._sums(gruppo)[1].get(code, 0)

    def stated_total(self, lines: list[Line], year: int) -> Cents | None:
        """What the workbook states for exactly these lines in ``year``: for an area or
        obiettivo in the plan year, year 1 of «Triennale PDZ» in «dichiarati» mode (its
        TOTALE, else its row in the triennial table); otherwise a typed TOTALE row of
        these lines, or a live one equal to them. None: nothing stated."""
        ids = {ln.id for ln in lines}
        if year == self.plan.plan_year:
            for per in ("area", "obiettivo"):
                row = self._triennial_rows(per).get(frozenset(ids))
                if row is not None:
                    return row.years[0] if row.source.kind != "proiezioni" else None
        amount = sum(ln.amount(year) for ln in lines)
        for t in self.plan.totals:
            stated = t.amounts.get(year)
            if stated is None or set(t.line_ids) != ids:
                continue
            if t.formulas.get(year) is None or stated == amount:
                return stated
        return None

    def _triennial_rows(self, per: str) -> dict:
        """Line ids -> the «dichiarati» triennial row of each group at ``per``."""
        from .triennial.groups import cost_groups

        groups = cost_groups(self.plan, per)  # type: ignore[arg-type]
        if not any(g.key.split(":", 1)[1] != "-" for g in groups):
            return {}
        rows = {r.key: r for r in self.triennial_by(per).costs}
        return {frozenset(ln.id for ln in g.lines): rows[g.key] for g in groups
                if g.key in rows}

    def available(self, canale: str) -> Cents:
        """What a channel holds in the plan year (revenue items minus deductions); a
        revenue source (AVANZO 2020 VINCOLATO) counts its own items."""
        from .validate.revenue import available_by_channel, revenue_amount, revenue_tables

        code = self.channel(canale)
        by_channel = available_by_channel(self.plan)
        if code in by_channel:
            return by_channel[code]
        primary, _ = revenue_tables(self.plan)
        items = [r for r in primary if r.source == code and r.kind in ("item", "deduction")]
        if not items:
            raise QueryError(f"il canale «{canale}» non ha entrate nel budget.")
        sign = {"item": 1, "deduction": -1}
        return sum(sign[r.kind] * revenue_amount(r, self.plan.plan_year) for r in items)

    def allocated(self, canale: str, gruppo: str | None = None) -> Cents:
        """What the lines (of ``gruppo``) assign to a channel in the plan year."""
        return self.total(gruppo, canale)

    def residual(self, canale: str) -> Cents:
        """What is left of a channel: what it holds minus what is allocated to it."""
        return self.available(canale) - self.allocated(canale)

    def share(self, canale: str, gruppo: str | None = None) -> Decimal:
        """The fraction of the costs of ``gruppo`` (plan year) a channel covers."""
        total = self.total(gruppo)
        if total == 0:
            raise QueryError("il gruppo non ha costi nell'anno del piano: quota non definita.")
        return Decimal(self.allocated(canale, gruppo)) / Decimal(total)

    @cached_property
    def findings(self) -> list[Finding]:
        """The validation findings, as ``pdz-xl valida`` reports them."""
        from .validate import validate_plan

        return validate_plan(self.plan, self.config)

    def checks(self) -> str:
        """«OK», or how many errori and avvisi validation reports."""
        from .validate.engine import counts

        errori, avvisi = counts(self.findings)
        if not errori and not avvisi:
            return "OK"
        parts = []
        if errori:
            parts.append(plural(errori, "errore", "errori"))
        if avvisi:
            parts.append(plural(avvisi, "avviso", "avvisi"))
        return ", ".join(parts)

    def findings_rows(self, gravita: str | None = None) -> list[list[str]]:
        """The findings as rows (header first), worst first; ``gravita`` filters on
        «errore»/«errori» or «avviso»/«avvisi»."""
        from .validate.report import ranked

        wanted = _severity(gravita)
        rows = [[f.severity, f.code, f.cell or "", f.message] for f in ranked(self.findings)
                if wanted is None or f.severity == wanted]
        return [FINDINGS_HEADER, *rows]

    @cached_property
    def triennial(self):
        """The three-year plan as «Genera triennale» builds it (projections included)."""
        return self.triennial_by(None)

    def triennial_by(self, per: str | None, fonte: str | None = None):
        """The three-year plan with costs per ``per`` (area/obiettivo; None: natural) and
        year 1 from ``fonte`` («dichiarati», the sheet's default, or «righe»)."""
        year1 = source_of(fonte, "dichiarati")
        key = f"{per or ''}|{year1}"
        if key not in self._triennials:
            from .triennial.build import triennial_changeset

            _cs, data = triennial_changeset(self.grid, self.plan, per=per,  # type: ignore[arg-type]
                                            year1=year1)  # type: ignore[arg-type]
            self._triennials[key] = data
        return self._triennials[key]

    def triennial_row(self, gruppo: str | None = None, fonte: str | None = None
                      ) -> list[Cents]:
        """Three years and their total of a cost group (area or obiettivo) or a revenue
        channel; with no ``gruppo``, of the total costs. ``fonte``: how year 1 of the costs
        is read, «dichiarati» (default, as «Triennale PDZ») or «righe»."""
        data = self.triennial_by(None, fonte)
        if gruppo is None or not str(gruppo).strip():
            years = data.cost_totals()
            return [*years, sum(years)]
        key = _norm(gruppo)
        for per in (None, "area", "obiettivo"):
            for row in self.triennial_by(per, fonte).costs:
                names = {_norm(row.label), _norm(row.key), _norm(row.key.replace(":", " ")),
                         _norm(row.key.split(":", 1)[-1])}
                if key in names:
                    return [*row.years, row.total]
        try:
            code = self.channel(str(gruppo))
        except QueryError:
            code = None
        for row in data.revenues:
            if key in (_norm(row.label), _norm(row.key)) or row.key == code:
                return [*row.years, row.total]
        labels = [r.label for r in data.costs + data.revenues]
        raise QueryError(f"«{gruppo}» non è una riga del piano triennale."
                         f"{_suggestion(str(gruppo), labels)}")

    def triennial_header(self) -> list[str]:
        """The column titles of :meth:`triennial_row`."""
        return [*(str(y) for y in self.triennial.years), TRIENNIAL_HEADER_LAST]


def source_of(fonte: object | None, default: str = "righe") -> str:
    """«righe» or «dichiarati» from what a user writes (blank: ``default``)."""
    if fonte is None or not str(fonte).strip():
        return default
    key = _norm(fonte)
    if key.startswith("rig") or key in ("linee", "dettaglio", "somma"):
        return "righe"
    if key.startswith("dich") or key in ("totali", "stati", "dichiarato"):
        return "dichiarati"
    raise QueryError(f"fonte «{fonte}» non valida: «righe» (la somma delle righe) o "
                     "«dichiarati» (i totali scritti nella cartella).")


def _suggestion(name: str, names: list[str]) -> str:
    """« Forse: «A»; «B».» with the names closest to ``name``, or nothing."""
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    return f" Forse: {'; '.join(f'«{c}»' for c in close)}." if close else ""


def _severity(gravita: str | None) -> str | None:
    if gravita is None or not str(gravita).strip():
        return None
    key = _norm(gravita)
    if key.startswith("error"):
        return "errore"
    if key.startswith("avvis"):
        return "avviso"
    raise QueryError(f"gravità «{gravita}» non valida: «errori» o «avvisi».")


def _group_keys(g) -> set[str]:
    keys = {_norm(g.label)}
    if g.text:
        keys.add(_norm(g.text))
    if g.number is not None:
        keys.add(f"{g.level} {g.number}")
        if g.level == "obiettivo":
            keys.add(str(g.number))
    return keys


def _path_matches(path_keys: list[set[str]], steps: list[str]) -> bool:
    """True when the steps name groups of a line's path (outermost first), in order."""
    i = 0
    for keys in path_keys:
        if i < len(steps) and steps[i] in keys:
            i += 1
    return i == len(steps)
