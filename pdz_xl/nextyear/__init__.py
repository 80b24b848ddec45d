"""Next year's workbook from this year's, in the office's own layout (``pdz-xl nuovo-anno``).

:func:`.build.next_year` turns a workbook and its Plan into the Changeset that makes it the
budget of the year after: the plan-year figures kept as the comparison year, the new year's
amounts from :mod:`.amounts`, channel splits cleared or kept, years in headers and titles
moved on (:mod:`.years`), the revenue table for the new year (:mod:`.revenue`), every
formula's cached value computed again (:mod:`.evaluate`). Design: ``docs/nuovo-anno.md``.
"""
