"""Files in and out: nothing is ever half-written, every bad input is one line.

Outputs are written into a temporary sibling of their target and swapped in whole when the work
is done, so a run that fails, is interrupted (SIGINT, SIGTERM, SIGHUP) or races another run never
leaves a mixture of old and new files behind. Inputs are read with a size limit and only from
regular files, so a FIFO, ``/dev/zero`` or a huge file is refused instead of blocking or filling
memory. Every failure is a :class:`~bsrlab.core.errors.BsrlabError` whose message is one line.

Examples
--------
>>> import pathlib, shutil, tempfile
>>> base = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_directory(base / "run") as tmp:
...     _ = (tmp / "table.csv").write_text("a,b\\n1,2\\n")
>>> sorted(p.name for p in (base / "run").iterdir())
['.bsrlab-output', 'table.csv']
>>> shutil.rmtree(base)
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import signal
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any

from bsrlab.core.errors import BsrlabError, ConfigError, ParameterError
from bsrlab.core.signals import handled, terminate_on_signals

__all__ = [
    "MARKER",
    "atomic_directory",
    "atomic_file",
    "load_toml",
    "loads_toml",
    "output_path",
    "read_bounded",
    "terminate_on_signals",
    "write_bytes_atomic",
    "write_text_atomic",
]

MARKER = ".bsrlab-output"
"""Name of the file that marks a directory as bsrlab's output, which a later run may replace."""

_MARKER_TEXT = (
    "This directory was written by bsrlab. A later run with the same output path replaces it "
    "whole.\n"
)
_NAME_MAX_FALLBACK = 255
_PATH_MAX_FALLBACK = 4096
_MAX_INT = 10**18
_MAX_STRING = 10_000
_REFUSED = "a new or empty directory, or one bsrlab wrote before"
_SWAP_ATTEMPTS = 3
_CHUNK = 1 << 20

PathArg = str | os.PathLike[str]


# --------------------------------------------------------------------------------------------
# Messages


def _show(path: object) -> str:
    """Quote a path for a one-line message (control characters are escaped)."""
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    return repr(str(path))


def _reason(exc: BaseException) -> str:
    """The operating system's reason for an error, on one line."""
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def _os_failure(doing: str, path: object, exc: BaseException) -> BsrlabError:
    """``cannot <doing> '<path>': <reason>`` as a :class:`BsrlabError`."""
    return BsrlabError(f"cannot {doing} {_show(path)}: {_reason(exc)}")


