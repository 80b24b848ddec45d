"""Build ``pdz_xl.xlam`` from source, without Excel.

The package is written part by part: a workbook with one sheet, ``pdz_xl.conf`` (xlwings'
custom add-in configuration: which module holds the worksheet functions), the ribbon
(``customUI/customUI14.xml``) and ``xl/vbaProject.bin``, made from the VBA sources by
:mod:`.vba_project`: this add-in's callbacks (``vba/*.bas``) and, from the installed xlwings
package, what ``xlwings quickstart --addin`` puts in a custom add-in: the module ``xlwings``
(``xlwings_custom_addin.bas``, so RunPython and ImportPythonUDFs match the Python side) and
the class ``Dictionary`` (Scripting.Dictionary's stand-in on macOS).
The project carries source only (``_VBA_PROJECT`` version 0xFFFF, no p-code): Excel compiles
it when it opens the add-in. Bytes are deterministic (fixed ZIP times); the write is atomic.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from ..io.atomic import write_atomically
from .vba_project import vba_project_bin

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
    marker = 'PROJECT_NAME As String = "myaddin"'
    if marker not in src:
        raise RuntimeError(f"xlwings {xlwings.__version__}: xlwings_custom_addin.bas non ha "
                           "più la costante PROJECT_NAME attesa")
    return src.replace(marker, f'PROJECT_NAME As String = "{PROJECT_NAME}"')


def dictionary_class_source() -> str:
    """xlwings' ``Dictionary`` class as the VBA project stores it: without the export
    header (``VERSION 1.0 CLASS`` ... ``END``), which only ``.cls`` files carry."""
    import xlwings

    text = (Path(xlwings.__file__).parent / "addin" / "Dictionary.cls").read_text(
        encoding="utf-8")
    return text[text.index("Attribute VB_Name"):]


CLASS_MODULES = frozenset({"Dictionary"})
"""Modules stored as class modules (the others are standard modules)."""


def vba_sources() -> dict[str, str]:
    """Module name -> VBA source, in project order (every source is ASCII)."""
    out = {"xlwings": xlwings_module_source(), "Dictionary": dictionary_class_source()}
    for path in sorted(VBA_DIR.glob("*.bas")):
        out[path.stem] = path.read_text(encoding="utf-8")
    for name, code in out.items():
        if not code.isascii():
            raise ValueError(f"il sorgente VBA {name} deve essere ASCII")
    return out


def _conf_sheet_xml() -> str:
    rows = []
    for i, (key, value) in enumerate(CONFIG.items(), start=1):
        rows.append(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{escape(key)}</t></is></c>'
                    f'<c r="B{i}" t="inlineStr"><is><t>{escape(value)}</t></is></c></row>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetPr codeName="Sheet1"/>'  # the document module Sheet1 of the VBA project
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
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in package_parts(vba_project_bin(vba_sources(), CLASS_MODULES)).items():
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
