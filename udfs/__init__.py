"""The Excel-facing layer: xlwings worksheet functions and actions, thin over the core."""
