"""What an xlwings Lite workbook needs to get the PDZ functions and buttons.

xlwings Lite runs Python in the browser (Pyodide) and reads two panes of the add-in: a
``main.py`` (the functions and scripts it registers) and a ``requirements.txt`` (what
micropip installs). pdz-xl ships as one pure-Python wheel whose dependencies are all
Pyodide packages or pure-Python wheels; the bundle is that wheel, a two-line ``main.py``
and a ``requirements.txt`` pointing at the wheel's published address.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MAIN_PY = (Path(__file__).parent / "lite" / "main.py").read_text(encoding="utf-8")
REPO = Path(__file__).resolve().parents[1]

LITE_SAFE = frozenset({"openpyxl", "pandas", "pydantic", "xlwings", "typer", "rich", "scipy",
                       "lxml"})
"""Dependencies a Lite install may pull: Pyodide-built packages or pure-Python wheels."""


@dataclass(frozen=True)
class LiteBundle:
    """The files to give xlwings Lite."""

    wheel: Path
    main_py: Path
    requirements: Path


def build_wheel(out_dir: Path, source: Path = REPO) -> Path:
    """Build the pdz-xl wheel (pure Python, no dependencies bundled) into ``out_dir``,
    from the source tree, with pip's isolated build (setuptools from the registry)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
             "--disable-pip-version-check", "--wheel-dir", tmp, str(source)],
            capture_output=True, text=True, check=False)
        wheels = sorted(Path(tmp).glob("pdz_xl-*.whl"))
        if proc.returncode != 0 or not wheels:
            raise RuntimeError(f"costruzione della ruota non riuscita: {proc.stderr.strip()}")
        target = out_dir / wheels[-1].name
        target.write_bytes(wheels[-1].read_bytes())
    return target


def build_lite_bundle(out_dir: Path, base_url: str) -> LiteBundle:
    """Wheel, ``main.py`` and ``requirements.txt`` for xlwings Lite; ``base_url`` is where
    the wheel will be published (HTTPS, reachable from Excel)."""
    wheel = build_wheel(out_dir)
    main_py = out_dir / "main.py"
    main_py.write_text(MAIN_PY, encoding="utf-8")
    requirements = out_dir / "requirements.txt"
    requirements.write_text(f"{base_url.rstrip('/')}/{wheel.name}\n", encoding="utf-8")
    return LiteBundle(wheel, main_py, requirements)
