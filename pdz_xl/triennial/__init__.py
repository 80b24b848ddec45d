"""The three-year sheet (Piano economico – preventivo triennale) and its data package."""
