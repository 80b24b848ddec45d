"""The ribbon add-in built on Linux: a real .xlam whose VBA project two independent readers
(oletools, LibreOffice) read back to our sources, whose ribbon calls callbacks that exist,
whose callbacks call the Python entry points the lead's ``udfs.scripts`` defines;
installed and removed without touching other settings."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import signal
import subprocess
import zipfile
from html import unescape
from pathlib import Path

import olefile
import openpyxl
import pytest
from lxml import etree
from oletools.olevba import VBA_Parser, decompress_stream
from typer.testing import CliRunner

from pdz_xl.addin import install
from pdz_xl.addin.build import CLASS_MODULES, CONF_SHEET, CUSTOM_UI, build_addin, vba_sources
from pdz_xl.addin.cfb import compound_file
from pdz_xl.addin.ovba_compress import compress, pad_source
from pdz_xl.addin.vba_project import DOCUMENTS, PROJECT_ID
from pdz_xl.cli.app import app

NS = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}
ENTRY_POINTS = ["valida_da_excel", "alloca_da_excel", "triennale_da_excel", "correggi_da_excel",
                "pulisci_da_excel", "nuovo_anno_da_excel"]
"""The classic entry points of ``udfs.scripts`` (not imported here)."""


@pytest.fixture(scope="module")
def addin(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin"))


@pytest.fixture(scope="module")
def ole(addin: Path) -> olefile.OleFileIO:
    with zipfile.ZipFile(addin) as zf:
        return olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))


def _lines(code: str) -> list[str]:
    """Code lines, ignoring line endings, blank lines and the attributes VBA keeps apart."""
    return [ln.rstrip() for ln in code.replace("\r\n", "\n").split("\n")
            if ln.strip() and not ln.startswith("Attribute VB_")]


def as_xlsm(addin: Path, dest: Path) -> Path:
    """The same package declared as a macro workbook: openpyxl refuses the add-in content
    type ("File contains no valid workbook part"); everything else is what Excel gets."""
    with zipfile.ZipFile(addin) as src, zipfile.ZipFile(dest, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"ms-excel.addin.macroEnabled",
                                    b"ms-excel.sheet.macroEnabled")
            out.writestr(item, data)
    return dest


# --- the package ------------------------------------------------------------------------

def test_build_is_deterministic_and_leaves_random_alone(addin: Path, tmp_path: Path):
    random.seed(42)
    expected = random.random()
    random.seed(42)
    again = build_addin(tmp_path / "again")
    assert random.random() == expected  # the fixed seed of the protection strings is local
    assert again.read_bytes() == addin.read_bytes()
    assert not [p for p in again.parent.iterdir() if p.name != "pdz_xl.xlam"]  # no temp


def test_package_is_a_macro_enabled_addin_with_a_ribbon(addin: Path):
    with zipfile.ZipFile(addin) as zf:
        assert zf.testzip() is None
        assert {i.date_time for i in zf.infolist()} == {(2024, 1, 1, 0, 0, 0)}
        types = zf.read("[Content_Types].xml").decode()
        rels = etree.fromstring(zf.read("_rels/.rels"))
        ui = zf.read("customUI/customUI14.xml")
        assert zf.read("xl/vbaProject.bin")[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    assert ('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.'
            'addin.macroEnabled.main+xml"/>') in types
    targets = {r.get("Type"): r.get("Target") for r in rels}
    assert targets["http://schemas.microsoft.com/office/2007/relationships/ui/"
                   "extensibility"] == "customUI/customUI14.xml"
    assert ui == CUSTOM_UI.read_bytes()


def test_openpyxl_opens_it_with_its_vba(addin: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(as_xlsm(addin, tmp_path / "copia.xlsm"), keep_vba=True)
    assert wb.sheetnames == [CONF_SHEET]
    assert wb.code_name == "ThisWorkbook"
    conf = wb[CONF_SHEET]
    assert conf.sheet_properties.codeName == "Sheet1"  # the document module Sheet1
    assert (conf["A1"].value, conf["B1"].value) == ("UDF MODULES", "udfs.functions")
    assert "xl/vbaProject.bin" in wb.vba_archive.namelist()


# --- the VBA project --------------------------------------------------------------------

def test_oletools_reads_back_every_module(addin: Path):
    parser = VBA_Parser(str(addin))
    found = {}
    for _f, _s, name, code in parser.extract_macros():
        stem, ext = os.path.splitext(name)
        found[stem] = (ext, code)
    sources = vba_sources()
    assert set(found) == set(sources) | set(DOCUMENTS)
    for name, code in sources.items():
        ext, back = found[name]
        assert ext == (".cls" if name in CLASS_MODULES else ".bas"), name
        assert _lines(back) == _lines(code), name
        assert back.startswith(f'Attribute VB_Name = "{name}"'), name
    for name, clsid in DOCUMENTS.items():
        assert found[name][0] == ".cls"
        assert f'Attribute VB_Base = "0{{{clsid}}}"' in found[name][1]
    assert 'PROJECT_NAME As String = "pdz_xl"' in found["xlwings"][1]


def test_project_streams_agree(ole: olefile.OleFileIO):
    streams = {"/".join(p) for p in ole.listdir()}
    names = ["ThisWorkbook", "Sheet1", *vba_sources()]
    assert streams == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir",
                       *(f"VBA/{n}" for n in names)}
    # _VBA_PROJECT: version 0xFFFF, no performance cache -> Excel compiles the source
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000300")
    project = ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")
    assert project[0] == f'ID="{PROJECT_ID}"'
    declared = [ln for ln in project if re.match(r"(Document|Module|Class)=", ln)]
    assert declared == [
        *(f"Document={n}/&H00000000" for n in DOCUMENTS),
        *(f"{'Class' if n in CLASS_MODULES else 'Module'}={n}" for n in vba_sources())]
    wm = ole.openstream("PROJECTwm").read()
    assert wm == b"".join(n.encode() + b"\0" + n.encode("utf-16-le") + b"\0\0"
                          for n in names) + b"\0\0"
    dir_stream = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    for name in names:  # MODULESTREAMNAME records
        assert b"\x1a\x00" + len(name).to_bytes(4, "little") + name.encode() in dir_stream


def _decrypt(hex_text: str) -> tuple[int, bytes]:
    """[MS-OVBA] 2.4.3.3 Decryption, written from the specification (not ms_ovba's)."""
    enc = bytes.fromhex(hex_text)
    seed, version_enc, proj_key_enc = enc[0], enc[1], enc[2]
    assert seed ^ version_enc == 2  # Version
    proj_key = seed ^ proj_key_enc
    unenc1, enc1, enc2 = proj_key, proj_key_enc, version_enc
    out = []
    for byte_enc in enc[3:]:
        byte = byte_enc ^ ((enc2 + unenc1) & 0xFF)
        out.append(byte)
        enc2, enc1, unenc1 = enc1, byte_enc, byte
    ignored = (seed & 6) // 2
    length = int.from_bytes(bytes(out[ignored:ignored + 4]), "little")
    data = bytes(out[ignored + 4:])
    assert len(data) == length
    return proj_key, data


def test_protection_strings_say_unprotected_and_visible(ole: olefile.OleFileIO):
    text = ole.openstream("PROJECT").read().decode("cp1252")
    values = dict(re.findall(r'^(CMG|DPB|GC)="([0-9A-F]+)"', text, re.M))
    key = sum(PROJECT_ID.encode()) & 0xFF
    assert _decrypt(values["CMG"]) == (key, b"\0\0\0\0")  # no protection
    assert _decrypt(values["DPB"]) == (key, b"\0")  # no password
    assert _decrypt(values["GC"]) == (key, b"\xff")  # visible


# --- ribbon -> VBA -> Python ------------------------------------------------------------

def test_ribbon_buttons_call_callbacks_that_exist():
    root = etree.fromstring(CUSTOM_UI.read_bytes())
    assert root.tag == f"{{{NS['ui']}}}customUI"
    buttons = root.findall(".//ui:tab[@label='PDZ']//ui:button", namespaces=NS)
    assert [b.get("label") for b in buttons] == ["Valida", "Alloca", "Genera triennale",
                                                 "Pulisci segni", "Correggi",
                                                 "Nuovo anno", "Importa funzioni"]
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    vba = vba_sources()["PdzRibbon"]
    assert vba.isascii()  # VBA stores source in the ANSI code page
    for button in buttons:
        assert button.get("imageMso") and button.get("screentip") and button.get("supertip")
        sub = rf"^Public Sub {button.get('onAction')}\(control As IRibbonControl\)$"
        assert re.search(sub, vba, re.M), button.get("onAction")


def test_callbacks_call_the_python_entry_points_and_xlwings():
    vba = vba_sources()
    callbacks = dict(re.findall(r"^Public Sub (\w+)\(control As IRibbonControl\)\n(.*?)"
                                r"^End Sub", vba["PdzRibbon"], re.M | re.S))
    called = {}
    for name, body in callbacks.items():
        commands = re.findall(r'RunPython "([^"]*)"', body)
        for command in commands:
            match = re.fullmatch(r"import udfs\.scripts; udfs\.scripts\.(\w+)\(\)", command)
            assert match, command
            called[name] = match.group(1)
    assert called == {"PdzValida": "valida_da_excel", "PdzAlloca": "alloca_da_excel",
                      "PdzTriennale": "triennale_da_excel", "PdzPulisci": "pulisci_da_excel",
                      "PdzCorreggi": "correggi_da_excel",
                      "PdzNuovoAnno": "nuovo_anno_da_excel"}
    assert sorted(called.values()) == sorted(ENTRY_POINTS)
    assert re.search(r"^\s+If HasWorkbook\(\) Then ImportPythonUDFs$",
                     callbacks["PdzImportaFunzioni"], re.M)
    xlwings = vba["xlwings"]  # what the callbacks call is in the add-in's own project
    assert re.search(r"^Public Function RunPython\(PythonCommand As String\)", xlwings, re.M)
    assert re.search(r"^Sub ImportPythonUDFs\(\)", xlwings, re.M)
    assert 'GetConfig("UDF MODULES")' in xlwings


# --- LibreOffice: a second, independent reader of the package and of its VBA ------------

def _soffice_convert(src: Path, out_dir: Path, profile: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, ("LibreOffice (soffice) non è installato: questo test lo richiede "
                 "(apt-get install libreoffice-calc-nogui)")
    args = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--infilter=Calc MS Excel 2007 XML", "--convert-to", "ods", "--outdir",
            str(out_dir), str(src)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env={**os.environ, "HOME": str(profile)})
    try:
        out, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    result = out_dir / f"{src.stem}.ods"
    assert proc.returncode == 0 and result.exists(), (out, err)
    return result


@pytest.mark.libreoffice
def test_libreoffice_opens_the_addin_and_imports_its_vba(addin: Path, tmp_path: Path):
    ods = _soffice_convert(addin, tmp_path / "out", tmp_path / "profile")
    with zipfile.ZipFile(ods) as zf:
        content = zf.read("content.xml").decode()
        modules = {}
        for name in zf.namelist():
            match = re.fullmatch(r"Basic/VBAProject/(\w+)\.xml", name)
            if match and match.group(1) != "script-lb":
                modules[match.group(1)] = zf.read(name).decode()
    assert f'table:name="{CONF_SHEET}"' in content and "udfs.functions" in content
    sources = vba_sources()
    assert set(modules) == set(sources) | set(DOCUMENTS)
    for name, xml in modules.items():
        kind = re.search(r'script:moduleType="(\w+)"', xml).group(1)
        expected_kind = ("document" if name in DOCUMENTS
                         else "class" if name in CLASS_MODULES else "normal")
        assert kind == expected_kind, name
        body = unescape(re.search(r"<script:module[^>]*>(.*)</script:module>", xml,
                                  re.S).group(1))
        lines = [ln for ln in _lines(body) if not ln.startswith(
            ("Rem Attribute VBA_ModuleType", "Option VBASupport", "Option ClassModule"))]
        # LibreOffice also drops member attributes (Attribute Item.VB_UserMemId = 0)
        expected = [ln for ln in _lines(sources.get(name, ""))
                    if not ln.lstrip().startswith("Attribute ")]
        assert lines == expected, name


# --- the containers, byte by byte ---------------------------------------------------------

@pytest.mark.parametrize("size", [0, 3, 3640, 4096, 5000, 8000, 45_838])
def test_compression_round_trips(size: int):
    data = bytes((i * 7 + i // 13) % 251 for i in range(size))
    padded = pad_source(data)
    assert padded[:size] == data and set(padded[size:]) <= {13, 10}
    assert bytes(decompress_stream(bytearray(compress(padded)))) == padded


def _check_red_black(ole: olefile.OleFileIO, sid: int) -> int:
    """Black height of the subtree at ``sid``; asserts order and colours."""
    if sid == olefile.NOSTREAM:
        return 1
    entry = ole.direntries[sid]
    for side in (entry.sid_left, entry.sid_right):
        if side != olefile.NOSTREAM and entry.color == 0:
            assert ole.direntries[side].color == 1  # a red node has black children
    left, right = _check_red_black(ole, entry.sid_left), _check_red_black(ole, entry.sid_right)
    assert left == right
    return left + entry.color


@pytest.mark.parametrize("seed", range(8))
def test_compound_file_round_trips(seed: int):
    rnd = random.Random(seed)
    sizes = [0, 1, 63, 64, 65, 4095, 4096, 4097, 70_000]
    streams = {}
    for i in range(rnd.randint(1, 40)):
        folder = rnd.choice(["", "VBA/", "VBA/sub/"])
        streams[f"{folder}S{i}{'x' * rnd.randint(0, 25)}"] = rnd.randbytes(
            rnd.choice([*sizes, rnd.randint(0, 20_000)]))
    ole = olefile.OleFileIO(io.BytesIO(compound_file(streams)))
    assert {"/".join(p): ole.openstream("/".join(p)).read() for p in ole.listdir()} == streams
    for entry in ole.direntries:
        if entry is not None and entry.entry_type in (olefile.STGTY_ROOT,
                                                      olefile.STGTY_STORAGE):
            assert entry.sid_child == olefile.NOSTREAM or \
                ole.direntries[entry.sid_child].color == 1  # black subtree root
            _check_red_black(ole, entry.sid_child)


# --- install, remove, CLI -------------------------------------------------------------------

def test_install_merges_the_config_and_remove_undoes_it(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    conf = install.config_path()
    assert conf == tmp_path / "home" / ".pdz_xl" / "pdz_xl.conf"
    conf.parent.mkdir(parents=True)
    key = next(k for k in install.our_settings() if k.startswith("INTERPRETER"))
    conf.write_text(f'"SHOW CONSOLE","True"\n"{key.title()}","/vecchio/python"\n',
                    encoding="utf-8")
    xlstart = tmp_path / "XLSTART"
    result = CliRunner().invoke(app, ["addin", "install", "--cartella", str(xlstart)])
    assert result.exit_code == 0, result.output
    assert "installato" in result.output
    assert (xlstart / "pdz_xl.xlam").read_bytes()[:2] == b"PK"
    assert conf.read_text(encoding="utf-8").splitlines() == [
        '"SHOW CONSOLE","True"', f'"{key}","{install.sys.executable}"',
        '"UDF MODULES","udfs.functions"']  # the old spelling replaced, not duplicated
    result = CliRunner().invoke(app, ["addin", "remove", "--cartella", str(xlstart)])
    assert result.exit_code == 0, result.output
    assert not (xlstart / "pdz_xl.xlam").exists()
    assert install.read_config(conf) == {"SHOW CONSOLE": "True"}
    result = CliRunner().invoke(app, ["addin", "remove", "--cartella", str(xlstart)])
    assert result.exit_code == 0 and "niente da rimuovere" in result.output


def test_remove_deletes_a_config_that_only_held_our_keys(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    install.install_addin(tmp_path / "xl")
    assert install.config_path().exists()
    removed = install.remove_addin(tmp_path / "xl")
    assert removed == [tmp_path / "xl" / "pdz_xl.xlam", install.config_path()]
    assert not install.config_path().exists()


def test_install_without_excel_asks_for_the_folder(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(install.sys, "platform", "linux")
    result = CliRunner().invoke(app, ["addin", "install"])
    assert result.exit_code == 2
    assert "--cartella" in result.output and "Excel" in result.output
    assert not install.config_path().exists()


def test_cli_build_writes_the_addin(tmp_path: Path, addin: Path):
    result = CliRunner().invoke(app, ["addin", "build", "-o", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dist" / "pdz_xl.xlam").read_bytes() == addin.read_bytes()
    assert "scritto" in result.output
