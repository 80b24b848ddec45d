"""Every layout family, read without a «_pdz» sheet, gives the oracle's reading.

For each family of tests.support.families: plan and comparison year, the lines (paths,
voci, amounts, channel split) in reading order, every stated total, the validation findings
of the documents' slips (severity errore, rounding, PDZ403), the revenue items, and no
reading note beyond those the layout legitimately raises. A failure names the family and
the first difference of each aspect.
"""

from __future__ import annotations

import pytest

from pdz_xl.io.load import load_plan
from pdz_xl.validate import validate_plan
from tests.support.families import FAMILIES, build
from tests.support.families.compare import differences
from tests.support.families.findings import SAMPLE_2018, SAMPLE_2021, restricted
from tests.support.oracles import REPO


@pytest.mark.parametrize("family", list(FAMILIES))
def test_family_reads_to_the_oracle(tmp_path, family):
    path = tmp_path / f"{family}.xlsx"
    expected = build(family, path)
    plan = load_plan(path)
    found = differences(plan, validate_plan(plan), expected)
    assert found == [], f"{family} ({FAMILIES[family].summary}):\n  " + "\n  ".join(found)


@pytest.mark.parametrize(("sample", "pinned"), [
    ("piano_programma_2021.xlsx", SAMPLE_2021),
    ("piano_operativo_2018.xlsx", SAMPLE_2018),
])
def test_the_samples_give_the_pinned_slips(sample, pinned):
    """The components the families expect were pinned from the samples: they still hold."""
    got = sorted(restricted(validate_plan(load_plan(REPO / "workbooks" / sample))), key=repr)
    assert got == sorted(pinned, key=repr), f"{sample}: {got}"
