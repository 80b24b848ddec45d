"""Allocation: split every cost line over its funding channels, exact to the cent.

Layers, each usable alone: :mod:`.problem` / :mod:`.solver` (a transportation problem in
integer cents, solved by OR-Tools min-cost flow or SciPy's HiGHS, verified exact,
infeasibility explained), :mod:`.rules` (the «Regole PDZ» sheet), :mod:`.model` (Plan +
rules + mode -> Problem), :mod:`.apply` (the Allocation and the Changeset that writes it).
"""

from .apply import Allocation, AllocationInfeasible, allocate, allocation_changeset
from .explain import Explanation
from .model import MODES, build_model
from .problem import AllocationError, Problem, Shortfall, Solution
from .rules import RULES_SHEET, Rule, RuleSet, parse_rules, rules_sheet
from .solver import solve

__all__ = ["MODES", "RULES_SHEET", "Allocation", "AllocationError", "AllocationInfeasible",
           "Explanation", "Problem", "Rule", "RuleSet", "Shortfall", "Solution", "allocate",
           "allocation_changeset", "build_model", "parse_rules", "rules_sheet", "solve"]
