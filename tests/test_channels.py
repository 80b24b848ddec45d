"""The channel catalog: every alias seen in the documents, year suffixes, parents."""

import pytest

from pdz_xl.channels import default_catalog
from pdz_xl.channels.workbook import extend_from_workbook
from pdz_xl.grid import Cell, SheetGrid, WorkbookGrid

COLUMNS_2021 = ["FNPS", "FSOL", "FSR", "COMUNI", "ATS", "AVANZO_VINCOLATO",
                "AVANZO_NON_VINCOLATO", "ALTRI_FONDI_PROGETTUALI"]


@pytest.mark.parametrize(
    ("text", "code", "year"),
    [
        ("FNPS 2021", "FNPS", 2021), ("F.N.P.S.", "FNPS", None),
        ("Fondo Nazionale Politiche Sociali", "FNPS", None),
        ("FSR 2021", "FSR", 2021), ("FRS", "FSR", None),
        ("FSOL 2021", "FSOL", 2021), ("F.SOL", "FSOL", None),
        ("COMUNI", "COMUNI", None), ("Comuni 2021", "COMUNI", 2021),
        ("FONDI ATS", "ATS", None), ("Fondi ATS", "ATS", None), ("ATS", "ATS", None),
        ("AVANZO 2020 VINCOLATO", "AVANZO_VINCOLATO", 2020),
        ("AVANZO 2020 NON VINCOLATO", "AVANZO_NON_VINCOLATO", 2020),
        ("Avanzo gestionale 2020 vincolato", "AVANZO_VINCOLATO", 2020),
        ("Avanzo gestionale 2020 - non vincolato", "AVANZO_NON_VINCOLATO", 2020),
        ("ALTRI FONDI PROGETTUALI", "ALTRI_FONDI_PROGETTUALI", None),
        ("ALTRI FONDI", "ALTRI_FONDI", None), ("RESIDUI", "RESIDUI", None),
        ("PROVINCIA", "PROVINCIA", None), ("FNA 2021", "FNA", 2021), ("FNA", "FNA", None),
        ("Fondo POVERTA' - Reddito di Cittadinanza-PON-PAIS", "FONDO_POVERTA", None),
        ("Dopo di noi", "DOPO_DI_NOI", None),
        ("Progetto FAMI 2 Lab Impact + Fami linguistico Casalmaggiore", "FAMI", None),
        ("Proximity", "PROXIMITY", None), ("Fondazione Banca dell'Acqua", "BANCA_ACQUA", None),
        ("Doniamo Energia", "DONIAMO_ENERGIA", None), ("Progetto Diocesi", "DIOCESI", None),
        ("ATS Fondo sanitario Misura 6 Minori", "ATS_MISURA6", None),
        ("Progetto Smart Bear (Avanzo vincolato) - Quota vincolata 2021", "SMART_BEAR", 2021),
    ],
)
def test_aliases_from_the_documents(text, code, year):
    assert default_catalog().resolve(text) == (code, year)


@pytest.mark.parametrize("text", ["BUDGET 2021", "NOTE", "Totale avanzo 2020", "Direttore"])
def test_non_channels_do_not_resolve(text):
    assert default_catalog().resolve(text)[0] is None


@pytest.mark.parametrize(
    ("source", "column"),
    [("FNA", "ALTRI_FONDI_PROGETTUALI"), ("FONDO_POVERTA", "ALTRI_FONDI_PROGETTUALI"),
     ("ATS_MISURA6", "ATS"), ("SMART_BEAR", "AVANZO_VINCOLATO"), ("FNPS", "FNPS")],
)
def test_revenue_sources_feed_the_channel_columns(source, column):
    assert default_catalog().column_for(source, COLUMNS_2021) == column


def test_fna_is_its_own_column_when_the_workbook_has_one():
    assert default_catalog().column_for("FNA", ["FNA", "ALTRI_FONDI"]) == "FNA"


def test_restricted_funds():
    cat = default_catalog()
    assert cat.is_restricted("AVANZO_VINCOLATO") and cat.is_restricted("FNA")
    assert not cat.is_restricted("AVANZO_NON_VINCOLATO") and not cat.is_restricted("COMUNI")


def test_users_extend_the_catalog_from_the_workbook():
    sheet = SheetGrid("Canali PDZ")
    for col, text in enumerate(["Codice", "Nome", "Tipo", "Vincolato", "Alias",
                                "Confluisce in"], 1):
        sheet.set(1, col, Cell(text))
    for col, text in enumerate(["FONDO_XY", "Fondo regionale XY", "regionale", "sì",
                                "F.XY; Fondo XY", "ALTRI_FONDI_PROGETTUALI"], 1):
        sheet.set(2, col, Cell(text))
    cat = default_catalog()
    notes = extend_from_workbook(cat, WorkbookGrid("x.xlsx", [sheet]))
    assert notes == []
    assert cat.resolve("F.XY 2022") == ("FONDO_XY", 2022)
    assert cat.is_restricted("FONDO_XY")
    assert cat.column_for("FONDO_XY", COLUMNS_2021) == "ALTRI_FONDI_PROGETTUALI"
    assert default_catalog().resolve("F.XY")[0] is None  # the default is untouched