# --------------------------------------------------------------------------------------------
# Signals


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block is done, then deliver them.

    Used around the few steps that must not be cut in half (creating a temporary directory and
    remembering it, swapping directories, cleaning up). Python runs signal handlers in the main
    thread only, so outside the main thread nothing can interrupt the block and nothing is done.
    """
    pending: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    try:
        with handled(("SIGINT", "SIGTERM", "SIGHUP"), hold):
            yield
    finally:
        for signum in dict.fromkeys(pending):
            signal.raise_signal(signum)


# --------------------------------------------------------------------------------------------
# Output paths


def _existing_ancestor(path: str) -> str:
    current = path
    while not os.path.isdir(current):
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return current


def _pathconf(path: str, name: str, fallback: int) -> int:
    try:
        value = os.pathconf(path, name)
    except (OSError, ValueError, AttributeError):
        return fallback
    return value if value > 0 else fallback


def _limits(path: str) -> tuple[int, int]:
    """``(NAME_MAX, PATH_MAX)`` of the file system that would hold *path*."""
    where = _existing_ancestor(path)
    return (
        _pathconf(where, "PC_NAME_MAX", _NAME_MAX_FALLBACK),
        _pathconf(where, "PC_PATH_MAX", _PATH_MAX_FALLBACK),
    )


def _abbreviate(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def output_path(name: str, value: str | os.PathLike[str]) -> Path:
    """Check an output path given by the user as option *name*.

    Parameters
    ----------
    name
        The option's name as the user spells it (``out``).
    value
        The path given.

    Returns
    -------
    Path
        *value* as a :class:`~pathlib.Path`.

    Raises
    ------
    ParameterError
        The path is empty, holds a NUL byte or cannot be encoded, one of its names is longer
        than the file system allows (``NAME_MAX``, usually 255 bytes) or the whole path is
        longer than ``PATH_MAX``.

    Examples
    --------
    >>> output_path("out", "results/run1")
    PosixPath('results/run1')
    >>> output_path("out", "")
    Traceback (most recent call last):
    ...
    bsrlab.core.errors.ParameterError: parameter 'out' must satisfy a non-empty path; got ''
    """
    text = os.fspath(value)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not isinstance(text, str):
        raise ParameterError(name, "a path", value)
    if text == "":
        raise ParameterError(name, "a non-empty path", "")
    if "\x00" in text:
        raise ParameterError(name, "a path without NUL bytes", _abbreviate(text))
    absolute = os.path.abspath(text)
    try:
        os.fsencode(absolute)
    except UnicodeError:
        raise ParameterError(name, "a path the file system can encode", _abbreviate(text)) from None
    name_max, path_max = _limits(absolute)
    for part in Path(text).parts:
        size = len(os.fsencode(part))
        if size > name_max and part != os.sep:
            raise ParameterError(
                name,
                f"a path whose every name has at most {name_max} bytes",
                _abbreviate(part),
                detail=f"a name of {size} bytes",
            )
    size = len(os.fsencode(absolute))
    if size >= path_max:
        raise ParameterError(
            name,
            f"a path shorter than {path_max} bytes",
            _abbreviate(text),
            detail=f"{size} bytes as an absolute path",
        )
    return Path(text)


def _sibling_name(target: Path, kind: str) -> str:
    """A prefix ``.{name}.{kind}-`` for a sibling of *target* that fits the name limit."""
    name_max, _ = _limits(str(target.parent))
    stem = target.name
    room = max(1, name_max - len(kind) - 16)
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return f".{stem}.{kind}-"


def _make_unique_dir(parent: Path, prefix: str, created: list[Path]) -> Path:
    """Create a new directory ``parent/prefix + random`` and record it in *created*."""
    for _ in range(100):
        candidate = parent / (prefix + secrets.token_hex(4))
        try:
            os.mkdir(candidate, 0o777)
        except FileExistsError:
            continue
        created.append(candidate)
        return candidate
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(parent))


def _make_parents(parent: Path, created: list[Path]) -> None:
    """Create *parent* and its missing ancestors, recording each one created in *created*."""
    missing: list[Path] = []
    current = parent
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, 0o777)
        except FileExistsError:
            if os.path.isdir(directory):  # another run made it meanwhile
                continue
            raise
        created.append(directory)


def _remove_parents(created: list[Path]) -> None:
    """Remove the directories of *created* again, deepest first, as long as they are empty."""
    for directory in reversed(created):
        try:
            os.rmdir(directory)
        except OSError:
            break
    created.clear()


def _inspect_target(target: Path, option: str) -> str:
    """``"absent"``, ``"empty"`` or ``"ours"``; anything else is refused."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        raise _os_failure("use", target, exc) from None
    if not stat.S_ISDIR(info.st_mode):
        raise ParameterError(option, _REFUSED, str(target))
    try:
        with os.scandir(target) as entries:
            if next(entries, None) is None:
                return "empty"
        marker = os.lstat(target / MARKER)
    except FileNotFoundError:
        raise ParameterError(option, _REFUSED, str(target)) from None
    except OSError as exc:
        raise _os_failure("read", target, exc) from None
    if not stat.S_ISREG(marker.st_mode):
        raise ParameterError(option, _REFUSED, str(target))
    return "ours"


