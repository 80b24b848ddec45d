"""The channel catalog: every alias seen in the documents, year suffixes, parents."""

import pytest

from pdz_xl.channels import default_catalog, normalise_label
from pdz_xl.channels.catalog import ChannelInfo, compact_key
from pdz_xl.channels.workbook import extend_from_workbook
from pdz_xl.grid import Cell, SheetGrid, WorkbookGrid
from tests.support.oracles import rows

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


# -- however an office writes the name ------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "code", "year"),
    [
        # dots, spaces, case, spelled-out letters
        ("A.T.S.", "ATS", None), ("Fondi A.T.S.", "ATS", None), ("fondi ats", "ATS", None),
        ("A.T.S. Val Padana", "ATS", None), ("ATS Val Padana", "ATS", None),
        ("F.SOL", "FSOL", None), ("F. SOL 2021", "FSOL", 2021), ("f.sol.", "FSOL", None),
        ("F.N.P.S. 2021", "FNPS", 2021), ("F. N. P. S.", "FNPS", None), ("F. N. A.", "FNA", None),
        ("P.I.P.P.I.", "PIPPI", None), ("PRO.V.I", "PROVI", None), ("PRO.VI", "PROVI", None),
        ("Pro-Vi 2021", "PROVI", 2021),
        # hyphens, dashes, parentheses
        ("FNPS - 2021", "FNPS", 2021), ("FNPS – 2021", "FNPS", 2021), ("FNPS (2021)", "FNPS", 2021),
        ("Fondo Nazionale Politiche Sociali (FNPS)", "FNPS", None),
        ("Fondo Sociale Regionale (FSR)", "FSR", None),
        ("COMUNI (quote capitarie)", "COMUNI", None),
        ("Avanzo 2020 - vincolato", "AVANZO_VINCOLATO", 2020),
        ("Avanzo-non-vincolato", "AVANZO_NON_VINCOLATO", None),
        # year words, prefixes and ranges (the year is the last one, as split_year reads it)
        ("FNPS anno 2021", "FNPS", 2021), ("FSOL anno 2021", "FSOL", 2021),
        ("Anno 2021 FNPS", "FNPS", 2021), ("2021 - FSR", "FSR", 2021),
        ("FNPS (anno 2021)", "FNPS", 2021), ("Fondo Povertà annualità 2020", "FONDO_POVERTA", 2020),
        ("FNA esercizio 2021", "FNA", 2021), ("Care Leavers 2021/2023", "CARE_LEAVERS", 2023),
        ("FSOL 2020-2021", "FSOL", 2021), ("FSR 2021/23", "FSR", 2023),
        ("Doniamo Energia 2020 - 2021", "DONIAMO_ENERGIA", 2021),
        # abbreviations
        ("Fondo Sociale Reg.le", "FSR", None), ("Fondo sociale reg.le 2021", "FSR", 2021),
        ("Fondo naz.le politiche sociali", "FNPS", None), ("F.do di solidarietà", "FSOL", None),
        ("Fdo solidarietà", "FSOL", None), ("F.do non autosuff.", "FNA", None),
        ("Avanzo vinc. 2020", "AVANZO_VINCOLATO", 2020),
        ("Avanzo non vinc.", "AVANZO_NON_VINCOLATO", None),
        ("Avanzo 2020 non vinc.", "AVANZO_NON_VINCOLATO", 2020),
        ("Avanzo di amm.ne vincolato", "AVANZO_VINCOLATO", None),
        ("Fondi prov.li", "PROVINCIA", None), ("Risorse com.li", "COMUNI", None),
        # accents and apostrophes
        ("FONDO POVERTÀ", "FONDO_POVERTA", None), ("Fondo Poverta'", "FONDO_POVERTA", None),
        ("Liberalita", "CONTRIBUTI_PRIVATI", None),
        # law references are not years
        ("Dopo di noi (L. 112/2016)", "DOPO_DI_NOI", None), ("Legge 112/2016", "DOPO_DI_NOI", None),
        ("FNPS 2021 (L. 328/2000)", "FNPS", 2021),
    ],
)
def test_names_resolve_however_written(text, code, year):
    assert default_catalog().resolve(text) == (code, year)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("PRO.VI", "PROVI"), ("Progetti di vita indipendente", "PROVI"),
        ("Regione Lombardia - PRO.VI", "PROVI"),
        ("Fondo Povertà", "FONDO_POVERTA"), ("Quota servizi Fondo Povertà 2021", "FONDO_POVERTA"),
        ("Reddito di cittadinanza", "FONDO_POVERTA"), ("RdC", "FONDO_POVERTA"),
        ("PAIS", "FONDO_POVERTA"), ("Piano Povertà", "FONDO_POVERTA"),
        ("Reddito di inclusione", "FONDO_POVERTA"), ("REI 2018", "FONDO_POVERTA"),
        ("Fondo Povertà - PON Inclusione", "FONDO_POVERTA"),
        ("PON Inclusione", "PON_INCLUSIONE"), ("PON 2021", "PON_INCLUSIONE"),
        ("P.O.N. Inclusione - Avviso 3", "PON_INCLUSIONE"),
        ("Dopo di noi L. 112/2016", "DOPO_DI_NOI"), ("Fondo Dopo di Noi 2021", "DOPO_DI_NOI"),
        ("FAMI", "FAMI"), ("Fondo Asilo Migrazione e Integrazione", "FAMI"),
        ("Misure regionali", "MISURE_REGIONALI"), ("Regione Lombardia", "MISURE_REGIONALI"),
        ("Reddito di autonomia 2021", "MISURE_REGIONALI"),
        ("Bonus assistenti familiari", "MISURE_REGIONALI"),
        ("Emergenza abitativa", "MISURE_REGIONALI"),
        # Misura B1/B2 are Lombardy's FNA programme, so FNA money
        ("Misura B2", "FNA"), ("FNA - Misura B2 2021", "FNA"),
        ("PROVINCIA", "PROVINCIA"), ("Provincia di Cremona", "PROVINCIA"),
        ("Contributo provinciale", "PROVINCIA"),
        ("Fondo sanitario", "FONDO_SANITARIO"), ("Quota sanitaria CDD", "FONDO_SANITARIO"),
        ("ATS Fondo sanitario Misura 6 Minori 2021", "ATS_MISURA6"),
        ("5 per mille", "CINQUE_PER_MILLE"), ("5 x mille", "CINQUE_PER_MILLE"),
        ("5xmille 2020", "CINQUE_PER_MILLE"), ("Cinque per mille", "CINQUE_PER_MILLE"),
        ("Fondazione", "FONDAZIONI"), ("Fondazione Cariplo", "FONDAZIONI"),
        ("Contributi da fondazioni", "FONDAZIONI"),
        ("Fondazione Banca dell'Acqua", "BANCA_ACQUA"),
        ("Contributi da privati", "CONTRIBUTI_PRIVATI"),
        ("Erogazioni liberali", "CONTRIBUTI_PRIVATI"),
        ("Donazioni", "CONTRIBUTI_PRIVATI"),
        ("Compartecipazione utenti", "COMPARTECIPAZIONE_UTENTI"),
        ("Compartecipazione degli utenti al costo del servizio", "COMPARTECIPAZIONE_UTENTI"),
        ("Rette utenti", "COMPARTECIPAZIONE_UTENTI"),
        ("Rette a carico degli utenti", "COMPARTECIPAZIONE_UTENTI"),
        ("Quote utenti", "COMPARTECIPAZIONE_UTENTI"),
        ("Fondo unico", "FONDO_UNICO"), ("Fondo unico regionale 2021", "FONDO_UNICO"),
        ("Fondi comunali", "COMUNI"), ("Quote capitarie", "COMUNI"),
        ("Trasferimenti dai Comuni", "COMUNI"),
        ("ASL", "ATS"), ("Agenzia di Tutela della Salute", "ATS"),
    ],
)
def test_sources_real_plans_use(text, code):
    assert default_catalog().resolve(text)[0] == code


