"""Run by the system Python (which has LibreOffice's ``uno``): a workbook with a REAL pivot
table made by LibreOffice Calc, saved as xlsx. Usage: python3 lo_pivot_uno.py OUT PROFILE.

Not a test module and not imported by the tests: see tests/support/lo_pivot.py.
"""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.sheet.DataPilotFieldOrientation import DATA, ROW
from com.sun.star.sheet.GeneralFunction import SUM
from com.sun.star.table import CellAddress, CellRangeAddress

ROWS = [("Canale", "Area", "Importo"), ("FNPS", "Minori", 100), ("FNPS", "Anziani", 50),
        ("FSR", "Minori", 70), ("FSR", "Disabili", 30)]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(300):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.2)
    raise RuntimeError("LibreOffice did not answer on its pipe")


def build(doc):
    data = doc.Sheets.getByIndex(0)
    data.Name = "Dati"
    for r, row in enumerate(ROWS):
        for c, v in enumerate(row):
            cell = data.getCellByPosition(c, r)
            if isinstance(v, str):
                cell.String = v
            else:
                cell.Value = v
    doc.Sheets.insertNewByName("Pivot", 1)
    desc = data.getDataPilotTables().createDataPilotDescriptor()
    source = CellRangeAddress()
    source.Sheet, source.StartColumn, source.StartRow = 0, 0, 0
    source.EndColumn, source.EndRow = 2, len(ROWS) - 1
    desc.setSourceRange(source)
    fields = desc.getDataPilotFields()
    fields.getByIndex(0).Orientation = ROW
    amount = fields.getByIndex(2)
    amount.Orientation = DATA
    amount.Function = SUM
    where = CellAddress()
    where.Sheet, where.Column, where.Row = 1, 0, 0
    doc.Sheets.getByName("Pivot").getDataPilotTables().insertNewByName("Riepilogo", where,
                                                                       desc)


def main():
    out, profile = os.path.abspath(sys.argv[1]), sys.argv[2]
    pipe = f"pdzpivot{os.getpid()}"
    proc = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}", "--headless",
         "--invisible", "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    desktop = None
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                               ctx)
        doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0,
                                           (prop("Hidden", True),))
        build(doc)
        doc.storeToURL(uno.systemPathToFileUrl(out),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
    finally:
        try:
            if desktop is not None:
                desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)


if __name__ == "__main__":
    main()