def _fsync_fd_path(path: str, flags: int) -> None:
    try:
        fd = os.open(path, flags | os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """Flush every regular file and directory under *root* to disk."""
    directory_flag = getattr(os, "O_DIRECTORY", 0)
    for current, _dirs, files in os.walk(root):
        for name in files:
            full = os.path.join(current, name)
            if os.path.isfile(full) and not os.path.islink(full):
                _fsync_fd_path(full, getattr(os, "O_NONBLOCK", 0))
        _fsync_fd_path(current, directory_flag)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        _fsync_fd_path(str(path), getattr(os, "O_DIRECTORY", 0))


def _remove_tree(path: Path) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)


_RACE = (errno.EEXIST, errno.ENOTEMPTY)


def _swap_in(tmp: Path, target: Path, option: str) -> None:
    """Put the finished directory *tmp* at *target*, replacing an earlier bsrlab output whole."""
    for _ in range(_SWAP_ATTEMPTS):
        state = _inspect_target(target, option)
        if state in ("absent", "empty"):
            try:
                os.rename(tmp, target)  # replaces an empty directory atomically
            except OSError as exc:
                if exc.errno in _RACE:  # another run got there first: look again
                    continue
                raise _os_failure("write", target, exc) from None
            return
        aside: list[Path] = []
        try:
            old = _make_unique_dir(target.parent, _sibling_name(target, "old"), aside)
            os.rename(target, old)  # replaces the empty placeholder
        except FileNotFoundError:  # another run moved it meanwhile: look again
            _remove_parents(aside)
            continue
        except OSError as exc:
            _remove_parents(aside)
            raise _os_failure("replace", target, exc) from None
        try:
            os.rename(tmp, target)
        except OSError as exc:
            if exc.errno in _RACE:  # another run swapped in meanwhile; its output is newer
                _remove_tree(old)
                continue
            with contextlib.suppress(OSError):
                os.rename(old, target)
            raise _os_failure("replace", target, exc) from None
        _remove_tree(old)
        return
    raise BsrlabError(
        f"cannot replace {_show(target)}: other runs keep writing it at the same time"
    )


def _retarget(exc: OSError, tmp: Path, target: Path) -> BsrlabError:
    """An error raised while writing into *tmp*, told in terms of *target*."""
    where: object = exc.filename if exc.filename is not None else target
    shown = os.fsdecode(where) if isinstance(where, (str, bytes, os.PathLike)) else str(where)
    if shown.startswith(str(tmp)):
        shown = str(target) + shown[len(str(tmp)) :]
    return _os_failure("write", shown, exc)