@pytest.mark.parametrize(
    ("code", "kind", "restricted", "parent"),
    [
        ("PROVI", "regional", True, "ALTRI_FONDI_PROGETTUALI"),
        ("FONDO_POVERTA", "national", True, "ALTRI_FONDI_PROGETTUALI"),
        ("PON_INCLUSIONE", "national", True, "ALTRI_FONDI_PROGETTUALI"),
        ("DOPO_DI_NOI", "national", True, "ALTRI_FONDI_PROGETTUALI"),
        ("FAMI", "project", True, "ALTRI_FONDI_PROGETTUALI"),
        ("MISURE_REGIONALI", "regional", True, "ALTRI_FONDI_PROGETTUALI"),
        ("PROVINCIA", "provincial", False, None),
        ("FONDO_SANITARIO", "ats", True, "ATS"),
        ("FONDAZIONI", "project", True, "ALTRI_FONDI_PROGETTUALI"),
        ("CINQUE_PER_MILLE", "other", False, "ALTRI_FONDI"),
        ("CONTRIBUTI_PRIVATI", "other", False, "ALTRI_FONDI"),
        ("COMPARTECIPAZIONE_UTENTI", "other", False, "ALTRI_FONDI"),
        ("FONDO_UNICO", "regional", False, None),
    ],
)
def test_entry_kinds(code, kind, restricted, parent):
    e = default_catalog().get(code)
    assert (e.kind, e.restricted, e.parent) == (kind, restricted, parent)


