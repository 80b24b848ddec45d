"""Cell styles for written cells: new entries APPENDED to styles.xml, never rewritten.

A written cell's style is derived from the cell's existing xf (or the default) with the
overrides of a ``CellStyle``; identical requests in one write reuse one appended xf.
"""

from __future__ import annotations

import copy

from lxml import etree

from ..changeset import NO_FILL, CellStyle
from .package import NS_MAIN, WORKBOOK, Package

_M = f"{{{NS_MAIN}}}"
_MINIMAL_STYLES = (
    f'<styleSheet xmlns="{NS_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
    '<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>'
).encode()

CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_BUILTIN_FORMAT_IDS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                       "0.00%": 10, "@": 49}


def _rgb(color: str) -> str:
    color = color.lstrip("#").upper()
    return color if len(color) == 8 else "FF" + color


def _shape(el: etree._Element) -> tuple:
    """A comparable form of an element, independent of namespace prefixes."""
    return (etree.QName(el).localname, tuple(sorted(el.attrib.items())),
            (el.text or "").strip(), tuple(_shape(c) for c in el))


class StyleBook:
    """Appends fonts, fills, number formats and xfs to a package's styles part."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self._part: str | None = None
        self._cache: dict[tuple[int, CellStyle], int] = {}

    @property
    def part(self) -> str:
        """The styles part (created, with its relationship, if the package has none)."""
        if self._part is None:
            found = [r.target for r in self.package.relationships(WORKBOOK)
                     if r.is_type("styles") and not r.external]
            if found:
                self._part = found[0]
            else:
                self._part = "xl/styles.xml"
                self.package.put(self._part, etree.fromstring(_MINIMAL_STYLES))
                self.package.add_override(self._part, CT_STYLES)
                self.package.add_relationship(WORKBOOK, "styles", self._part)
        return self._part

    @property
    def root(self) -> etree._Element:
        return self.package.xml(self.part)

    def _section(self, tag: str) -> etree._Element:
        node = self.root.find(_M + tag)
        if node is None:
            order = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs"]
            node = etree.Element(_M + tag)
            idx = 0
            for i, child in enumerate(self.root):
                name = etree.QName(child).localname
                if name in order and order.index(name) < order.index(tag):
                    idx = i + 1
            self.root.insert(idx, node)
            self.package.touch(self.part)
        return node

    def _append(self, tag: str, element: etree._Element) -> int:
        """Append ``element`` to a section, or reuse an identical existing entry."""
        section = self._section(tag)
        wanted = _shape(element)
        for i, existing in enumerate(section):
            if _shape(existing) == wanted:
                return i
        section.append(element)
        section.set("count", str(len(section)))
        self.package.touch(self.part)
        return len(section) - 1

    def base_xf(self, index: int) -> etree._Element:
        xfs = self._section("cellXfs")
        return xfs[index] if 0 <= index < len(xfs) else xfs[0]

    def xf_for(self, base: int, style: CellStyle) -> int:
        """Index of an xf equal to ``base`` with ``style``'s overrides (appended once)."""
        key = (base, style)
        if key in self._cache:
            return self._cache[key]
        xf = copy.deepcopy(self.base_xf(base))
        if style.number_format is not None:
            xf.set("numFmtId", str(self._num_fmt(style.number_format)))
            xf.set("applyNumberFormat", "1")
        if any(v is not None for v in (style.bold, style.italic, style.font_color,
                                       style.font_size)):
            xf.set("fontId", str(self._font(int(xf.get("fontId", "0")), style)))
            xf.set("applyFont", "1")
        if style.fill is not None:
            xf.set("fillId", "0" if style.fill == NO_FILL else str(self._fill(style.fill)))
            xf.set("applyFill", "1")
        if style.align is not None or style.wrap is not None:
            align = xf.find(_M + "alignment")
            if align is None:
                align = etree.SubElement(xf, _M + "alignment")
            if style.align is not None:
                align.set("horizontal", style.align)
            if style.wrap is not None:
                align.set("wrapText", "1" if style.wrap else "0")
            xf.set("applyAlignment", "1")
        index = self._append("cellXfs", xf)
        self._cache[key] = index
        return index

    def _num_fmt(self, code: str) -> int:
        if code in _BUILTIN_FORMAT_IDS:
            return _BUILTIN_FORMAT_IDS[code]
        section = self._section("numFmts")
        for nf in section:
            if nf.get("formatCode") == code:
                return int(nf.get("numFmtId"))
        next_id = max([163] + [int(nf.get("numFmtId")) for nf in section]) + 1
        self._append("numFmts", etree.Element(_M + "numFmt", numFmtId=str(next_id),
                                              formatCode=code))
        return next_id

    def _font(self, base: int, style: CellStyle) -> int:
        fonts = self._section("fonts")
        font = copy.deepcopy(fonts[base] if base < len(fonts) else fonts[0])
        for tag, flag in (("b", style.bold), ("i", style.italic)):
            if flag is None:
                continue
            node = font.find(_M + tag)
            if flag and node is None:
                font.insert(0, etree.Element(_M + tag))
            elif not flag and node is not None:
                font.remove(node)
        if style.font_size is not None:
            sz = font.find(_M + "sz")
            if sz is None:
                sz = etree.SubElement(font, _M + "sz")
            sz.set("val", f"{style.font_size:g}")
        if style.font_color is not None:
            color = font.find(_M + "color")
            if color is None:
                color = etree.Element(_M + "color")
                font.insert(len(font.findall(_M + "b")) + len(font.findall(_M + "i")), color)
            color.attrib.clear()
            color.set("rgb", _rgb(style.font_color))
        return self._append("fonts", font)

    def _fill(self, color: str) -> int:
        fill = etree.Element(_M + "fill")
        pattern = etree.SubElement(fill, _M + "patternFill", patternType="solid")
        etree.SubElement(pattern, _M + "fgColor", rgb=_rgb(color))
        etree.SubElement(pattern, _M + "bgColor", indexed="64")
        return self._append("fills", fill)

    # ------------------------------------------------ fills, by what they are
    def fill_of(self, index: int) -> etree._Element | None:
        """The ``<fill>`` of the xf at ``index`` (None: no fills section or a bad id)."""
        fills = self.root.find(_M + "fills")
        fill_id = self.base_xf(index).get("fillId", "0")
        if fills is None or not fill_id.isdigit() or int(fill_id) >= len(fills):
            return None
        return fills[int(fill_id)]

    def with_fill(self, base: int, fill: etree._Element | None) -> int:
        """Index of an xf equal to ``base`` with ``fill`` (None: no fill)."""
        xf = copy.deepcopy(self.base_xf(base))
        xf.set("fillId", "0" if fill is None else str(self._append("fills",
                                                                   copy.deepcopy(fill))))
        xf.set("applyFill", "1")
        return self._append("cellXfs", xf)

    def same_but_fill(self, a: int, b: int) -> bool:
        """Whether the xfs ``a`` and ``b`` are equal apart from their fill."""
        def rest(index: int) -> tuple:
            xf = copy.deepcopy(self.base_xf(index))
            for attr in ("fillId", "applyFill"):
                xf.attrib.pop(attr, None)
            return _shape(xf)
        return rest(a) == rest(b)


