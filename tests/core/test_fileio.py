"""Files in and out: whole outputs or none (also on real SIGTERM/SIGINT), one-line input errors."""

from __future__ import annotations

import errno
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import bsrlab.core.fileio as fileio
from bsrlab.core.errors import BsrlabError, ConfigError, ParameterError
from bsrlab.core.fileio import (
    MARKER,
    atomic_directory,
    atomic_file,
    load_toml,
    loads_toml,
    output_path,
    read_bounded,
    terminate_on_signals,
    write_bytes_atomic,
    write_text_atomic,
)

TIMEOUT = 10.0
CHILD = Path(__file__).with_name("_fileio_child.py")
SRC = Path(fileio.__file__).resolve().parents[2]


def one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(exc.value)
    assert message
    assert "\n" not in message
    return message


def leftovers(parent: Path) -> list[str]:
    """Temporary or set-aside siblings that a run must never leave behind."""
    if not parent.exists():
        return []
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def write_output(target: Path, files: dict[str, str]) -> None:
    with atomic_directory(target) as tmp:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")


def fail_half_way(target: Path, error: BaseException, seen: list[Path] | None = None) -> None:
    """Write part of an output into *target*, then raise *error*."""
    with atomic_directory(target) as tmp:
        if seen is not None:
            seen.extend(tmp.parents)
        (tmp / "half.csv").write_text("a,", encoding="utf-8")
        raise error


def fail_writing_file(target: Path, mode: str, error: BaseException) -> None:
    """Write part of a file into *target*, then raise *error*."""
    with atomic_file(target, mode) as fh:
        fh.write("half" if mode == "w" else b"half")
        raise error


# --------------------------------------------------------------------------------------------
# output_path


def test_output_path_accepts_an_ordinary_path(tmp_path: Path) -> None:
    assert output_path("out", tmp_path / "run") == tmp_path / "run"
    assert output_path("out", "relative/run") == Path("relative/run")


def test_output_path_refuses_an_empty_path() -> None:
    with pytest.raises(ParameterError, match="non-empty") as exc:
        output_path("out", "")
    assert "'out'" in one_line(exc)


def test_output_path_refuses_a_name_longer_than_the_file_system_allows(tmp_path: Path) -> None:
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    with pytest.raises(ParameterError) as exc:
        output_path("out", tmp_path / ("x" * 300))
    message = one_line(exc)
    assert "'out'" in message
    assert str(limit) in message
    assert "300 bytes" in message