def test_every_default_alias_resolves_to_its_entry_without_keywords():
    cat = default_catalog()
    owner: dict[str, str] = {}
    for e in cat:
        for alias in [e.code, e.name, *e.aliases]:
            key = compact_key(alias)
            assert owner.setdefault(key, e.code) == e.code, (alias, owner[key])
            assert cat.resolve(alias, keywords=False)[0] == e.code, alias
    for e in cat:
        assert e.parent is None or e.parent in cat, e.code


def test_normalise_label_is_unchanged_and_the_compact_key_is_separate():
    # normalise_label is a matching key elsewhere: spaces and years stay
    assert normalise_label("F.N.P.S. 2021") == "f n p s 2021"
    assert normalise_label("Fondo POVERTA' - Reddito") == "fondo poverta reddito"
    assert normalise_label("Avanzo vinc. 2020") == "avanzo vinc 2020"
    assert compact_key("F.N.P.S. anno 2021") == compact_key("fnps") == "fnps"
    assert compact_key("Avanzo vinc. 2020") == "avanzovincolato"
    assert compact_key("Dopo di noi (L. 112/2016)") == "dopodinoilegge1122016"


@pytest.mark.parametrize("text", ["Totale", "TOTALE ENTRATE", "Legge 328/2000", "anno 2021",
                                  "Fondo", "Fondi", "Quota vincolata 2021", "Avanzo",
                                  "Regione", "Utenti", "Rette", "Gestione rette",
                                  "Misure emergenza abitativa", "Interventi fondo 2016"])
def test_more_non_channels(text):
    assert default_catalog().resolve(text)[0] is None


def test_user_aliases_match_however_written():
    cat = default_catalog()
    cat.add(cat.get("FSR").model_copy(update={"aliases": ["Circolare 4"], "user_defined": True}))
    cat.add(ChannelInfo(code="FONDO_XY", name="Fondo XY", aliases=["F.XY"], user_defined=True))
    assert cat.resolve("Circ. 4")[0] is None
    assert cat.resolve("CIRCOLARE-4 anno 2021") == ("FSR", 2021)
    assert cat.resolve("F XY 2022") == ("FONDO_XY", 2022)
    assert cat.resolve("fxy") == ("FONDO_XY", None)


# -- the reference plans: revenues resolve, cost labels do not (unless they name a fund) -----

