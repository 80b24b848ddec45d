"""A corpus of hostile and malformed inputs, built on disk (nothing large is committed).

Every case is a small budget workbook (or something posing as one) with one thing wrong:
ZIP bombs and lying sizes, too many entries, encrypted or deflate64 entries, names with
``..``, duplicate or broken entries, other formats renamed ``.xlsx``, FIFOs and devices,
cells at the far corner of the grid, dates and durations on amounts, NaN and infinities,
non-numeric attributes, bad shared-string indexes, unclosed elements, XXE and
billion-laughs in each XML part the reader parses, over-long strings, too many formulas,
a ``SUM`` over the whole grid.

:func:`build_corpus` writes them into a folder and returns the :class:`Case` list; each
case says which exit codes each verb may give and what its output must (not) contain.
Used by ``tests/test_hostile_inputs.py`` and ``tools/hostile_report.py``.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

SECRET = "SEGRETO-7f3a-NON-DEVE-USCIRE"
"""Text of the file the XXE cases point at: it must never appear in any output."""

REFUSED = {2}
READ = {0, 1, 2}  # a clean result or a clean refusal; never a traceback (exit 1 from typer)


@dataclass
class Case:
    """One hostile input: how to make it and what each verb may answer."""

    name: str
    make: Callable[[Path], Path]
    exits: dict[str, set[int]]
    says: list[str] = field(default_factory=list)  # fragments a refusal must hold
    env: dict[str, str] = field(default_factory=dict)  # limits raised for this case
    path: Path | None = None


def base_xlsx(amount_format: str | None = None, amount: object = 200,
              total: str = "=SUM(B2:B4)") -> bytes:
    """A three-line budget (SERVIZIO | BUDGET 2021) with a SUM total, as xlsxwriter
    writes it; ``amount_format`` and ``amount`` set cell B3."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_numbers": False, "nan_inf_to_errors": False})
    ws = wb.add_worksheet("Budget")
    ws.write_row(0, 0, ["SERVIZIO", "BUDGET 2021"])
    ws.write_row(1, 0, ["Coordinamento", 100])
    ws.write(2, 0, "Equipe")
    fmt = wb.add_format({"num_format": amount_format}) if amount_format else None
    ws.write_number(2, 1, amount, fmt) if isinstance(amount, float | int) else \
        ws.write(2, 1, amount, fmt)
    ws.write_row(3, 0, ["Formazione", 30])
    ws.write(4, 0, "TOTALE")
    ws.write_formula(4, 1, total, None, 330)
    wb.close()
    return buf.getvalue()


