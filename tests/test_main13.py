"""``python -m whosaid`` is the command line itself (a checkout without the script)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def test_python_m_whosaid_extracts(tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("The harbour board will close the east pier in May, Ilsa Brannock said on "
                   "Tuesday.\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "whosaid", "extract", str(doc), "--format", "json"],
                         capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    out = json.loads(run.stdout)
    docs = out if isinstance(out, list) else [out]
    cues = [a["cue"]["text"] for d in docs for a in d["attributions"]]
    assert "said" in cues, run.stdout[:500]


def test_python_m_whosaid_bad_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "absent.txt"
    run = subprocess.run([sys.executable, "-m", "whosaid", "extract", str(missing)],
                         capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert run.returncode != 0
    assert "absent.txt" in run.stderr
