"""A plain, non-editable install carries the template spec along (issue #2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import EXAMPLE, ROOT


def test_wheel_carries_the_spec_and_runs_from_anywhere(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "*.egg-info",
            "build",
            "dist",
            "__pycache__",
            ".pytest_cache",
            ".hypothesis",
            "atgardsplan-out",
        ),
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = next((tmp_path / "dist").glob("atgardsplan-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "converter/templates/atgardsplan.toml" in names
    assert "converter/cli.py" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "atgardsplan = converter.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
    target = tmp_path / "site"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        f"import sys; sys.path.insert(0, {str(target)!r})\n"
        "import converter\n"
        f"assert converter.__file__.startswith({str(target)!r}), converter.__file__\n"
        "from converter.cli import main\n"
        f"sys.argv = ['atgardsplan', 'read', {str(EXAMPLE)!r}, '--format', 'json']\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=elsewhere
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count('"area"') == 22


def test_public_api_is_complete_and_loads_lazily() -> None:
    """Every name in converter.__all__ resolves; importing the CLI loads no pandas."""
    import converter

    assert sorted(converter.__all__) == sorted(converter._API)
    for name in converter.__all__:
        assert getattr(converter, name) is not None
    code = "import sys, converter.cli; print('pandas' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "False", proc.stderr
