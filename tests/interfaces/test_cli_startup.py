"""What a short command loads at start: no file machinery, no scipy.sparse, one BLAS thread; and
the command line's own signal guard."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

import bsrlab.interfaces.cli as cli
from bsrlab.core.signals import terminate_on_signals

SOLVE = ["solve", "--alpha", "0.5", "--beta", "0.95", "--gamma", "0.1", "--tau", "0.05"]
COMPARE = ["deleverage", "compare", "--preset", "us-2008", "--format", "json"]


def _loaded_after(argv: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    """Run ``main(argv)`` in a fresh interpreter; report modules and BLAS threads seen."""
    code = (
        "import io, json, os, sys, contextlib\n"
        "from bsrlab.interfaces.cli import main\n"
        "seen = {}\n"
        "import bsrlab.interfaces.cli as c\n"
        "run = c._main\n"
        "def spy(argv):\n"
        "    seen['env'] = os.environ.get('OPENBLAS_NUM_THREADS')\n"
        "    run(argv)\n"
        "c._main = spy\n"
        "try:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        main({argv!r})\n"
        "except SystemExit as exc:\n"
        "    seen['code'] = exc.code\n"
        "seen['modules'] = sorted(sys.modules)\n"
        "seen['env_after'] = os.environ.get('OPENBLAS_NUM_THREADS')\n"
        "print(json.dumps(seen))\n"
    )
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")}
    full_env.update(env or {})
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=full_env).stdout
    return dict(json.loads(out.splitlines()[-1]))


def test_solve_loads_neither_file_machinery_nor_scipy_nor_pandas() -> None:
    seen = _loaded_after(SOLVE)
    assert seen["code"] == 0
    mods = set(seen["modules"])  # type: ignore[arg-type]
    assert "bsrlab.core.fileio" not in mods
    assert not any(m == "pandas" or m.startswith("scipy") for m in mods)


def test_compare_loads_neither_pandas_nor_plotting() -> None:
    seen = _loaded_after(COMPARE)
    assert seen["code"] == 0
    mods = set(seen["modules"])  # type: ignore[arg-type]
    assert "pandas" not in mods and "matplotlib" not in mods


def test_blas_starts_with_one_thread_and_the_environment_is_restored() -> None:
    seen = _loaded_after(SOLVE)
    assert seen["env"] == "1" and seen["env_after"] is None


@pytest.mark.parametrize("name", ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"])
def test_a_thread_count_chosen_by_the_user_is_kept(name: str) -> None:
    seen = _loaded_after(SOLVE, {name: "2"})
    assert seen["env"] == ("2" if name == "OPENBLAS_NUM_THREADS" else None)
    assert seen["env_after"] == seen["env"]


def test_nothing_changes_once_numpy_is_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy  # noqa: F401

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with cli._one_blas_thread():
        assert "OPENBLAS_NUM_THREADS" not in os.environ


def test_signal_guard_installs_and_restores_handlers() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with terminate_on_signals():
        handler = signal.getsignal(signal.SIGTERM)
        assert handler is not before and callable(handler)
        with pytest.raises(SystemExit) as info:
            handler(signal.SIGTERM, None)  # type: ignore[operator]
        assert info.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before


def test_signal_guard_leaves_an_ignored_sighup_alone() -> None:
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with terminate_on_signals():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before)


def test_sigterm_ends_a_command_with_status_143() -> None:
    proc = subprocess.Popen([sys.executable, "-c",
                             "import sys, time\n"
                             "from bsrlab.core.signals import terminate_on_signals\n"
                             "with terminate_on_signals():\n"
                             "    try:\n"
                             "        print('ready', flush=True)\n"
                             "        time.sleep(30)\n"
                             "    finally:\n"
                             "        print('cleaned', flush=True)\n"],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 143
    assert out.strip() == "cleaned"
