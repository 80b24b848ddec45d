Attribute VB_Name = "PdzRibbon"
' pdz-xl: callbacks of the "PDZ" ribbon tab (customUI.xml).
' Each button runs the same Python as the command line, on the active workbook,
' through xlwings' RunPython (module "xlwings" of this add-in).
Option Explicit

Private Sub RunPdz(ByVal entryPoint As String)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Aprire prima la cartella del budget.", vbExclamation, "PDZ"
        Exit Sub
    End If
    RunPython "import udfs.scripts; udfs.scripts." & entryPoint & "()"
End Sub

Public Sub PdzValida(control As IRibbonControl)
    RunPdz "valida_da_excel"
End Sub

Public Sub PdzAlloca(control As IRibbonControl)
    RunPdz "alloca_da_excel"
End Sub

Public Sub PdzTriennale(control As IRibbonControl)
    RunPdz "triennale_da_excel"
End Sub

Public Sub PdzPulisci(control As IRibbonControl)
    RunPdz "pulisci_da_excel"
End Sub

Public Sub PdzImportaFunzioni(control As IRibbonControl)
    ImportPythonUDFs
End Sub
