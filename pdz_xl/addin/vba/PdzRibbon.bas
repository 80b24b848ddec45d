Attribute VB_Name = "PdzRibbon"
' pdz-xl: callbacks of the "PDZ" ribbon tab (customUI.xml), one per button.
' Each button runs the same Python as the command line on the active workbook,
' through RunPython of this add-in's "xlwings" module (xw.Book.caller() is the
' active workbook). Keep this file ASCII: VBA stores source in the ANSI code page.
Option Explicit

Private Function HasWorkbook() As Boolean
    HasWorkbook = Not (ActiveWorkbook Is Nothing)
    If Not HasWorkbook Then
        MsgBox "Aprire prima la cartella del budget.", vbExclamation, "PDZ"
    End If
End Function

Public Sub PdzValida(control As IRibbonControl)
    If HasWorkbook() Then RunPython "import udfs.scripts; udfs.scripts.valida_da_excel()"
End Sub

Public Sub PdzAlloca(control As IRibbonControl)
    If HasWorkbook() Then RunPython "import udfs.scripts; udfs.scripts.alloca_da_excel()"
End Sub

Public Sub PdzTriennale(control As IRibbonControl)
    If HasWorkbook() Then RunPython "import udfs.scripts; udfs.scripts.triennale_da_excel()"
End Sub

Public Sub PdzPulisci(control As IRibbonControl)
    If HasWorkbook() Then RunPython "import udfs.scripts; udfs.scripts.pulisci_da_excel()"
End Sub

Public Sub PdzCorreggi(control As IRibbonControl)
    If HasWorkbook() Then RunPython "import udfs.scripts; udfs.scripts.correggi_da_excel()"
End Sub

Public Sub PdzNuovoAnno(control As IRibbonControl)
    If HasWorkbook() Then RunPython "import udfs.scripts; udfs.scripts.nuovo_anno_da_excel()"
End Sub

Public Sub PdzImportaFunzioni(control As IRibbonControl)
    ' UDF module from the "UDF MODULES" key (pdz_xl.conf sheet or user file)
    If HasWorkbook() Then ImportPythonUDFs
End Sub
