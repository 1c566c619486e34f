"""A plain, non-editable install carries the template spec along (issues #2, #12)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

import converter


def run(*cmd: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, timeout=600, cwd=cwd
    )


@pytest.mark.slow
def test_sdist_and_wheel_install_into_a_fresh_venv(tmp_path: Path) -> None:
    """`python -m build` makes the sdist and, from it, the wheel; the wheel installs into
    a fresh virtual environment, where `--version` and `convert` run from another folder
    (the spec and the templates travel inside it). Issue #12.

    The new environment sees this one's site-packages through a path file, so the
    dependencies need not be downloaded again; `pip check` proves the wheel's declared
    dependencies are met there, and the package itself comes only from the wheel.
    """
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
            ".ruff_cache",
            ".mypy_cache",
            "atgardsplan-out",
            "mutants",
            "city-*",
        ),
    )
    dist = tmp_path / "dist"
    proc = run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", dist, src)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    version = converter.__version__
    sdist = dist / f"atgardsplan-{version}.tar.gz"
    wheel = dist / f"atgardsplan-{version}-py3-none-any.whl"
    assert sdist.exists() and wheel.exists(), sorted(p.name for p in dist.iterdir())
    with tarfile.open(sdist) as tf:
        names = tf.getnames()
    for needed in ("templates/atgardsplan.toml", "CHANGELOG.md", "README.md", "pyproject.toml"):
        assert f"atgardsplan-{version}/{needed}" in names, needed
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        entry = next(n for n in names if n.endswith("entry_points.txt"))
        assert "atgardsplan = converter.cli:main" in zf.read(entry).decode()
    for name in (
        "atgardsplan.toml",
        "report.html.j2",
        "_plan.html.j2",
        "report.css",
        "diff.html.j2",
        "page.html.j2",
        "_layout.html.j2",
        "_results.html.j2",
        "error.html.j2",
        "sida.css",
        "sida.js",
        "_plan_sections.html.j2",
        "tillganglighet.html.j2",
        "cli.sv.toml",
    ):
        assert f"converter/templates/{name}" in names, name

    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", venv).returncode == 0
    bin_dir = venv / "bin"
    purelib = run(
        bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    ).stdout.strip()
    here = [p for p in sys.path if p.endswith("site-packages")]
    (Path(purelib) / "atgardsplan-test-deps.pth").write_text("\n".join(here) + "\n")
    proc = run(bin_dir / "python", "-m", "pip", "install", "--no-deps", "-q", wheel)
    assert proc.returncode == 0, proc.stderr
    proc = run(bin_dir / "python", "-m", "pip", "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = run(bin_dir / "atgardsplan", "--version", cwd=elsewhere)
    assert proc.returncode == 0 and proc.stdout.strip() == f"atgardsplan, version {version}"
    proc = run(
        bin_dir / "python", "-c", "import converter; print(converter.__file__)", cwd=elsewhere
    )
    assert proc.stdout.strip().startswith(str(venv)), proc.stdout
    proc = run(bin_dir / "atgardsplan", "convert", EXAMPLE, "--out", "ut", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert len(list((elsewhere / "ut").iterdir())) == 5
    proc = run(bin_dir / "atgardsplan", "report", EXAMPLE, "-o", "rapport.html", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert '<html lang="sv">' in (elsewhere / "rapport.html").read_text(encoding="utf-8")

    # The web page runs from the wheel: its templates, style and script travel inside.
    page_check = (
        "from converter.web.app import create_app\n"
        "c = create_app().test_client()\n"
        "assert c.get('/').status_code == 200\n"
        "assert c.get('/resurser/sida.js').status_code == 200\n"
        "assert 'Digg' in c.get('/tillganglighet').get_data(as_text=True)\n"
        "r = c.post('/mall', data={'ar': '2027', 'stadsdel': ['Farsta']})\n"
        "assert r.status_code == 200 and len(r.data) > 5000\n"
    )
    proc = run(bin_dir / "python", "-c", page_check, cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    # And the Swedish command line: its catalogue travels inside too.
    proc = run(bin_dir / "atgardsplan", "--lang", "sv", "--help", cwd=elsewhere)
    assert proc.returncode == 0 and proc.stdout.startswith("Användning: atgardsplan [FLAGGOR]")


def test_one_version_everywhere() -> None:
    """converter.__version__, the installed metadata, --version and the changelog agree."""
    from importlib.metadata import version

    assert version("atgardsplan") == converter.__version__
    proc = subprocess.run(
        [sys.executable, "-m", "converter", "--version"], capture_output=True, text=True
    )
    assert proc.stdout.strip() == f"atgardsplan, version {converter.__version__}"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{converter.__version__}]" in changelog


def test_public_api_is_complete_and_loads_lazily() -> None:
    """Every name in converter.__all__ resolves; importing the CLI loads no pandas."""
    assert sorted(converter.__all__) == sorted(converter._API)
    for name in converter.__all__:
        assert getattr(converter, name) is not None
    code = "import sys, converter.cli; print('pandas' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "False", proc.stderr