def test_output_path_refuses_a_path_longer_than_path_max(tmp_path: Path) -> None:
    limit = os.pathconf(tmp_path, "PC_PATH_MAX")
    deep = tmp_path.joinpath(*(["d" * 50] * (limit // 50 + 1)))
    with pytest.raises(ParameterError) as exc:
        output_path("out", deep)
    message = one_line(exc)
    assert "'out'" in message
    assert str(limit) in message


def test_output_path_refuses_nul_bytes() -> None:
    with pytest.raises(ParameterError, match="NUL") as exc:
        output_path("out", "run\x00x")
    one_line(exc)


def test_atomic_directory_refuses_an_overlong_name_before_creating_anything(
    tmp_path: Path,
) -> None:
    ran = False
    with pytest.raises(ParameterError) as exc, atomic_directory(tmp_path / "new" / ("x" * 300)):
        ran = True
    assert "'out'" in one_line(exc)
    assert not ran
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------
# atomic_directory


def test_success_creates_the_target_with_its_files_and_the_marker(tmp_path: Path) -> None:
    target = tmp_path / "run"
    with atomic_directory(target) as tmp:
        assert tmp.parent == tmp_path
        assert tmp.name.startswith(".run.tmp-")
        assert not target.exists()
        (tmp / "table.csv").write_text("a,b\n", encoding="utf-8")
        (tmp / "figures").mkdir()
        (tmp / "figures" / "f.svg").write_text("<svg/>", encoding="utf-8")
    assert sorted(tree(target)) == [MARKER, "figures/f.svg", "table.csv"]
    assert (target / "table.csv").read_text(encoding="utf-8") == "a,b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt(), SystemExit(3)])
def test_an_exception_leaves_no_target_and_no_temporary_directory(
    tmp_path: Path, error: BaseException
) -> None:
    target = tmp_path / "run"
    with pytest.raises(type(error)):
        fail_half_way(target, error)
    assert list(tmp_path.iterdir()) == []


def test_an_earlier_output_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "run"
    write_output(target, {"old.csv": "old", "both.csv": "old"})
    write_output(target, {"new.csv": "new", "both.csv": "new"})
    assert tree(target) == {
        MARKER: (target / MARKER).read_bytes(),
        "both.csv": b"new",
        "new.csv": b"new",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_failed_run_keeps_the_earlier_output_exactly(tmp_path: Path) -> None:
    target = tmp_path / "run"
    write_output(target, {"a.csv": "first"})
    before = tree(target)
    with pytest.raises(RuntimeError):
        fail_half_way(target, RuntimeError("stop"))
    assert tree(target) == before
    assert leftovers(tmp_path) == []


def test_an_empty_directory_is_accepted(tmp_path: Path) -> None:
    target = tmp_path / "run"
    target.mkdir()
    write_output(target, {"a.csv": "1"})
    assert sorted(tree(target)) == [MARKER, "a.csv"]
    assert leftovers(tmp_path) == []


def test_a_foreign_directory_is_refused_and_untouched(tmp_path: Path) -> None:
    target = tmp_path / "home"
    target.mkdir()
    (target / "thesis.tex").write_text("precious", encoding="utf-8")
    ran = False
    with pytest.raises(ParameterError) as exc, atomic_directory(target):
        ran = True
    message = one_line(exc)
    assert "'out'" in message
    assert "bsrlab wrote before" in message
    assert str(target) in message
    assert not ran
    assert tree(target) == {"thesis.tex": b"precious"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_a_file_at_the_target_is_refused_and_untouched(tmp_path: Path) -> None:
    target = tmp_path / "run"
    target.write_text("a file", encoding="utf-8")
    with pytest.raises(ParameterError) as exc, atomic_directory(target, option="output"):
        pass
    assert "'output'" in one_line(exc)
    assert target.read_text(encoding="utf-8") == "a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_foreign_directory_appearing_during_the_run_is_refused_at_swap_time(
    tmp_path: Path,
) -> None:
    target = tmp_path / "run"

    def intrude() -> None:
        with atomic_directory(target) as tmp:
            (tmp / "a.csv").write_text("1", encoding="utf-8")
            target.mkdir()
            (target / "mine.txt").write_text("someone else's", encoding="utf-8")

    with pytest.raises(ParameterError) as exc:
        intrude()
    one_line(exc)
    assert tree(target) == {"mine.txt": b"someone else's"}
    assert leftovers(tmp_path) == []


def test_a_symlink_to_an_earlier_output_is_kept_and_its_directory_replaced(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real"
    write_output(real, {"old.csv": "old"})
    link = tmp_path / "link"
    link.symlink_to(real)
    write_output(link, {"new.csv": "new"})
    assert link.is_symlink()
    assert sorted(tree(real)) == [MARKER, "new.csv"]
    assert leftovers(tmp_path) == []


def test_missing_parents_are_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "run"
    write_output(target, {"x.csv": "1"})
    assert sorted(tree(target)) == [MARKER, "x.csv"]


def test_missing_parents_are_removed_again_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "run"
    seen: list[Path] = []
    with pytest.raises(KeyboardInterrupt):
        fail_half_way(target, KeyboardInterrupt(), seen)
    assert tmp_path / "a" / "b" in seen
    assert list(tmp_path.iterdir()) == []


def test_an_existing_parent_is_kept_on_failure(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    with pytest.raises(RuntimeError):
        fail_half_way(tmp_path / "a" / "b" / "run", RuntimeError("stop"))
    assert [p.name for p in tmp_path.iterdir()] == ["a"]
    assert list((tmp_path / "a").iterdir()) == []


def test_a_file_in_the_way_of_a_parent_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(BsrlabError) as exc, atomic_directory(tmp_path / "file.txt" / "run"):
        pass
    message = one_line(exc)
    assert "file.txt" in message
    assert os.strerror(errno.ENOTDIR) in message


def test_an_os_error_inside_the_block_names_the_target_not_the_temporary(
    tmp_path: Path,
) -> None:
    target = tmp_path / "run"
    with pytest.raises(BsrlabError) as exc, atomic_directory(target) as tmp:
        (tmp / "missing" / "x.csv").write_text("1", encoding="utf-8")
    message = one_line(exc)
    assert str(target / "missing" / "x.csv") in message
    assert ".tmp-" not in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_parent_is_one_line(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        with pytest.raises(BsrlabError) as exc, atomic_directory(parent / "run"):
            pass
    finally:
        parent.chmod(0o755)
    message = one_line(exc)
    assert str(parent / "run") in message
    assert os.strerror(errno.EACCES) in message


def test_a_run_that_finishes_during_another_run_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "run"
    write_output(target, {"zero.csv": "0"})
    with atomic_directory(target) as tmp_a:
        (tmp_a / "a.csv").write_text("a", encoding="utf-8")
        write_output(target, {"b.csv": "b"})
        assert sorted(tree(target)) == [MARKER, "b.csv"]
    assert sorted(tree(target)) == [MARKER, "a.csv"]
    assert leftovers(tmp_path) == []


def test_a_run_swapping_in_at_the_same_moment_does_not_mix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run renames its output in between this run's check and its rename."""
    target = tmp_path / "run"
    real_rename: Callable[..., None] = os.rename
    raced = False

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        nonlocal raced
        if not raced and Path(dst) == target and ".run.tmp-" in str(src):
            raced = True
            with monkeypatch.context() as inner:
                inner.setattr(os, "rename", real_rename)
                write_output(target, {"b.csv": "b"})
        real_rename(src, dst)

    with atomic_directory(target) as tmp:
        (tmp / "a.csv").write_text("a", encoding="utf-8")
        monkeypatch.setattr(os, "rename", rename)
    monkeypatch.undo()
    assert raced
    assert sorted(tree(target)) == [MARKER, "a.csv"]
    assert leftovers(tmp_path) == []


def test_concurrent_threads_leave_one_complete_output(tmp_path: Path) -> None:
    target = tmp_path / "run"
    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            with atomic_directory(target) as tmp:
                for i in range(5):
                    (tmp / f"{k}-{i}.csv").write_text(str(k), encoding="utf-8")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads)
    assert len(errors) < len(threads)
    for exc in errors:  # losing a race is allowed only as a one-line BsrlabError
        assert isinstance(exc, BsrlabError)
        assert "\n" not in str(exc)
    names = sorted(tree(target))
    assert names[0] == MARKER
    owners = {name.split("-")[0] for name in names[1:]}
    assert len(owners) == 1
    assert len(names) == 6
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------------------------
# Real signals


def start_child(target: Path, mode: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(target), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def wait_for_ready(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + TIMEOUT
    while b"ready\n" not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"the child did not get ready within {TIMEOUT} s: {seen!r}")
        readable, _, _ = select.select([fd], [], [], left)
        if readable:
            chunk = os.read(fd, 1024)
            if not chunk:
                _, err = proc.communicate(timeout=TIMEOUT)
                pytest.fail(f"the child ended before it got ready: {err.decode()}")
            seen += chunk


@pytest.mark.parametrize("previous", [True, False], ids=["over-output", "fresh"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_real_signal_leaves_the_previous_output_or_none(
    tmp_path: Path, signum: signal.Signals, previous: bool
) -> None:
    target = tmp_path / "runs" / "out"
    if previous:
        with start_child(target, "quick") as proc:
            _, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 0, err.decode()
    before = tree(target) if previous else None

    with start_child(target, "sleep") as proc:
        try:
            wait_for_ready(proc)
            proc.send_signal(signum)
            _, err = proc.communicate(timeout=TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=TIMEOUT)

    if signum == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM, err.decode()
    else:
        assert proc.returncode != 0, err.decode()
    if previous:
        assert before is not None
        assert sorted(before) == [MARKER, "first.txt", "second.txt"]
        assert tree(target) == before
        assert leftovers(target.parent) == []
    else:
        assert not target.exists()
        assert list(tmp_path.iterdir()) == []


def test_terminate_on_signals_restores_the_previous_handler() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with terminate_on_signals():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before


def test_terminate_on_signals_leaves_an_ignored_sighup_alone() -> None:
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with terminate_on_signals():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before)


def test_terminate_on_signals_turns_sighup_into_system_exit() -> None:
    with pytest.raises(SystemExit) as exc, terminate_on_signals():
        signal.raise_signal(signal.SIGHUP)
    assert exc.value.code == 128 + signal.SIGHUP


def test_a_signal_during_the_swap_waits_until_the_swap_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM arriving between moving the old output aside and renaming the new one in."""
    target = tmp_path / "run"
    write_output(target, {"old.csv": "old"})
    real_rename: Callable[..., None] = os.rename

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        real_rename(src, dst)
        if Path(src) == target:  # the old output was just moved aside
            signal.raise_signal(signal.SIGTERM)

    def run() -> None:
        with terminate_on_signals(), atomic_directory(target) as tmp:
            (tmp / "new.csv").write_text("new", encoding="utf-8")
            monkeypatch.setattr(os, "rename", rename)

    with pytest.raises(SystemExit) as exc:
        run()
    monkeypatch.undo()
    assert exc.value.code == 128 + signal.SIGTERM
    assert sorted(tree(target)) == [MARKER, "new.csv"]
    assert leftovers(tmp_path) == []


def test_terminate_on_signals_does_nothing_outside_the_main_thread() -> None:
    seen: list[object] = []

    def run() -> None:
        with terminate_on_signals():
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(TIMEOUT)
    assert seen == [signal.getsignal(signal.SIGTERM)]


# --------------------------------------------------------------------------------------------
# atomic_file


def test_atomic_file_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    write_text_atomic(target, "one\n")
    target.chmod(0o640)
    write_text_atomic(target, "two\n")
    assert target.read_text(encoding="utf-8") == "two\n"
    assert target.stat().st_mode & 0o777 == 0o640
    write_bytes_atomic(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_atomic_file_exception_keeps_the_old_content(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(type(error)):
        fail_writing_file(target, "w", error)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_file_exception_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        fail_writing_file(tmp_path / "a.bin", "wb", RuntimeError("stop"))
    assert list(tmp_path.iterdir()) == []


def test_atomic_file_refuses_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a.txt").mkdir()
    with pytest.raises(BsrlabError, match="is a directory where a file should be") as exc:
        write_text_atomic(tmp_path / "a.txt", "x")
    assert "a.txt" in one_line(exc)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_atomic_file_in_a_missing_directory_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(BsrlabError) as exc:
        write_bytes_atomic(tmp_path / "missing" / "a.bin", b"x")
    assert "missing" in one_line(exc)


# --------------------------------------------------------------------------------------------
# read_bounded


def call_with_timeout(func: Callable[[], object]) -> BaseException | None:
    """Run *func* in a thread; fail the test if it does not return within TIMEOUT."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            func()
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    if thread.is_alive():
        pytest.fail(f"the call blocked for more than {TIMEOUT} s")
    return outcome[0]


@pytest.mark.parametrize("reader", ["read_bounded", "load_toml"])
def test_a_fifo_is_refused_at_once(tmp_path: Path, reader: str) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    try:
        if reader == "read_bounded":
            exc = call_with_timeout(lambda: read_bounded(fifo, limit=100, what="config file"))
        else:
            exc = call_with_timeout(lambda: load_toml(fifo))
    finally:
        # Should a reader be blocked in open(), a writer unblocks it.
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            pass
        else:
            os.close(fd)
    assert isinstance(exc, ConfigError)
    assert "\n" not in str(exc)
    assert "FIFO" in str(exc)
    assert str(fifo) in str(exc)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_is_refused() -> None:
    exc = call_with_timeout(lambda: load_toml("/dev/zero"))
    assert isinstance(exc, ConfigError)
    assert "character device" in str(exc)
    assert "\n" not in str(exc)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory") as exc:
        read_bounded(tmp_path, limit=10, what="config file")
    one_line(exc)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc:
        load_toml(tmp_path / "nope.toml")
    message = one_line(exc)
    assert "nope.toml" in message
    assert os.strerror(errno.ENOENT) in message


def test_the_size_limit_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, limit=10, what="input") == b"x" * 10
    with pytest.raises(ConfigError, match="larger than 9 bytes") as exc:
        read_bounded(path, limit=9, what="input")
    one_line(exc)


def test_a_two_megabyte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    with pytest.raises(ConfigError, match="larger than 1000000 bytes") as exc:
        load_toml(path)
    one_line(exc)


# --------------------------------------------------------------------------------------------
# load_toml


def toml_error(tmp_path: Path, content: bytes | str) -> str:
    path = tmp_path / "c.toml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    with pytest.raises(ConfigError) as exc:
        load_toml(path)
    message = one_line(exc)
    assert "c.toml" in message
    return message


def test_a_valid_file_parses(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[model]\nalpha = 0.5\nT = 40\nname = "base"\n[[runs]]\nR = [1.02, 1.04]\n',
        encoding="utf-8",
    )
    assert load_toml(path) == {
        "model": {"alpha": 0.5, "T": 40, "name": "base"},
        "runs": [{"R": [1.02, 1.04]}],
    }


@pytest.mark.parametrize(
    "content",
    [
        "a = " + "[" * 2000 + "]" * 2000,
        "a = " + "{b = " * 2000 + "1" + "}" * 2000,
        "[" + ".".join(f"k{i}" for i in range(40)) + "]\nx = 1\n",
        ".".join(f"k{i}" for i in range(5000)) + " = 1\n",
    ],
    ids=["arrays", "inline-tables", "tables", "dotted-keys"],
)
def test_deep_nesting_is_refused(tmp_path: Path, content: str) -> None:
    assert "nested more than 32 levels" in toml_error(tmp_path, content)


def test_the_nesting_limit_is_exact() -> None:
    keys = ".".join(f"k{i}" for i in range(32))
    assert loads_toml(f"[{keys}]\nx = 1\n")
    with pytest.raises(ConfigError, match="nested more than 32 levels"):
        loads_toml(f"[{keys}.k32]\nx = 1\n")


def test_a_400_digit_integer_is_refused(tmp_path: Path) -> None:
    message = toml_error(tmp_path, "[model]\nalpha = " + "9" * 400 + "\n")
    assert "model.alpha" in message
    assert "an integer this large is not a parameter" in message


def test_an_integer_beyond_the_conversion_limit_is_refused(tmp_path: Path) -> None:
    message = toml_error(tmp_path, "alpha = " + "9" * 5000 + "\n")
    assert "an integer this large is not a parameter" in message


def test_the_integer_limit_is_exact() -> None:
    assert loads_toml(f"n = {10**18 - 1}\nm = -{10**18 - 1}") == {
        "n": 10**18 - 1,
        "m": -(10**18 - 1),
    }
    for text in (f"n = {10**18}", f"n = -{10**18}", f"x = [[1, {10**18}]]"):
        with pytest.raises(ConfigError, match="an integer this large"):
            loads_toml(text)


def test_a_huge_integer_in_an_array_names_its_place() -> None:
    with pytest.raises(ConfigError, match=r"runs\[1\]\.T has 20 digits"):
        loads_toml("[[runs]]\nT = 1\n[[runs]]\nT = " + "1" * 20)


def test_a_very_long_string_is_refused(tmp_path: Path) -> None:
    message = toml_error(tmp_path, 'label = "' + "x" * 10_001 + '"\n')
    assert "label" in message
    assert "10000" in message


def test_invalid_utf8_is_refused(tmp_path: Path) -> None:
    assert "UTF-8" in toml_error(tmp_path, b'name = "\xff\xfe"\n')


@pytest.mark.parametrize(
    "content", ["alpha = \n", "[model\n", "a = 1\na = 2\n", 'a = "x\nb"\n', "a = 1 2\n"]
)
def test_invalid_toml_is_refused(tmp_path: Path, content: str) -> None:
    assert "not valid TOML" in toml_error(tmp_path, content)


def test_loads_toml_refuses_overlong_text() -> None:
    with pytest.raises(ConfigError, match="longer than 10 characters"):
        loads_toml("a = 1 # comment", limit=10)
