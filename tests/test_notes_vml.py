"""Our notes get a VML part of their own, never the header/footer pictures' VML, and
shape numbers no other shape of the workbook uses (``id`` and ``o:spid``); the
structural check of tests/support/ooxml_check.py finds what Excel would repair."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from pdz_xl.changeset import Changeset, Mark
from pdz_xl.io.xlsx_patch import apply_changeset
from tests.support.ooxml_check import assert_valid, problems

SHEET = "xl/worksheets/sheet1.xml"
SHEET_RELS = "xl/worksheets/_rels/sheet1.xml.rels"
HF_VML = "xl/drawings/vmlDrawingHF1.vml"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
HF_SHAPE = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
            '<o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t75" coordsize="21600,21600" o:spt="75" '
            'path="m@4@5l@4@11@9@11@9@5xe"/>'
            '<v:shape id="LH" o:spid="_x0000_s{spid}" type="#_x0000_t75" '
            'style="position:absolute;margin-left:0;margin-top:0;width:40pt;height:20pt;'
            'z-index:1"><v:imagedata o:relid="rId1" o:title="logo"/>'
            '<o:lock v:ext="edit" rotation="t"/></v:shape></xml>')


def _book(path: Path, with_user_note: bool) -> Path:
    """A sheet with a header picture (legacyDrawingHF), and optionally a user's note."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["SERVIZIO", "BUDGET 2021"])
    ws.append(["Coordinamento", 100])
    ws.append(["Equipe", 200])
    if with_user_note:
        ws["A1"].comment = Comment("nota dell'utente", "Utente")
    buf = io.BytesIO()
    wb.save(buf)
    parts = {}
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    used = [int(n) for p, d in parts.items() if p.endswith(".vml")
            for n in re.findall(rb'_x0000_s(\d+)', d)]
    # the picture's o:spid is the number our next note would take if ids were only
    # looked for in the comments' VML
    spid = max(used, default=1024) + 1
    block = (spid // 1024) if used else 1
    parts[HF_VML] = HF_SHAPE.format(spid=spid, block=block).encode()
    parts["xl/drawings/_rels/vmlDrawingHF1.vml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
        b'"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="../media/image1.png"/></Relationships>')
    parts["xl/media/image1.png"] = PNG
    ct = parts["[Content_Types].xml"].decode()
    for ext, kind in (("png", "image/png"), ("vml", "application/vnd.openxmlformats-"
                                                    "officedocument.vmlDrawing")):
        if f'Extension="{ext}"' not in ct:
            ct = ct.replace("<Default ", f'<Default Extension="{ext}" ContentType="{kind}"/>'
                            "<Default ", 1)
    parts["[Content_Types].xml"] = ct.encode()
    rel = ('<Relationship Id="rIdHF" Type="http://schemas.openxmlformats.org/'
           'officeDocument/2006/relationships/vmlDrawing" Target="../drawings/'
           'vmlDrawingHF1.vml"/>')
    if SHEET_RELS in parts:
        parts[SHEET_RELS] = parts[SHEET_RELS].replace(b"</Relationships>",
                                                      rel.encode() + b"</Relationships>")
    else:
        parts[SHEET_RELS] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
            f'"http://schemas.openxmlformats.org/package/2006/relationships">{rel}'
            "</Relationships>").encode()
    sheet = parts[SHEET].decode()
    hf = '<headerFooter><oddHeader>&amp;L&amp;G</oddHeader></headerFooter>'
    sheet = sheet.replace("</worksheet>", "")
    if "<legacyDrawing " in sheet:
        head, legacy = sheet.split("<legacyDrawing ", 1)
        sheet = head + hf + "<legacyDrawing " + legacy
    else:
        sheet += hf
    sheet += '<legacyDrawingHF r:id="rIdHF"/></worksheet>'
    if 'xmlns:r=' not in sheet[:sheet.index(">")]:
        sheet = sheet.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.openxmlformats'
                              '.org/officeDocument/2006/relationships" ', 1)
    parts[SHEET] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _shape_numbers(data: bytes) -> list[int]:
    return [int(n) for n in re.findall(rb'(?:\bid|o:spid)="_x0000_s(\d+)"', data)]


@pytest.mark.parametrize("with_user_note", [False, True], ids=["solo-immagine", "con-nota"])
def test_notes_never_go_into_the_header_picture_vml(tmp_path, with_user_note):
    src = _book(tmp_path / "intestazione.xlsx", with_user_note)
    assert problems(src) == []
    out = tmp_path / "out" / "intestazione.xlsx"
    out.parent.mkdir()
    apply_changeset(src, Changeset(marks=[Mark(sheet="Budget", cell="B3", note="PDZ201: prova"),
                                          Mark(sheet="Budget", cell="B2", note="PDZ101: due")]),
                    out)
    assert_valid(out)
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert b.read(HF_VML) == a.read(HF_VML)  # the picture's VML is untouched
        sheet = b.read(SHEET).decode()
        assert '<legacyDrawingHF r:id="rIdHF"/>' in sheet and "<legacyDrawing " in sheet
        ids = [n for name in b.namelist() if name.endswith(".vml")
               for n in _shape_numbers(b.read(name))]
        hf_ids = _shape_numbers(b.read(HF_VML))
    notes_ids = [n for n in ids if n not in hf_ids]
    assert len(notes_ids) == len(set(notes_ids)) and not set(notes_ids) & set(hf_ids)
    ws = openpyxl.load_workbook(out)["Budget"]
    assert ws["B3"].comment is not None and "PDZ201" in ws["B3"].comment.text
    if with_user_note:
        assert ws["A1"].comment.text == "nota dell'utente"


def test_the_check_finds_what_excel_repairs(tmp_path):
    src = _book(tmp_path / "intestazione.xlsx", with_user_note=True)
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    vml = next(n for n in parts if n.endswith(".vml") and n != HF_VML)

    def broken(**edits: bytes | None) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in {**parts, **edits}.items():
                if data is not None:
                    zf.writestr(name, data)
        return buf.getvalue()

    assert problems(broken()) == []
    hf_with_note = parts[vml].replace(b"</xml>", b"") + parts[HF_VML][
        parts[HF_VML].index(b"<v:shape "):]
    cases = {
        "destinazione": broken(**{"xl/media/image1.png": None}),
        "tipo di contenuto": broken(**{"xl/extra.bin": b"x"}),
        "immagini di intestazione": broken(**{HF_VML: hf_with_note}),
        "non ha la sua forma": broken(**{vml: b"<xml></xml>"}),
        "ripetuta": broken(**{HF_VML: parts[HF_VML].replace(
            b'o:spid="_x0000_s', b'o:spid="_x0000_s' + _shape_numbers(parts[vml])[0].__str__()
            .encode() + b'" x="')}),
        "indici di stile": broken(**{SHEET: parts[SHEET].replace(b'<c r="B2"',
                                                                 b'<c r="B2" s="99"')}),
    }
    for expected, data in cases.items():
        found = problems(data)
        assert any(expected in p for p in found), (expected, found)
