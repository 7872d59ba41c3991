"""A real SIGTERM or SIGINT while ``bsrlab report --out X`` writes: the old report, or nothing.

The report runs in a subprocess. Once it has started writing (a temporary directory has
appeared beside the target or inside it) the signal is sent. Afterwards the target holds exactly
the previous report, or does not exist when there was none, and no temporary directory is left.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ARGS = ["report", "--sections", "vonpeter", "--shocks", "0.02,0.3"]


def _start(out: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from bsrlab.interfaces.cli import main; main()", *ARGS,
         "--out", str(out)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _temporaries(out: Path) -> list[Path]:
    """Temporary directories of a run writing ``out``: beside it or inside it."""
    beside = [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    inside = list(out.glob(".bsrlab-tmp-*")) if out.is_dir() else []
    return beside + inside


def _wait_until_writing(proc: subprocess.Popen[bytes], out: Path, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if _temporaries(out):
            return True
        time.sleep(0.002)
    return False


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished report to be overwritten."""
    out = tmp_path_factory.mktemp("previous") / "report"
    env = dict(os.environ, BSRLAB_CACHE=str(out.parent / "cache"))
    proc = _start(out, env)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    return out


def _same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    return not (cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files) and all(
        filecmp.cmp(a / f, b / f, shallow=False) for f in cmp.common_files)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("had_report", [True, False])
def test_signal_leaves_old_report_or_nothing(tmp_path: Path, previous: Path,
                                             sig: signal.Signals, had_report: bool) -> None:
    out = tmp_path / "report"
    if had_report:
        shutil.copytree(previous, out)
    env = dict(os.environ, BSRLAB_CACHE=str(tmp_path / "cache"))
    proc = _start(out, env)
    try:
        writing = _wait_until_writing(proc, out, timeout=600)
        assert writing, "the report finished before it was seen writing"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode in (130, 143, 128 + int(sig)), err.decode()
    assert b"Traceback" not in err
    assert not _temporaries(out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    if had_report:
        assert _same_tree(out, previous)
    else:
        assert not out.exists()
