"""Native charts on owned sheets: a drawing part anchoring DrawingML chart parts.

Series and categories are references (``'Triennale PDZ'!$C$5:$C$9``), so Excel and
LibreOffice draw them from the cells. Where the referenced cells are written in the same
Changeset, the chart also carries their values as caches (``c:numCache``/``c:strCache``),
so viewers that do not recalculate (previews, some converters) show the same picture.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from ..cells import parse_a1, parse_range, split_sheet_ref
from ..changeset import CellValue, ChartSpec, OwnedSheet
from .package import CT_CHART, CT_DRAWING, NS_R, Package, clean_text
from .sheet_xml import child, number_text

_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_CAT_AX, _VAL_AX = 500000001, 500000002

Lookup = Callable[[str, int, int], CellValue]
"""(sheet, row, col) -> the value written there in this Changeset, or None."""


def _cells(ref: str) -> tuple[str, list[tuple[int, int]]] | None:
    """``'S'!$A$1:$A$3`` -> ("S", [(1,1), (2,1), (3,1)]); None when not a plain range."""
    sheet, rng = split_sheet_ref(ref.lstrip("="))
    try:
        r1, c1, r2, c2 = parse_range(rng.replace("$", ""))
    except ValueError:
        return None
    if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
        return None
    return sheet, [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def _text(v: object) -> str:
    return escape(clean_text(str(v)))


def _num_ref(ref: str, lookup: Lookup) -> str:
    body = f"<c:f>{_text(ref)}</c:f>"
    found = _cells(ref)
    if found:
        sheet, cells = found
        pts = []
        for i, (r, c) in enumerate(cells):
            v = lookup(sheet, r, c)
            if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
                pts.append(f'<c:pt idx="{i}"><c:v>{number_text(v)}</c:v></c:pt>')
        body += (f'<c:numCache><c:formatCode>General</c:formatCode><c:ptCount '
                 f'val="{len(cells)}"/>{"".join(pts)}</c:numCache>')
    return f"<c:numRef>{body}</c:numRef>"


def _str_ref(ref: str, lookup: Lookup) -> str:
    body = f"<c:f>{_text(ref)}</c:f>"
    found = _cells(ref)
    if found:
        sheet, cells = found
        pts = []
        for i, (r, c) in enumerate(cells):
            v = lookup(sheet, r, c)
            if v is not None:
                shown = number_text(v) if isinstance(v, (int, float, Decimal)) else v
                pts.append(f'<c:pt idx="{i}"><c:v>{_text(shown)}</c:v></c:pt>')
        body += f'<c:strCache><c:ptCount val="{len(cells)}"/>{"".join(pts)}</c:strCache>'
    return f"<c:strRef>{body}</c:strRef>"


def _labels(spec: ChartSpec) -> str:
    """``c:dLbls`` of a series: values (in ``label_format``) or percentages (pies)."""
    if spec.data_labels is None:
        return ""
    percent = spec.data_labels == "percent"
    fmt = "0.0%" if percent else (spec.label_format or "General")
    position = ('<c:dLblPos val="bestFit"/>' if spec.kind == "pie" else
                '<c:dLblPos val="outEnd"/>' if spec.kind in ("bar", "column") and
                not spec.stacked else "")
    flags = "".join(f'<c:{name} val="{int(on)}"/>' for name, on in (
        ("showLegendKey", False), ("showVal", not percent), ("showCatName", False),
        ("showSerName", False), ("showPercent", percent), ("showBubbleSize", False)))
    return (f'<c:dLbls><c:numFmt formatCode="{_text(fmt)}" sourceLinked="0"/>'
            '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
            f'{position}{flags}</c:dLbls>')


def _series(spec: ChartSpec, lookup: Lookup) -> str:
    out = []
    for i, s in enumerate(spec.series):
        name = (f"<c:tx>{_str_ref(s.name_ref, lookup)}</c:tx>" if s.name_ref
                else f"<c:tx><c:v>{_text(s.name)}</c:v></c:tx>")
        extra = ""
        if spec.kind in ("column", "bar"):
            extra = '<c:invertIfNegative val="0"/>'
        elif spec.kind == "line":
            extra = '<c:marker><c:symbol val="none"/></c:marker>'
        tail = '<c:smooth val="0"/>' if spec.kind == "line" else ""
        out.append(f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>{name}{extra}'
                   f'{_labels(spec)}<c:cat>{_str_ref(spec.categories, lookup)}</c:cat>'
                   f'<c:val>{_num_ref(s.values, lookup)}</c:val>{tail}</c:ser>')
    return "".join(out)


def _axes(horizontal: bool, value_axis: bool = True) -> str:
    cat_pos, val_pos = ("l", "b") if horizontal else ("b", "l")
    return (f'<c:catAx><c:axId val="{_CAT_AX}"/><c:scaling><c:orientation val="minMax"/>'
            f'</c:scaling><c:delete val="0"/><c:axPos val="{cat_pos}"/>'
            '<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/>'
            '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            f'<c:crossAx val="{_VAL_AX}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
            '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/>'
            f'</c:catAx><c:valAx><c:axId val="{_VAL_AX}"/><c:scaling><c:orientation '
            f'val="minMax"/></c:scaling><c:delete val="{int(not value_axis)}"/>'
            f'<c:axPos val="{val_pos}"/>'
            '<c:majorGridlines/><c:numFmt formatCode="#,##0" sourceLinked="0"/>'
            '<c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
            f'<c:tickLblPos val="nextTo"/><c:crossAx val="{_CAT_AX}"/>'
            '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>')


def _plot(spec: ChartSpec, lookup: Lookup) -> str:
    series = _series(spec, lookup)
    if spec.kind == "pie":
        return (f'<c:pieChart><c:varyColors val="1"/>{series}<c:firstSliceAng val="0"/>'
                '</c:pieChart>')
    axes = f'<c:axId val="{_CAT_AX}"/><c:axId val="{_VAL_AX}"/>'
    if spec.kind == "line":
        grouping = "stacked" if spec.stacked else "standard"
        return (f'<c:lineChart><c:grouping val="{grouping}"/><c:varyColors val="0"/>'
                f'{series}<c:marker val="1"/>{axes}</c:lineChart>{_axes(False)}')
    direction = "bar" if spec.kind == "bar" else "col"
    grouping = "stacked" if spec.stacked else "clustered"
    overlap = '<c:overlap val="100"/>' if spec.stacked else ""
    return (f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="{grouping}"/>'
            f'<c:varyColors val="0"/>{series}<c:gapWidth val="150"/>{overlap}{axes}'
            f'</c:barChart>{_axes(spec.kind == "bar", spec.value_axis)}')


def chart_xml(spec: ChartSpec, lookup: Lookup | None = None) -> bytes:
    """The ``c:chartSpace`` of one chart."""
    lookup = lookup or (lambda _s, _r, _c: None)
    legend = (f'<c:legend><c:legendPos val="{spec.legend}"/><c:overlay val="0"/></c:legend>'
              if spec.legend else "")
    title = (f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr b="1"/>'
             f'</a:pPr><a:r><a:rPr lang="it-IT" b="1"/><a:t>{_text(spec.title)}</a:t></a:r>'
             '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{NS_R}">'
            '<c:date1904 val="0"/><c:lang val="it-IT"/><c:roundedCorners val="0"/>'
            f'<c:chart>{title}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
            f'{_plot(spec, lookup)}</c:plotArea>{legend}<c:plotVisOnly val="1"/>'
            '<c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>').encode()


def _anchor(spec: ChartSpec, rid: str, n: int) -> str:
    row, col = parse_a1(spec.anchor)
    name = quoteattr(f"Grafico {n}")
    return (f'<xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>{col - 1}</xdr:col>'
            f'<xdr:colOff>0</xdr:colOff><xdr:row>{row - 1}</xdr:row><xdr:rowOff>0'
            f'</xdr:rowOff></xdr:from><xdr:to><xdr:col>{col - 1 + spec.width_cols}</xdr:col>'
            f'<xdr:colOff>0</xdr:colOff><xdr:row>{row - 1 + spec.height_rows}</xdr:row>'
            '<xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro="">'
            f'<xdr:nvGraphicFramePr><xdr:cNvPr id="{n + 1}" name={name}/>'
            '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="{_C}">'
            f'<c:chart xmlns:c="{_C}" r:id="{rid}"/></a:graphicData></a:graphic>'
            '</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>')


def add_charts(pkg: Package, sheet_part: str, sheet_root: etree._Element,
               owned: OwnedSheet, lookup: Lookup | None = None) -> list[str]:
    """Create the drawing and chart parts of an owned sheet and link them; returns parts."""
    drawing = pkg.unique_name("xl/drawings/drawing{}.xml")
    created = [drawing]
    anchors = []
    pkg.put(drawing, b"")  # reserve the name before the charts take theirs
    for n, spec in enumerate(owned.charts, start=1):
        chart = pkg.unique_name("xl/charts/chart{}.xml")
        pkg.put(chart, chart_xml(spec, lookup))
        pkg.add_override(chart, CT_CHART)
        anchors.append(_anchor(spec, pkg.add_relationship(drawing, "chart", chart), n))
        created.append(chart)
    pkg.put(drawing, ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                      f'<xdr:wsDr xmlns:xdr="{_XDR}" xmlns:a="{_A}" xmlns:r="{NS_R}">'
                      + "".join(anchors) + "</xdr:wsDr>").encode())
    pkg.add_override(drawing, CT_DRAWING)
    rid = pkg.add_relationship(sheet_part, "drawing", drawing)
    child(sheet_root, "drawing").set(f"{{{NS_R}}}id", rid)
    return created
