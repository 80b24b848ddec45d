"""Build ``pdz_xl.xlam`` from source, without Excel.

The package is written part by part: a workbook with one sheet, ``pdz_xl.conf`` (xlwings'
custom add-in configuration: which module holds the worksheet functions), the ribbon
(``customUI/customUI14.xml``) and ``xl/vbaProject.bin``, which ``ms_ovba`` compiles from the
VBA sources: this add-in's callbacks (``vba/*.bas``) and xlwings' custom-add-in module from
the installed xlwings package (so RunPython and ImportPythonUDFs match the Python side).
Bytes are deterministic (fixed ZIP times); the write is atomic.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from ..io.atomic import write_atomically
from .ovba_compress import pad_source

HERE = Path(__file__).parent
VBA_DIR = HERE / "vba"
CUSTOM_UI = HERE / "customUI.xml"
ADDIN_NAME = "pdz_xl.xlam"
PROJECT_NAME = "pdz_xl"
CONF_SHEET = f"{PROJECT_NAME}.conf"
CONFIG = {"UDF MODULES": "udfs.functions"}
"""Defaults in the add-in's conf sheet; the user file (install) adds the interpreter."""

_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_CT = ("application/vnd.openxmlformats-package.relationships+xml",
       "application/vnd.ms-excel.addin.macroEnabled.main+xml")


def xlwings_module_source() -> str:
    """xlwings' VBA for custom add-ins, with this add-in's project name (config files)."""
    import xlwings

    src = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text(
        encoding="utf-8")
    return src.replace('PROJECT_NAME As String = "myaddin"',
                       f'PROJECT_NAME As String = "{PROJECT_NAME}"')


def vba_sources() -> dict[str, str]:
    """Module name -> VBA source, in project order."""
    out = {"xlwings": xlwings_module_source()}
    for path in sorted(VBA_DIR.glob("*.bas")):
        out[path.stem] = path.read_text(encoding="utf-8")
    return out


_OVBA = r"""
import os, random, sys, uuid
random.seed(0)  # ms_cfb names scratch files, and ms_ovba_crypto draws, at random
from ms_ovba_compression.ms_ovba import MsOvba
from pdz_xl.addin.ovba_compress import compress
MsOvba.compress = lambda self, data: compress(bytes(data))  # see ovba_compress.py
from ms_ovba.vbaProject import VbaProject
from ms_ovba.Models.Entities.doc_module import DocModule
from ms_ovba.Models.Entities.std_module import StdModule
from ms_ovba.Views.project_ole_file import ProjectOleFile
from ms_ovba.Models.Entities.reference import Reference
from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
from ms_ovba.Models.Fields.libid_reference import LibidReference
import shutil
import ms_ovba
# ms_ovba writes its scratch files next to each source (and appends to them): work on
# copies in this scratch directory, never in the installed package
blank = os.path.abspath("blank")
shutil.copytree(os.path.join(os.path.dirname(ms_ovba.__file__), "blank_files"), blank)
project = VbaProject()
project.project_id = "{5C0F2B7E-3D2A-4F0B-9C51-7A3E2D1F0B11}"
for name, guid in (("Sheet1", "0002082000000000C000000000000046"),
                   ("ThisWorkbook", "0002081900000000C000000000000046")):
    doc = DocModule(name)
    doc.add_file(os.path.join(blank, name + ".cls"))
    doc.add_guid(uuid.UUID(guid))
    doc.normalize_file()
    project.add_module(doc)
for path in sys.argv[1:]:
    module = StdModule(os.path.splitext(os.path.basename(path))[0])
    module.add_file(path)
    module.normalize_file()
    project.add_module(module)
for libid, version, path, name, ref in (
        ("0002043000000000C000000000000046", "2.0", r"C:\Windows\System32\stdole2.tlb",
         "OLE Automation", "stdole"),
        ("2DF8D04C5BFA101BBDE500AA0044DE52", "2.0",
         r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
         "Microsoft Office 16.0 Object Library", "Office")):
    lib = LibidReference(uuid.UUID(libid), version, "0", path, name)
    project.add_reference(Reference(ReferenceRegistered(lib), ref))
ProjectOleFile.write_file(project)
"""


def vba_project_bin(sources: dict[str, str]) -> bytes:
    """``vbaProject.bin`` compiled by ms_ovba from ``sources`` (in a scratch directory:
    ms_ovba writes its files to the working directory)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, code in sources.items():
            path = Path(tmp) / "src" / f"{name}.bas"
            path.parent.mkdir(exist_ok=True)
            crlf = code.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
            path.write_bytes(pad_source(crlf).replace(b"\r\n", b"\n"))
            paths.append(str(path))
        out = Path(tmp) / "out"
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": "0"}  # ms_ovba orders streams by set order
        proc = subprocess.run([sys.executable, "-c", _OVBA, *paths], cwd=out, env=env,
                              capture_output=True, text=True, check=False)
        result = out / "vbaProject.bin"
        if proc.returncode != 0 or not result.exists():
            raise RuntimeError(f"ms_ovba non ha prodotto vbaProject.bin: {proc.stderr[-2000:]}")
        return result.read_bytes()


def _conf_sheet_xml() -> str:
    rows = []
    for i, (key, value) in enumerate(CONFIG.items(), start=1):
        rows.append(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{escape(key)}</t></is></c>'
                    f'<c r="B{i}" t="inlineStr"><is><t>{escape(value)}</t></is></c></row>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(rows)}</sheetData></worksheet>')


def package_parts(vba_bin: bytes) -> dict[str, bytes]:
    """Every part of the add-in package."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{_CT[0]}"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT[1]}"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '</Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{pkg_rel}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2007/'
            'relationships/ui/extensibility" Target="customUI/customUI14.xml"/>'
            '</Relationships>'),
        "customUI/customUI14.xml": CUSTOM_UI.read_text(encoding="utf-8"),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{main}" xmlns:r="{rel}">'
            '<workbookPr codeName="ThisWorkbook"/>'
            f'<sheets><sheet name="{CONF_SHEET}" sheetId="1" r:id="rId1"/></sheets>'
            '</workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{pkg_rel}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/'
            'relationships/vbaProject" Target="vbaProject.bin"/>'
            '</Relationships>'),
        "xl/worksheets/sheet1.xml": _conf_sheet_xml(),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{main}"><fonts count="1"><font><sz val="11"/>'
            '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
            'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
            '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
            '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" '
            'fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>'),
    }
    out = {name: text.encode("utf-8") for name, text in parts.items()}
    out["xl/vbaProject.bin"] = vba_bin
    return out


def addin_bytes() -> bytes:
    """The add-in file's bytes."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in package_parts(vba_project_bin(vba_sources())).items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def build_addin(dest_dir: Path) -> Path:
    """Write ``pdz_xl.xlam`` into ``dest_dir`` (atomically); returns its path."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / ADDIN_NAME
    data = addin_bytes()
    write_atomically(target, lambda fh: fh.write(data))
    return target
