"""The ribbon add-in built on Linux: a real .xlam whose VBA project oletools reads back to
our sources, whose ribbon calls callbacks that exist, whose callbacks call Python entry
points that exist; installed and removed without touching other settings."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from oletools.olevba import VBA_Parser
from typer.testing import CliRunner

import udfs.scripts as scripts
from pdz_xl.addin import install
from pdz_xl.addin.build import CONF_SHEET, CUSTOM_UI, build_addin, vba_sources
from pdz_xl.addin.ovba_compress import compress, pad_source
from pdz_xl.cli.app import app
from tests.support.libreoffice import convert

NS = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}


@pytest.fixture(scope="module")
def addin(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin"))


def _lines(code: str) -> list[str]:
    return [ln.rstrip() for ln in code.replace("\r\n", "\n").split("\n")
            if ln.strip() and not ln.startswith("Attribute VB_")]


def as_xlsm(addin: Path, dest: Path) -> Path:
    """The same package declared as a macro workbook: openpyxl and LibreOffice open
    .xlsm, not add-ins; everything else in the package is what Excel gets."""
    with zipfile.ZipFile(addin) as src, zipfile.ZipFile(dest, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"ms-excel.addin.macroEnabled",
                                    b"ms-excel.sheet.macroEnabled")
            out.writestr(item, data)
    return dest


def test_build_is_deterministic(addin: Path, tmp_path: Path):
    assert build_addin(tmp_path).read_bytes() == addin.read_bytes()


def test_package_is_a_macro_enabled_addin_with_a_ribbon(addin: Path):
    with zipfile.ZipFile(addin) as zf:
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("_rels/.rels").decode()
        assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
        assert "ui/extensibility" in rels and "customUI/customUI14.xml" in rels
        assert zf.read("xl/vbaProject.bin")[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    wb = openpyxl.load_workbook(as_xlsm(addin, addin.with_name("copia.xlsm")), keep_vba=True)
    conf = wb[CONF_SHEET]
    assert (conf["A1"].value, conf["B1"].value) == ("UDF MODULES", "udfs.functions")


def test_oletools_reads_back_every_module(addin: Path):
    parser = VBA_Parser(str(addin))
    found = {Path(name).stem: code for _f, _s, name, code in parser.extract_macros()}
    for name, code in vba_sources().items():
        assert _lines(found[name]) == _lines(code), name
    assert 'PROJECT_NAME As String = "pdz_xl"' in found["xlwings"]


def test_ribbon_buttons_call_callbacks_that_call_existing_entry_points():
    root = etree.fromstring(CUSTOM_UI.read_bytes())
    actions = [b.get("onAction") for b in root.iterfind(".//ui:button", namespaces=NS)]
    labels = [b.get("label") for b in root.iterfind(".//ui:button", namespaces=NS)]
    assert labels == ["Valida", "Alloca", "Genera triennale", "Pulisci segni",
                      "Importa funzioni"]
    vba = vba_sources()["PdzRibbon"]
    assert vba.isascii()  # VBA source is stored as MBCS: keep it ASCII
    for action in actions:
        assert re.search(rf"Public Sub {action}\(control As IRibbonControl\)", vba), action
    called = re.findall(r'RunPdz "(\w+)"', vba)
    assert sorted(called) == ["alloca_da_excel", "pulisci_da_excel", "triennale_da_excel",
                              "valida_da_excel"]
    assert all(callable(getattr(scripts, name)) for name in called)
    assert 'RunPython "import udfs.scripts; udfs.scripts." & entryPoint & "()"' in vba


@pytest.mark.libreoffice
def test_libreoffice_opens_the_package(addin: Path, tmp_path: Path):
    out = convert(as_xlsm(addin, tmp_path / "pdz_xl.xlsm"), tmp_path / "lo", "xlsx")
    assert openpyxl.load_workbook(out).sheetnames == [CONF_SHEET]


@pytest.mark.parametrize("size", [0, 3, 4096, 5000, 8000, 45_838])
def test_compression_round_trips(size: int):
    from oletools.olevba import decompress_stream

    data = bytes((i * 7 + i // 13) % 251 for i in range(size))
    padded = pad_source(data)
    assert padded[:size] == data
    assert bytes(decompress_stream(bytearray(compress(padded)))) == padded


def test_install_and_remove_keep_other_settings(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(install.Path, "home", lambda: tmp_path / "home")
    conf = tmp_path / "home" / ".pdz_xl" / "pdz_xl.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text('"SHOW CONSOLE","True"\n', encoding="utf-8")
    xlstart = tmp_path / "XLSTART"
    result = CliRunner().invoke(app, ["addin", "install", "--cartella", str(xlstart)])
    assert result.exit_code == 0, result.output
    assert (xlstart / "pdz_xl.xlam").exists()
    settings = install.read_config(conf)
    assert settings["SHOW CONSOLE"] == "True"
    assert settings["UDF MODULES"] == "udfs.functions"
    assert any(k.startswith("INTERPRETER") for k in settings)
    result = CliRunner().invoke(app, ["addin", "remove", "--cartella", str(xlstart)])
    assert result.exit_code == 0, result.output
    assert not (xlstart / "pdz_xl.xlam").exists()
    assert install.read_config(conf) == {"SHOW CONSOLE": "True"}


def test_install_without_excel_asks_for_the_folder(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(install.Path, "home", lambda: tmp_path)
    result = CliRunner().invoke(app, ["addin", "install"])
    assert result.exit_code == 2 and "--cartella" in result.output
