"""The guide's pictures are what the product writes today: rendered again from the samples
by tools/guide_pictures.py, every picture has the committed size, page count and printed
text. When this fails after a deliberate change: run the script and commit the pictures."""

from __future__ import annotations

import json

import pytest

from tests.support.oracles import REPO
from tools import guide_pictures

GUIDE = REPO / "docs" / "guida"


def test_every_picture_is_committed_and_used_by_the_guide():
    manifest = json.loads((GUIDE / "img" / guide_pictures.MANIFEST).read_text("utf-8"))
    assert set(manifest) == {p.name for p in guide_pictures.PICTURES}
    pages = " ".join(p.read_text("utf-8") for p in GUIDE.glob("*.md"))
    for entry in manifest.values():
        assert (GUIDE / "img" / entry["file"]).exists()
        assert f"img/{entry['file']}" in pages, entry["file"]


def test_digest_ignores_dates_and_spacing_only():
    d = guide_pictures.page_digest
    assert d("Controlli  del 15/01/2025\n ore 10:30") == d("Controlli del 02/12/2026 ore 09:05")
    assert d("TOTALE € 1.000,00") != d("TOTALE € 1.000,01")


@pytest.mark.libreoffice
@pytest.mark.slow
def test_pictures_match_a_new_rendering(tmp_path):
    committed = json.loads((GUIDE / "img" / guide_pictures.MANIFEST).read_text("utf-8"))
    fresh = guide_pictures.render_all(tmp_path)
    hint = "rigenerare con: python tools/guide_pictures.py (e committare docs/guida/img)"
    for name, entry in committed.items():
        new = fresh[name]
        assert (new["pagine"], new["pixel"]) == (entry["pagine"], entry["pixel"]), \
            f"{name}: {hint}"
        assert new["testo"] == entry["testo"], f"{name}: testo stampato cambiato; {hint}"