PP2021_CANALI = {  # voce -> (channel code, column of the 2021 schede it feeds)
    "Avanzo gestionale 2020 vincolato": ("AVANZO_VINCOLATO", "AVANZO_VINCOLATO"),
    "Avanzo gestionale 2020 - non vincolato": ("AVANZO_NON_VINCOLATO", "AVANZO_NON_VINCOLATO"),
    "Totale avanzo 2020": (None, None),
    "FNPS 2021": ("FNPS", "FNPS"),
    "FSOL 2021": ("FSOL", "FSOL"),
    "FSR 2021": ("FSR", "FSR"),
    "Comuni 2021": ("COMUNI", "COMUNI"),
    "Fondo POVERTA' - Reddito di Cittadinanza-PON-PAIS": ("FONDO_POVERTA",
                                                          "ALTRI_FONDI_PROGETTUALI"),
    "Dopo di noi": ("DOPO_DI_NOI", "ALTRI_FONDI_PROGETTUALI"),
    "Progetto FAMI 2 Lab Impact + Fami linguistico Casalmaggiore": ("FAMI",
                                                                    "ALTRI_FONDI_PROGETTUALI"),
    "Care Leavers": ("CARE_LEAVERS", "ALTRI_FONDI_PROGETTUALI"),
    "Azioni di rete": ("AZIONI_DI_RETE", "ALTRI_FONDI_PROGETTUALI"),
    "Proximity": ("PROXIMITY", "ALTRI_FONDI_PROGETTUALI"),
    "Progetto PIPPI": ("PIPPI", "ALTRI_FONDI_PROGETTUALI"),
    "Fondazione Banca dell'Acqua": ("BANCA_ACQUA", "ALTRI_FONDI_PROGETTUALI"),
    "Doniamo Energia": ("DONIAMO_ENERGIA", "ALTRI_FONDI_PROGETTUALI"),
    "FNA 2021": ("FNA", "ALTRI_FONDI_PROGETTUALI"),
    "Progetto Diocesi": ("DIOCESI", "ALTRI_FONDI_PROGETTUALI"),
    "ATS Fondo sanitario Misura 6 Minori": ("ATS_MISURA6", "ATS"),
    "Fondi ATS": ("ATS", "ATS"),
    "Totale Entrate 2021": (None, None),
    "TOTALE BUDGET": (None, None),
    "Progetto Smart Bear (Avanzo vincolato) - Quota vincolata 2021": ("SMART_BEAR",
                                                                      "AVANZO_VINCOLATO"),
    "Progetto Fami 2 - Quota vincolata 2021": ("FAMI", "ALTRI_FONDI_PROGETTUALI"),
    "TOTALE PO 2021": (None, None),
}

PO2018_TRIENNALE = {  # the document spells FSR as FRS
    "RESIDUI": "RESIDUI", "FNPS": "FNPS", "FRS": "FSR", "FSOL": "FSOL", "FNA": "FNA",
    "COMUNI": "COMUNI", "PROVINCIA": "PROVINCIA", "ATS": "ATS", "ALTRI FONDI": "ALTRI_FONDI",
    "TOTALE": None,
}


def test_every_revenue_label_of_the_2021_plan_resolves():
    cat = default_catalog()
    voci = [r["voce"] for r in rows("pp2021_canali.csv")]
    assert sorted(voci) == sorted(PP2021_CANALI)
    for voce in voci:
        code, column = PP2021_CANALI[voce]
        assert cat.resolve(voce)[0] == code, voce
        if code:
            assert cat.column_for(code, COLUMNS_2021) == column, voce


def test_every_channel_row_of_the_2018_triennial_resolves():
    cat = default_catalog()
    voci = [r["voce"] for r in rows("po2018_triennale_canali.csv")]
    assert voci == list(PO2018_TRIENNALE)
    assert {v: cat.resolve(v)[0] for v in voci} == PO2018_TRIENNALE


# Cost labels (voce, azione, servizio, area, obiettivo of both plans) go through the same
# resolver when a table's kind is decided. These are the ones that resolve, each because
# it names the fund it spends; a table with azioni is read as costs whatever its labels
# resolve to, and a revenue table needs most of its labels to resolve. Any other cost
# label resolving means an alias or keyword is too loose.
COST_LABELS_NAMING_A_FUND = {
    # azioni named after the fund they manage
    "Azione 1: FAMI 1": "FAMI",
    "Azione 2: FAMI 2": "FAMI",
    "Azione 1: FNA": "FNA",
    "Azione 2: FNA": "FNA",
    "Azione 2: Gestione FSR": "FSR",  # managing the FSR: it names the FSR, as it always has
    "Azione 6: Gestione FSR": "FSR",
    "Azione 2: Piano Povertà - Reddito di cittadinanza": "FONDO_POVERTA",
    "Azione 3: Dopo di noi": "DOPO_DI_NOI",
    "Azione 4: Dopo di noi": "DOPO_DI_NOI",
    "Azione 4: PRO-VI": "PROVI",
    "Azione 5: PRO-VI": "PROVI",
    # voci spending one fund, named after it
    "FNA - Buono Sociale Assistenza": "FNA",
    "FNA - Buono acquisto prestazioni": "FNA",
    "FNA -Voucher": "FNA",
    "Gestione FNA": "FNA",
    "Buoni sociali distrettuali - Risorse confluite ad integrazione FNA": "FNA",
    "Buoni sociali distrettuali – Risorse confluite ad integrazione FNA": "FNA",
    "Gestione Dopo di Noi": "DOPO_DI_NOI",
    "Gestione Pro-Vi": "PROVI",
    "Provi": "PROVI",
    "Provi (Interventi)": "PROVI",
    "PON 2019": "PON_INCLUSIONE",
    "Piano Azione Povertà": "FONDO_POVERTA",
    "Fondo di salvaguardia Operatori Piano Povertà": "FONDO_POVERTA",
    "Fondo ATS Centri Estivi": "ATS",
    "Rimborso ATS": "ATS",
    "Doniamo energia (tirocini)": "DONIAMO_ENERGIA",
    "Progetto Banca dell'Acqua": "BANCA_ACQUA",
    # the Piano Provinciale (provincial funding for work placements)
    "Piano Provinciali azioni di rete - Laboratori accompagnamento educativo": "PROVINCIA",
    "Piano Provinciali azioni di rete - personale": "PROVINCIA",
    "Piano Provinciali azioni di rete - spese di progetto": "PROVINCIA",
    "Piano Provinciali azioni di rete -Tirocini Lavorativi": "PROVINCIA",
    "Piano Provinciali azioni di sistema -Tirocini Lavorativi": "PROVINCIA",
}