def entries(data: bytes) -> dict[str, bytes]:
    """The parts of a package, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def pack(parts: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    """A ZIP of the parts, deflated (a list may repeat a name)."""
    buf = io.BytesIO()
    items = parts.items() if isinstance(parts, dict) else parts
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items:
            zf.writestr(zipfile.ZipInfo(name, (2021, 1, 1, 0, 0, 0)), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def edited(part: str, old: bytes, new: bytes, data: bytes | None = None) -> bytes:
    """The base workbook with ``old`` replaced by ``new`` in one part."""
    parts = entries(data or base_xlsx())
    assert old in parts[part], (part, old)
    parts[part] = parts[part].replace(old, new, 1)
    return pack(parts)


def patch_header(data: bytes, name: str, field_name: str, value: int) -> bytes:
    """Overwrite one field of an entry's local and central headers (flags, method, crc,
    size) - what a hand-made hostile ZIP holds."""
    local = {"flags": (6, "<H"), "method": (8, "<H"), "crc": (14, "<I"), "size": (22, "<I")}
    central = {"flags": (8, "<H"), "method": (10, "<H"), "crc": (16, "<I"),
               "size": (24, "<I")}
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    off, fmt = local[field_name]
    struct.pack_into(fmt, out, info.header_offset + off, value)
    pos = data.index(b"PK\x01\x02")
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + n].decode() == name:
            break
        pos += 4
    off, fmt = central[field_name]
    struct.pack_into(fmt, out, pos + off, value)
    return bytes(out)


SHEET = "xl/worksheets/sheet1.xml"
STYLES = "xl/styles.xml"
WORKBOOK = "xl/workbook.xml"
STRINGS = "xl/sharedStrings.xml"
SHEETDATA_END = b"</sheetData>"
B3 = b'<c r="B3"><v>200</v></c>'


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / f"{name}.xlsx"
    path.write_bytes(data)
    return path


def _bytes_case(name: str, build: Callable[[], bytes], exits: dict[str, set[int]],
                says: list[str] | None = None) -> Case:
    return Case(name, lambda folder: _write(folder, name, build()), exits, says or [])


def _huge_part(folder: Path, name: str, inflated: int, parts: int = 1) -> Path:
    """Sheet XML (or extra parts) padded with spaces to ``inflated`` bytes each,
    streamed into the ZIP (never held whole in memory)."""
    base = entries(base_xlsx())
    path = folder / f"{name}.xlsx"
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in base.items():
            if part == SHEET and parts == 1:
                head, tail = data.split(SHEETDATA_END)
                with zf.open(part, "w", force_zip64=True) as fh:
                    fh.write(head)
                    for _ in range(inflated // len(chunk)):
                        fh.write(chunk)
                    fh.write(SHEETDATA_END + tail)
            else:
                zf.writestr(part, data)
        for i in range(parts if parts > 1 else 0):
            with zf.open(f"customXml/item{i + 1}.xml", "w", force_zip64=True) as fh:
                for _ in range(inflated // len(chunk)):
                    fh.write(chunk)
    return path


def _lying_size(folder: Path) -> Path:
    """The sheet part says it holds 2 KB, its deflate stream gives 50 MB."""
    base = entries(base_xlsx())
    head, tail = base[SHEET].split(SHEETDATA_END)
    base[SHEET] = head + b" " * (50 << 20) + SHEETDATA_END + tail
    data = patch_header(pack(base), SHEET, "size", 2048)
    return _write(folder, "dimensione_falsa", data)


def _many_entries(folder: Path) -> Path:
    path = folder / "centomila_voci.xlsx"
    base = entries(base_xlsx())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for part, data in base.items():
            zf.writestr(part, data)
        for i in range(100_000):
            zf.writestr(f"customXml/v{i}.xml", b"")
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "fifo.xlsx"
    os.mkfifo(path)
    return path


def _device(folder: Path) -> Path:
    path = folder / "dispositivo.xlsx"
    path.symlink_to("/dev/zero")
    return path


def _directory(folder: Path) -> Path:
    path = folder / "cartella.xlsx"
    path.mkdir()
    return path


def _ods() -> bytes:
    return pack({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                 "content.xml": b"<office:document-content/>"})


def _xlsb() -> bytes:
    return pack({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00",
                 "_rels/.rels": b"<Relationships/>"})


def _duplicate() -> bytes:
    parts = list(entries(base_xlsx()).items())
    sheet = dict(parts)[SHEET]
    return pack([*parts, (SHEET, sheet.replace(b"<v>100</v>", b"<v>999</v>"))])


def _renamed_entry(new_name: str) -> Callable[[], bytes]:
    def build() -> bytes:
        parts = entries(base_xlsx())
        parts[new_name] = b"<x/>"
        return pack(parts)
    return build


def _crc_broken() -> bytes:
    data = pack(entries(base_xlsx()))
    return patch_header(data, SHEET, "crc", 0x12345678)


def _far_cells(refs: list[str]) -> bytes:
    rows = "".join(f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">'
                   f'<c r="{ref}"><v>1</v></c></row>' for ref in refs)
    return edited(SHEET, SHEETDATA_END, rows.encode() + SHEETDATA_END)


def _unclosed(tag: bytes, count: int = 40_000) -> bytes:
    if tag == b"c":
        junk = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v>' % (r, r)
                        for r in range(10, 10 + count))
    else:  # cells without r: the general (row by row) pass reads this sheet
        junk = b"".join(b'<row r="%d"><c t="s"><v>1</v></c>' % r
                        for r in range(10, 10 + count))
    return edited(SHEET, SHEETDATA_END, junk + SHEETDATA_END)


def _xxe(name: str, part: str, old: bytes, new: bytes,
         secret_path: Path) -> Callable[[Path], Path]:
    """An external entity pointing at the secret file, declared in ``part``."""
    def make(folder: Path) -> Path:
        doctype = (f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret_path}">]>').encode()
        parts = entries(base_xlsx())
        data = parts[part]
        decl_end = data.index(b"?>") + 2
        data = data[:decl_end] + doctype + data[decl_end:]
        assert old in data, (part, old)
        parts[part] = data.replace(old, new, 1)
        return _write(folder, name, pack(parts))
    return make


_LAUGHS = (b'<!DOCTYPE r [<!ENTITY l0 "ahahahahahahahahahah">'
           + b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10)
                      for i in range(1, 10)) + b"]>")


def _laughs(part: str, old: bytes, new: bytes) -> bytes:
    parts = entries(base_xlsx())
    data = parts[part]
    decl_end = data.index(b"?>") + 2
    data = data[:decl_end] + _LAUGHS + data[decl_end:]
    assert old in data, (part, old)
    parts[part] = data.replace(old, new, 1)
    return pack(parts)


def _many_formulas(count: int = 600_000) -> bytes:
    rows = b"".join(b'<row r="%d"><c r="D%d"><f>1+1</f><v>2</v></c></row>' % (r, r)
                    for r in range(10, 10 + count))
    return edited(SHEET, SHEETDATA_END, rows + SHEETDATA_END)


def _whole_grid_sum(folder: Path) -> Path:
    """The validation book with a channel total ``=SUM(A1:XFD1048576)``: alloca writes
    the channel column, so the total's cached value is computed again."""
    from tests.support.validation_books import clean_grid, write_clean_book

    grid = clean_grid()
    grid.sheets[0].get(11, 4).formula = "=SUM(A1:XFD1048576)"
    return write_clean_book(folder / "somma_griglia.xlsx", grid)


