"""The classic Excel add-in ``pdz_xl.xlam`` (ribbon tab «PDZ»), built from source on any
machine: VBA callbacks in ``vba/``, the ribbon in ``customUI.xml``, xlwings' own VBA from
the installed xlwings package. See docs/addin.md."""
