"""Native charts on owned sheets: a drawing part anchoring DrawingML chart parts."""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from ..cells import parse_a1
from ..changeset import ChartSpec, OwnedSheet
from .package import CT_CHART, CT_DRAWING, NS_R, Package
from .sheet_xml import child

_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _series(spec: ChartSpec) -> str:
    out = []
    for i, s in enumerate(spec.series):
        out.append(
            f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>'
            f'<c:tx><c:v>{escape(s.name)}</c:v></c:tx>'
            f'<c:cat><c:strRef><c:f>{escape(spec.categories)}</c:f></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>{escape(s.values)}</c:f></c:numRef></c:val></c:ser>')
    return "".join(out)


def chart_xml(spec: ChartSpec) -> bytes:
    """The chartSpace of one chart (values are references: any reader recomputes them)."""
    title = (f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{escape(spec.title)}</a:t>'
             '</a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>')
    if spec.kind == "pie":
        plot = f'<c:pieChart><c:varyColors val="1"/>{_series(spec)}</c:pieChart>'
    else:
        direction = "bar" if spec.kind == "bar" else "col"
        grouping = "stacked" if spec.stacked else "clustered"
        kind = "lineChart" if spec.kind == "line" else "barChart"
        head = "" if spec.kind == "line" else f'<c:barDir val="{direction}"/>'
        grouping = "standard" if spec.kind == "line" else grouping
        plot = (f'<c:{kind}>{head}<c:grouping val="{grouping}"/>'
                f'<c:varyColors val="0"/>{_series(spec)}'
                '<c:axId val="500000001"/><c:axId val="500000002"/></c:' + kind + '>'
                '<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="minMax"/>'
                '</c:scaling><c:delete val="0"/><c:axPos val="b"/><c:crossAx val="500000002"/>'
                '</c:catAx><c:valAx><c:axId val="500000002"/><c:scaling><c:orientation '
                'val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/>'
                '<c:numFmt formatCode="#,##0" sourceLinked="0"/><c:crossAx val="500000001"/>'
                '</c:valAx>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{NS_R}">'
            f'<c:chart>{title}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>{plot}'
            '</c:plotArea><c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend>'
            '<c:plotVisOnly val="1"/></c:chart></c:chartSpace>').encode()


def _anchor(spec: ChartSpec, rid: str, n: int) -> str:
    row, col = parse_a1(spec.anchor)
    return (f'<xdr:twoCellAnchor><xdr:from><xdr:col>{col - 1}</xdr:col><xdr:colOff>0'
            f'</xdr:colOff><xdr:row>{row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
            f'<xdr:to><xdr:col>{col - 1 + spec.width_cols}</xdr:col><xdr:colOff>0</xdr:colOff>'
            f'<xdr:row>{row - 1 + spec.height_rows}</xdr:row><xdr:rowOff>0</xdr:rowOff>'
            f'</xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{n + 1}"'
            f' name="Grafico {n}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm>'
            '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData '
            f'uri="{_C}"><c:chart xmlns:c="{_C}" r:id="{rid}"/></a:graphicData></a:graphic>'
            '</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>')


def add_charts(pkg: Package, sheet_part: str, sheet_root: etree._Element,
               owned: OwnedSheet) -> None:
    """Create the drawing and chart parts of an owned sheet and link them."""
    drawing = pkg.unique_name("xl/drawings/drawing{}.xml")
    pkg.add_override(drawing, CT_DRAWING)
    anchors = []
    for n, spec in enumerate(owned.charts, start=1):
        chart = pkg.unique_name("xl/charts/chart{}.xml")
        pkg.put(chart, chart_xml(spec))
        pkg.add_override(chart, CT_CHART)
        rid = pkg.add_relationship(drawing, "chart", chart)
        anchors.append(_anchor(spec, rid, n))
    pkg.put(drawing, (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                      f'<xdr:wsDr xmlns:xdr="{_XDR}" xmlns:a="{_A}" xmlns:r="{NS_R}">'
                      + "".join(anchors) + "</xdr:wsDr>").encode())
    rid = pkg.add_relationship(sheet_part, "drawing", drawing)
    child(sheet_root, "drawing").set(f"{{{NS_R}}}id", rid)