@contextlib.contextmanager
def atomic_directory(target: PathArg, *, option: str = "out") -> Iterator[Path]:
    """Write a directory whole or not at all.

    Yields a new, empty temporary directory beside *target* (``.{name}.tmp-XXXXXXXX`` in the
    same parent). When the block ends normally a marker file :data:`MARKER` is added and the
    directory is renamed to *target*. If *target* already holds an earlier bsrlab output (it
    has the marker) or is an empty directory, it is replaced whole: no file of the old output
    survives next to the new ones. When the block raises anything, including
    :class:`KeyboardInterrupt` and :class:`SystemExit`, the temporary directory is removed,
    parents created for it are removed again and *target* is left as it was.

    Two runs writing the same *target* at the same time each use their own temporary
    directory; the result is the complete output of one of them.

    Parameters
    ----------
    target
        The output directory.
    option
        The option's name as the user spells it, for messages.

    Yields
    ------
    Path
        The temporary directory to write into.

    Raises
    ------
    ParameterError
        *target* is invalid (see :func:`output_path`), is a file, or is a non-empty directory
        bsrlab did not write. This is checked before the block runs and again before the swap.
    BsrlabError
        The file system refused (permission denied, read-only, name too long, disk full).

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_directory(base / "a" / "run") as tmp:
    ...     _ = (tmp / "x.txt").write_text("1")
    >>> (base / "a" / "run" / "x.txt").read_text()
    '1'
    >>> with atomic_directory(base / "a" / "run") as tmp:
    ...     raise RuntimeError("stopped half-way")
    Traceback (most recent call last):
    ...
    RuntimeError: stopped half-way
    >>> sorted(p.name for p in (base / "a").iterdir())
    ['run']
    >>> shutil.rmtree(base)
    """
    checked = output_path(option, target)
    final = Path(os.path.abspath(checked))
    if os.path.islink(final):  # write where the link points, keep the link
        final = Path(os.path.realpath(final))
    if final.name in ("", ".", ".."):
        raise ParameterError(option, "a path that names a directory", str(checked))
    parent = final.parent
    _inspect_target(final, option)

    parents: list[Path] = []
    temporary: list[Path] = []
    done = False
    try:
        with _signals_deferred():
            try:
                _make_parents(parent, parents)
            except OSError as exc:
                raise _os_failure("create directory", parent, exc) from None
            try:
                tmp = _make_unique_dir(parent, _sibling_name(final, "tmp"), temporary)
            except OSError as exc:
                raise _os_failure("write", final, exc) from None
        try:
            yield tmp
        except OSError as exc:
            if isinstance(exc, BsrlabError):
                raise
            raise _retarget(exc, tmp, final) from exc
        try:
            (tmp / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
            _fsync_tree(tmp)
        except OSError as exc:
            raise _retarget(exc, tmp, final) from exc
        with _signals_deferred():
            _swap_in(tmp, final, option)
            done = True
            temporary.clear()
        _fsync_dir(parent)
    finally:
        if not done:
            with _signals_deferred():
                for path in temporary:
                    _remove_tree(path)
                _remove_parents(parents)


# --------------------------------------------------------------------------------------------
# Single files


def _open_temporary_file(target: Path) -> tuple[int, Path]:
    prefix = _sibling_name(target, "tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        candidate = target.parent / (prefix + secrets.token_hex(4))
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


@contextlib.contextmanager
def atomic_file(target: PathArg, mode: str = "wb", *, encoding: str = "utf-8") -> Iterator[IO[Any]]:
    """Write a file whole or not at all.

    Yields a file object open on a temporary file beside *target*. When the block ends
    normally the file is flushed to disk and renamed over *target* (which keeps its
    permissions); when it raises anything the temporary file is removed and *target* keeps its
    old content.

    Parameters
    ----------
    target
        The file to write. Its directory must exist.
    mode
        ``"wb"`` (bytes) or ``"w"`` (text).
    encoding
        The encoding in text mode.

    Yields
    ------
    IO
        The open temporary file.

    Raises
    ------
    BsrlabError
        *target* is a directory, or the file system refused.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_file(base / "notes.txt", "w") as fh:
    ...     _ = fh.write("complete\\n")
    >>> (base / "notes.txt").read_text()
    'complete\\n'
    >>> shutil.rmtree(base)
    """
    if mode not in ("w", "wt", "wb"):
        raise ValueError(f"atomic_file mode must be 'w', 'wt' or 'wb', not {mode!r}")
    path = Path(os.fspath(target))
    if os.path.isdir(path):
        raise BsrlabError(f"{_show(path)} is a directory where a file should be")
    existing_mode: int | None
    try:
        existing_mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        existing_mode = None

    temporary: list[Path] = []
    done = False
    try:
        with _signals_deferred():
            try:
                fd, tmp = _open_temporary_file(path)
            except OSError as exc:
                raise _os_failure("write", path, exc) from None
            temporary.append(tmp)
        try:
            binary = "b" in mode
            handle: IO[Any] = (
                os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding)
            )
        except BaseException:
            os.close(fd)
            raise
        with handle:
            try:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                if isinstance(exc, BsrlabError):
                    raise
                raise _os_failure("write", path, exc) from exc
        with _signals_deferred():
            try:
                if existing_mode is not None:
                    with contextlib.suppress(OSError):
                        os.chmod(tmp, existing_mode)
                os.replace(tmp, path)
            except IsADirectoryError:
                raise BsrlabError(f"{_show(path)} is a directory where a file should be") from None
            except OSError as exc:
                raise _os_failure("write", path, exc) from None
            done = True
        _fsync_dir(path.parent)
    finally:
        if not done:
            with _signals_deferred():
                for leftover in temporary:
                    with contextlib.suppress(OSError):
                        os.unlink(leftover)


def write_bytes_atomic(path: PathArg, data: bytes) -> None:
    """Write *data* to *path* whole or not at all (see :func:`atomic_file`).

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> write_bytes_atomic(base / "x.bin", b"\\x00\\x01")
    >>> (base / "x.bin").read_bytes()
    b'\\x00\\x01'
    >>> shutil.rmtree(base)
    """
    with atomic_file(path, "wb") as fh:
        fh.write(data)


def write_text_atomic(path: PathArg, text: str, *, encoding: str = "utf-8") -> None:
    """Write *text* to *path* whole or not at all (see :func:`atomic_file`).

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> write_text_atomic(base / "x.txt", "alpha = 0.5\\n")
    >>> (base / "x.txt").read_text()
    'alpha = 0.5\\n'
    >>> shutil.rmtree(base)
    """
    with atomic_file(path, "w", encoding=encoding) as fh:
        fh.write(text)


# --------------------------------------------------------------------------------------------
# Reading


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bounded(path: PathArg, *, limit: int, what: str) -> bytes:
    """Read a regular file of at most *limit* bytes.

    The file's type is checked before it is opened, and it is opened without blocking, so a
    FIFO, a device such as ``/dev/zero``, a directory or a socket is refused at once.

    Parameters
    ----------
    path
        The file to read.
    limit
        The largest size accepted, in bytes.
    what
        What the file is, for messages (``config file``).

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    ConfigError
        The file is missing, unreadable, not a regular file or larger than *limit* bytes.

    Examples
    --------
    >>> read_bounded("/dev/zero", limit=10, what="input")
    Traceback (most recent call last):
    ...
    bsrlab.core.errors.ConfigError: input '/dev/zero' is a character device, not a regular file
    """
    shown = _show(path)

    def refuse(mode: int) -> ConfigError:
        kind = _kind(mode)
        if kind == "not a regular file":
            return ConfigError(f"{what} {shown} is not a regular file")
        return ConfigError(f"{what} {shown} is {kind}, not a regular file")

    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {what} {shown}: {_reason(exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise refuse(info.st_mode)
    if info.st_size > limit:
        raise ConfigError(f"{what} {shown} is larger than {limit} bytes")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {shown}: {_reason(exc)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise refuse(info.st_mode)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {shown}: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise ConfigError(f"{what} {shown} is larger than {limit} bytes")
    return b"".join(chunks)


# --------------------------------------------------------------------------------------------
# TOML


def _key_path(parts: list[str | int]) -> str:
    """``model.alpha``, ``runs[2].alpha``, ``a."b c"``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        bare = part != "" and all(c.isascii() and (c.isalnum() or c in "-_") for c in part)
        shown = part if bare else '"' + part.encode("unicode_escape").decode("ascii") + '"'
        text += shown if not text else "." + shown
    return text or "(top level)"


def _digits(value: int) -> int:
    try:
        return len(str(abs(value)))
    except ValueError:  # more digits than Python converts
        return int(abs(value).bit_length() * 0.30103) + 1


def _check_values(data: dict[str, Any], *, max_depth: int, what: str) -> None:
    """Refuse nesting deeper than *max_depth*, huge integers and very long strings."""
    stack: list[tuple[object, list[str | int], int]] = [(data, [], 0)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                raise ConfigError(
                    f"{what}: {_key_path(where)} is nested more than {max_depth} levels deep"
                )
            if isinstance(value, dict):
                for key, item in value.items():
                    if len(key) > _MAX_STRING:
                        raise ConfigError(
                            f"{what}: a key under {_key_path(where)} is longer than "
                            f"{_MAX_STRING} characters"
                        )
                    stack.append((item, [*where, key], depth + 1))
            else:
                for index, item in enumerate(value):
                    stack.append((item, [*where, index], depth + 1))
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) >= _MAX_INT:
                raise ConfigError(
                    f"{what}: {_key_path(where)} has {_digits(value)} digits; "
                    "an integer this large is not a parameter"
                )
        elif isinstance(value, str) and len(value) > _MAX_STRING:
            raise ConfigError(f"{what}: {_key_path(where)} is longer than {_MAX_STRING} characters")


def loads_toml(
    text: str, *, limit: int = 1_000_000, max_depth: int = 32, what: str = "TOML text"
) -> dict[str, Any]:
    """Parse TOML text into a dictionary, refusing anything no parameter file needs.

    Parameters
    ----------
    text
        The TOML document.
    limit
        The longest text accepted, in characters.
    max_depth
        The deepest nesting of tables and arrays accepted.
    what
        What the text is, for messages (``config file 'run.toml'``).

    Returns
    -------
    dict
        The parsed document.

    Raises
    ------
    ConfigError
        The text is too long, is not valid TOML, is nested too deeply, holds an integer of 19
        digits or more or a string longer than 10 000 characters.

    Examples
    --------
    >>> loads_toml('[model]\\nalpha = 0.5\\nT = 40')
    {'model': {'alpha': 0.5, 'T': 40}}
    >>> loads_toml('[model]\\nT = 1' + '0' * 30)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bsrlab.core.errors.ConfigError: TOML text: model.T has 31 digits; an integer this large is...
    """
    if len(text) > limit:
        raise ConfigError(f"{what} is longer than {limit} characters")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} is not valid TOML: {_reason(exc)}") from None
    except RecursionError:
        raise ConfigError(f"{what} is nested more than {max_depth} levels deep") from None
    except MemoryError:
        raise ConfigError(f"{what} is too large to parse") from None
    except ValueError as exc:  # an integer beyond Python's limit on digits
        if "integer" in str(exc):
            raise ConfigError(
                f"{what} holds an integer with thousands of digits; "
                "an integer this large is not a parameter"
            ) from None
        raise ConfigError(f"{what} is not acceptable TOML: {_reason(exc)}") from None
    _check_values(data, max_depth=max_depth, what=what)
    return data


def load_toml(
    path: PathArg, *, limit: int = 1_000_000, max_depth: int = 32, what: str = "config file"
) -> dict[str, Any]:
    """Read and parse a TOML file, refusing anything no parameter file needs.

    The file is read with :func:`read_bounded` (a regular file of at most *limit* bytes),
    decoded as UTF-8 and parsed with :func:`loads_toml`.

    Parameters
    ----------
    path
        The TOML file.
    limit
        The largest file accepted, in bytes.
    max_depth
        The deepest nesting of tables and arrays accepted.
    what
        What the file is, for messages.

    Returns
    -------
    dict
        The parsed document.

    Raises
    ------
    ConfigError
        See :func:`read_bounded` and :func:`loads_toml`; also when the file is not UTF-8.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (base / "run.toml").write_text("[model]\\nalpha = 0.5\\n")
    >>> load_toml(base / "run.toml")
    {'model': {'alpha': 0.5}}
    >>> shutil.rmtree(base)
    """
    data = read_bounded(path, limit=limit, what=what)
    label = f"{what} {_show(path)}"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{label} is not valid UTF-8 (byte {exc.start})") from None
    return loads_toml(text, limit=limit, max_depth=max_depth, what=label)