def cases(secret_path: Path) -> list[Case]:
    """Every case of the corpus (``secret_path``: the file the XXE cases point at)."""
    both = {"leggi": REFUSED, "valida": REFUSED}
    read = {"leggi": READ, "valida": READ}
    write = {**both, "scrivi": REFUSED}
    finding = {"leggi": {0}, "valida": {1}}  # read, with a PDZ001 on the cell
    out: list[Case] = [
        _bytes_case("vuoto", lambda: b"", both, ["vuoto"]),
        Case("cartella", _directory, both, ["cartella"]),
        Case("fifo", _fifo, both, ["non è un file regolare"]),
        Case("dispositivo", _device, both, ["non è un file regolare"]),
        _bytes_case("xls_rinominato", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000),
                    both, [".xls"]),
        _bytes_case("ods_rinominato", _ods, both, [".ods"]),
        _bytes_case("xlsb_rinominato", _xlsb, both, [".xlsb"]),
        _bytes_case("csv_rinominato", lambda: b"SERVIZIO;BUDGET 2021\nEquipe;200\n", both,
                    ["non è una cartella di lavoro"]),
        _bytes_case("troncato", lambda: base_xlsx()[:900], both, ["danneggiato"]),
        _bytes_case("crc_rotto", _crc_broken, both, ["danneggiato"]),
        _bytes_case("voci_duplicate", _duplicate, both, ["più volte"]),
        _bytes_case("nome_con_punti", _renamed_entry("xl/../../evil.txt"), both,
                    ["nome non ammesso"]),
        _bytes_case("nome_assoluto", _renamed_entry("/etc/evil.xml"), both,
                    ["nome non ammesso"]),
        _bytes_case("nome_backslash", _renamed_entry("xl\\worksheets\\evil.xml"), both,
                    ["nome non ammesso"]),
        _bytes_case("voce_cifrata",
                    lambda: patch_header(pack(entries(base_xlsx())), SHEET, "flags", 1),
                    both, ["cifrata"]),
        _bytes_case("deflate64",
                    lambda: patch_header(pack(entries(base_xlsx())), SHEET, "method", 9),
                    both, ["compressione"]),
        Case("centomila_voci", _many_entries, both, ["voci", "PDZ_XL_MAX_VOCI"]),
        Case("bomba_parte", lambda f: _huge_part(f, "bomba_parte", 120 << 20), both,
             ["PDZ_XL_MAX_PARTE_MB"]),
        Case("bomba_totale", lambda f: _huge_part(f, "bomba_totale", 90 << 20, parts=3), both,
             ["PDZ_XL_MAX_TOTALE_MB"], env={"PDZ_XL_MAX_RAPPORTO": "100000"}),
        Case("rapporto", lambda f: _huge_part(f, "rapporto", 30 << 20), both,
             ["PDZ_XL_MAX_RAPPORTO"]),
        Case("dimensione_falsa", _lying_size, both, ["danneggiato"]),
        _bytes_case("cella_xfd", lambda: _far_cells(["XFD1048576"]), read),
        _bytes_case("a1_xfd", lambda: _far_cells(["A1048576", "XFD1"]), read),
        _bytes_case("colonne_nascoste_enormi", lambda: edited(
            SHEET, b"<sheetData>",
            b'<cols><col min="1" max="2000000000" hidden="1"/></cols><sheetData>'), read),
        _bytes_case("riga_oltre_griglia", lambda: _far_cells(["B2000000000"]), both,
                    ["oltre"]),
        _bytes_case("durata", lambda: base_xlsx("[h]:mm:ss", 1.5), finding, ["B3"]),
        _bytes_case("data", lambda: base_xlsx("dd/mm/yyyy", 44197), finding, ["B3"]),
        _bytes_case("ora", lambda: base_xlsx("hh:mm", 0.5), finding, ["B3"]),
        _bytes_case("nan", lambda: edited(SHEET, B3, b'<c r="B3"><v>NaN</v></c>'),
                    finding, ["B3"]),
        _bytes_case("infinito", lambda: edited(SHEET, B3, b'<c r="B3"><v>INF</v></c>'),
                    finding, ["B3"]),
        _bytes_case("meno_infinito", lambda: edited(SHEET, B3, b'<c r="B3"><v>-inf</v></c>'),
                    finding, ["B3"]),
        _bytes_case("1e308", lambda: edited(SHEET, B3, b'<c r="B3"><v>1e308</v></c>'),
                    finding, ["B3"]),
        _bytes_case("trenta_cifre", lambda: edited(
            SHEET, B3, b'<c r="B3"><v>123456789012345678901234567890</v></c>'), finding,
            ["B3"]),
        _bytes_case("numfmtid_non_numerico", lambda: edited(
            STYLES, b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
            b'<xf numFmtId="abc" fontId="x" fillId="0" borderId="0" xfId="0"/>'), read),
        _bytes_case("sheetid_non_numerico", lambda: edited(
            WORKBOOK, b'sheetId="1"', b'sheetId="uno"'), read),
        _bytes_case("indice_stringa_negativo", lambda: edited(
            SHEET, b'<c r="A3" t="s"><v>3</v></c>', b'<c r="A3" t="s"><v>-1</v></c>'), both,
            ["A3"]),
        _bytes_case("indice_stringa_frazionario", lambda: edited(
            SHEET, b'<c r="A3" t="s"><v>3</v></c>', b'<c r="A3" t="s"><v>1.5</v></c>'), both,
            ["A3"]),
        _bytes_case("c_non_chiusi", lambda: _unclosed(b"c"), read),
        _bytes_case("row_non_chiusi", lambda: _unclosed(b"row"), read),
        Case("xxe_workbook", _xxe(
            "xxe_workbook", WORKBOOK, b"</workbook>",
            b'<definedNames><definedName name="X">&xxe;</definedName></definedNames>'
            b"</workbook>", secret_path), write, ["DOCTYPE"]),
        Case("xxe_sheet1", _xxe(
            "xxe_sheet1", SHEET, B3, b'<c r="B3" t="inlineStr"><is><t>&xxe;</t></is></c>',
            secret_path), write, ["DOCTYPE"]),
        Case("xxe_sharedStrings", _xxe(
            "xxe_sharedStrings", STRINGS, b"<t>Equipe</t>", b"<t>&xxe;</t>", secret_path),
            write, ["DOCTYPE"]),
        Case("xxe_styles", _xxe(
            "xxe_styles", STYLES, b'<name val="Calibri"/>', b'<name val="&xxe;"/>',
            secret_path), write, ["DOCTYPE"]),
        Case("xxe_rels", _xxe(
            "xxe_rels", "xl/_rels/workbook.xml.rels", b"</Relationships>",
            b"<!-- &xxe; --></Relationships>", secret_path), write, ["DOCTYPE"]),
        Case("xxe_Content_Types", _xxe(
            "xxe_Content_Types", "[Content_Types].xml", b"</Types>",
            b"<!-- &xxe; --></Types>", secret_path), {**read, "scrivi": REFUSED}),
        _bytes_case("risate_workbook", lambda: _laughs(
            WORKBOOK, b"</workbook>",
            b'<definedNames><definedName name="X">&l9;</definedName></definedNames></workbook>'),
            both, ["DOCTYPE"]),
        _bytes_case("risate_styles", lambda: _laughs(
            STYLES, b'<name val="Calibri"/>', b'<name val="&l9;"/>'), both, ["DOCTYPE"]),
        _bytes_case("stringa_lunghissima", lambda: edited(
            STRINGS, b"<t>Equipe</t>", b"<t>" + b"x" * 300_000 + b"</t>"), both,
            ["PDZ_XL_MAX_STRINGA"]),
        _bytes_case("troppe_formule", _many_formulas, both, ["PDZ_XL_MAX_FORMULE"]),
        Case("somma_griglia", _whole_grid_sum, {**read, "alloca": {0}}),
    ]
    return out


def build_corpus(folder: Path) -> list[Case]:
    """Write every case into ``folder`` (and the XXE target ``segreto.txt``)."""
    folder.mkdir(parents=True, exist_ok=True)
    secret = folder / "segreto.txt"
    secret.write_text(SECRET)
    built = []
    for case in cases(secret):
        case.path = case.make(folder)
        built.append(case)
    return built
