"""Validation: every slip in a budget workbook found, explained and pointed at its cell."""

from .engine import ValidationConfig, validate_plan

__all__ = ["ValidationConfig", "validate_plan"]