def _cost_labels() -> set[str]:
    labels = set()
    for name, cols in (("pp2021_lines.csv", ("area", "servizio", "azione", "voce")),
                       ("po2018_lines.csv", ("obiettivo", "azione", "voce"))):
        for r in rows(name):
            labels.update(r[c].strip() for c in cols if r[c].strip())
    return labels


def test_cost_labels_resolve_only_when_they_name_a_fund():
    cat = default_catalog()
    labels = _cost_labels()
    assert len(labels) > 250
    resolving = {t: code for t in labels if (code := cat.resolve(t)[0])}
    assert resolving == COST_LABELS_NAMING_A_FUND


SEED_FUNDING_NAMES = {
    # Piano Operativo 2018
    "RESIDUI": "RESIDUI", "FNPS": "FNPS", "FRS": "FSR", "FSOL": "FSOL", "FNA": "FNA",
    "COMUNI": "COMUNI", "PROVINCIA": "PROVINCIA", "ATS": "ATS", "ALTRI FONDI": "ALTRI_FONDI",
    "Fondo di Solidarietà": "FSOL", "PRO-VI": "PROVI", "FAMI": "FAMI", "PON": "PON_INCLUSIONE",
    "REI": "FONDO_POVERTA", "Regione Lombardia": "MISURE_REGIONALI",
    # Piano Programma 2021-2023: «Le fonti di finanziamento» and the schede's headers
    "Fondi comunali": "COMUNI",
    "Fondo Nazionale Politiche Sociali (FNPS)": "FNPS",
    "Fondo Sociale Regionale (FSR)": "FSR",
    "Fondo Non Autosufficienza (FNA)": "FNA",
    "Fondi ATS": "ATS", "Misure Regionali": "MISURE_REGIONALI", "Piano Povertà": "FONDO_POVERTA",
    "Altre entrate": "ALTRI_FONDI", "Fondo Povertà": "FONDO_POVERTA",
    "Dopo di Noi": "DOPO_DI_NOI", "Reddito di autonomia": "MISURE_REGIONALI",
    "Emergenza Abitativa": "MISURE_REGIONALI", "Bonus assistenti familiari": "MISURE_REGIONALI",
    "Reddito di Cittadinanza": "FONDO_POVERTA", "Misura 6": "ATS_MISURA6",
    "FNPS 2021": "FNPS", "FSOL 2021": "FSOL", "FSR 2021": "FSR", "FONDI ATS": "ATS",
    "AVANZO 2020 VINCOLATO": "AVANZO_VINCOLATO",
    "AVANZO 2020 NON VINCOLATO": "AVANZO_NON_VINCOLATO",
    "ALTRI FONDI PROGETTUALI": "ALTRI_FONDI_PROGETTUALI",
}


def test_the_funding_names_of_the_documents_resolve():
    cat = default_catalog()
    assert {t: cat.resolve(t)[0] for t in SEED_FUNDING_NAMES} == SEED_FUNDING_NAMES