def fill_colour(fill: etree._Element | None) -> str:
    """A fill's colour as RRGGBB: a pattern's foreground given as RGB; "" for no fill or
    a colour not given as RGB (theme, indexed)."""
    pattern = fill.find(_M + "patternFill") if fill is not None else None
    if pattern is None or pattern.get("patternType", "none") == "none":
        return ""
    fg = pattern.find(_M + "fgColor")
    rgb = fg.get("rgb", "") if fg is not None else ""
    return rgb[-6:].upper() if len(rgb) >= 6 else ""


def same_fill(a: etree._Element | None, b: etree._Element | None) -> bool:
    """Whether two fills are the same (no fill equals a pattern of type none)."""
    def norm(fill: etree._Element | None) -> tuple:
        pattern = fill.find(_M + "patternFill") if fill is not None else None
        if fill is None or (pattern is not None
                            and pattern.get("patternType", "none") == "none"):
            return ("none",)
        return _shape(fill)
    return norm(a) == norm(b)


def is_solid(fill: etree._Element | None, colour: str) -> bool:
    """Whether ``fill`` is a solid fill of ``colour`` (RRGGBB), as a mark writes it."""
    pattern = fill.find(_M + "patternFill") if fill is not None else None
    return (pattern is not None and pattern.get("patternType") == "solid"
            and fill_colour(fill) == colour.upper())
