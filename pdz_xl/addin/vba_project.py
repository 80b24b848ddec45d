"""``vbaProject.bin`` from VBA source ([MS-OVBA]), in memory, deterministic.

``ms_ovba`` supplies the records: the ``dir`` stream (project information, references,
module records), ``PROJECT`` (with the CMG/DPB/GC protection strings), ``PROJECTwm`` and
``_VBA_PROJECT`` (version 0xFFFF: no p-code, so the host compiles the source). This module
adds what ``ms_ovba`` 0.0.1 lacks or gets wrong: class modules, the module streams
(compressed with :mod:`.ovba_compress`), the compound file (:mod:`.cfb`), and a fixed
random source for the protection strings (``ms_ovba_crypto`` draws its seed bytes from the
global ``random`` module; the global state is left as it was).
"""

from __future__ import annotations

import contextlib
import random
import uuid
from collections.abc import Iterator

from .cfb import compound_file
from .ovba_compress import compress, pad_source

PROJECT_ID = "{5C0F2B7E-3D2A-4F0B-9C51-7A3E2D1F0B11}"
DOCUMENTS = {"ThisWorkbook": "00020819-0000-0000-C000-000000000046",
             "Sheet1": "00020820-0000-0000-C000-000000000046"}
"""Document modules of the add-in workbook and sheet (codeName -> VB_Base class id)."""
REFERENCES = (
    ("00020430-0000-0000-C000-000000000046", r"C:\Windows\System32\stdole2.tlb",
     "OLE Automation", "stdole"),
    ("2DF8D04C-5BFA-101B-BDE5-00AA0044DE52",
     r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
     "Microsoft Office 16.0 Object Library", "Office"),
)
"""stdole, and Office (IRibbonControl); Excel and VBA are implicit."""


def document_source(name: str, clsid: str) -> str:
    """The attribute header Excel stores for an empty document module."""
    return "".join(f"Attribute VB_{key} = {value}\r\n" for key, value in (
        ("Name", f'"{name}"'), ("Base", f'"0{{{clsid}}}"'), ("GlobalNameSpace", "False"),
        ("Creatable", "False"), ("PredeclaredId", "True"), ("Exposed", "True"),
        ("TemplateDerived", "False"), ("Customizable", "True")))


@contextlib.contextmanager
def _fixed_random(seed: int) -> Iterator[None]:
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def _module_stream(code: str) -> bytes:
    crlf = code.replace("\r\n", "\n").replace("\n", "\r\n").encode("cp1252")
    return compress(pad_source(crlf))


def vba_project_bin(sources: dict[str, str], class_modules: frozenset[str] = frozenset()
                    ) -> bytes:
    """The compound file of a VBA project: the document modules plus ``sources``
    (name -> code; names in ``class_modules`` are class modules, the rest standard)."""
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.dirStream import DirStream
    from ms_ovba.Views.project import Project
    from ms_ovba.Views.project_view import ProjectView
    from ms_ovba.Views.projectWm import ProjectWm

    class ClassModule(StdModule):
        """``Class=`` in PROJECT, MODULETYPE 0x0022 in dir (ms_ovba has no class type)."""

        def __init__(self, name: str) -> None:
            super().__init__(name)
            self.type = "Class"

        def pack(self, endien: str, cp_name: str) -> bytes:
            self.type = "Document"  # ModuleBase.pack writes 0x0022 only for this type
            try:
                return super().pack(endien, cp_name)
            finally:
                self.type = "Class"

    project = VbaProject()
    project.project_id = PROJECT_ID
    project.include_projectwm()  # as Excel writes it
    project.add_attribute("VersionCompatible32", "393222000")  # as Excel writes it
    streams: dict[str, bytes] = {}
    for name, clsid in DOCUMENTS.items():
        doc = DocModule(name)
        doc.add_guid(uuid.UUID(clsid))
        project.add_module(doc)
        streams[f"VBA/{name}"] = _module_stream(document_source(name, clsid))
    for name, code in sources.items():
        project.add_module((ClassModule if name in class_modules else StdModule)(name))
        streams[f"VBA/{name}"] = _module_stream(code)
    for libid, path, description, name in REFERENCES:
        lib = LibidReference(uuid.UUID(libid), "2.0", "0", path, description)
        project.add_reference(Reference(ReferenceRegistered(lib), name))
    streams["VBA/_VBA_PROJECT"] = ProjectView(project).to_bytes()
    streams["VBA/dir"] = compress(DirStream(project).to_bytes())  # < one chunk: no padding
    with _fixed_random(0):
        streams["PROJECT"] = Project(project).to_bytes()
    streams["PROJECTwm"] = ProjectWm(project).to_bytes()
    return compound_file(streams)
