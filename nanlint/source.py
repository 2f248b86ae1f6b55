"""The one place nanlint reads and writes source files.

Reading: only regular files (a FIFO named `x.py` would block forever, a `*.py` link to /dev/zero would never
end), at most a size limit, decoded the way Python decodes source (BOM, PEP 263 coding cookie, UTF-8 default).
Writing puts the text back the way it came: the file's own encoding, its BOM, its newlines (nanlint never
translates them), its mode and owner; a symlink's target is rewritten and the link stays a link. The write is
atomic (a temporary file in the same directory, then a rename), refuses read-only files and files that changed
since they were read, and never leaves its temporary file behind short of SIGKILL; even then the name
(`.NAME.nanlint-XXXX.tmp`) is one discovery never lints.

Paths are `str` exactly as the OS gave them: a name that is not valid UTF-8 carries surrogate escapes and
round-trips to the same bytes. Display names (U+FFFD for bad bytes) are for reports only, never for I/O.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import tokenize
from dataclasses import dataclass

TEMP_MARK = ".nanlint-"
TEMP_SUFFIX = ".tmp"
_CHUNK = 1 << 20


class SourceError(Exception):
    """A file nanlint cannot read or write; the message says why in words fit for a report."""


@dataclass(frozen=True)
class Source:
    text: str  # decoded, BOM removed, newlines exactly as in the file
    encoding: str  # the codec that reproduces the file's bytes ("utf-8-sig" when the file has a BOM)
    data: bytes  # the bytes as read: a write refuses to replace a file that no longer holds them


def decode(data: bytes) -> Source:
    """Decode source bytes the way Python does. Raises SyntaxError (bad cookie), LookupError (unknown
    encoding), UnicodeDecodeError or ValueError (NUL bytes)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)  # a BOM makes the encoding "utf-8-sig", which drops it here and writes it back
    if "\x00" in text:
        raise ValueError("source contains NUL bytes (binary file?)")
    return Source(text, encoding, data)


def read_bytes(path: str, max_size: int | None = None) -> bytes:
    """The bytes of a regular file, refusing anything else and anything over `max_size` bytes."""
    try:
        before = os.stat(path)  # follows symlinks: a link to a regular file is a regular file
        _require_regular(before)
        _require_size(before.st_size, max_size)
        # O_NONBLOCK: if the path was swapped for a FIFO after the stat, open must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise SourceError(describe(error)) from None
    try:
        _require_regular(os.fstat(descriptor))
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(descriptor, _CHUNK)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            _require_size(total, max_size)  # the file grew while being read
    except OSError as error:
        raise SourceError(describe(error)) from None
    finally:
        os.close(descriptor)


def read_source(path: str, max_size: int | None = None) -> Source:
    data = read_bytes(path, max_size)
    try:
        return decode(data)
    except (SyntaxError, UnicodeDecodeError, LookupError, ValueError) as error:
        raise SourceError(f"cannot decode file: {error}") from None


def _require_regular(status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise SourceError(f"not a regular file ({_kind(status.st_mode)}); only regular files are read")


def _require_size(size: int, max_size: int | None) -> None:
    if max_size and size > max_size:
        raise SourceError(f"{format_size(size)} is over max-file-size ({format_size(max_size)}), so it was not "
                          "parsed; raise max-file-size in [tool.nanlint] or with --max-file-size to lint it")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a file"


def format_size(size: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.{0 if size % scale == 0 else 1}f} {unit}"
    return f"{size} bytes"


def describe(error: OSError) -> str:
    """An OSError in words: 'permission denied', 'no such file or directory', ..."""
    return error.strerror.lower() if error.strerror else type(error).__name__


def write_source(path: str, text: str, original: Source) -> None:
    """Replace the file at `path` (the target, when it is a symlink) with `text` in `original`'s encoding.

    Refuses (SourceError) a read-only file, one that no longer holds `original.data`, and text the file's
    encoding cannot hold; the file is then untouched.
    """
    target = os.path.realpath(path)
    try:
        data = text.encode(original.encoding)
    except UnicodeEncodeError as error:
        raise SourceError(f"the new text has characters ({error.object[error.start:error.end]!r}) that the "
                          f"file's encoding ({original.encoding}) cannot hold") from None
    try:
        status = os.stat(target)
    except OSError as error:
        raise SourceError(describe(error)) from None
    _require_regular(status)
    if not status.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise SourceError("the file is read-only; left unchanged")
    try:
        current = read_bytes(target)
    except SourceError:
        current = None
    if current != original.data:
        raise SourceError("the file changed on disk since it was read; left unchanged")
    replace_file(target, data, like=status)


def write_text(path: str, text: str) -> None:
    """Create or replace a UTF-8 file nanlint owns (a baseline, a report) atomically."""
    target = os.path.realpath(path)
    try:
        like = os.stat(target)
    except FileNotFoundError:
        like = None
    except OSError as error:
        raise SourceError(describe(error)) from None
    replace_file(target, text.encode("utf-8"), like=like)


def temporary_name(name: str) -> bool:
    """Whether a file name is one of nanlint's temporary files (possibly left by a killed run)."""
    return TEMP_MARK in name and name.endswith(TEMP_SUFFIX)


_DEFERRED = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None),
                              getattr(signal, "SIGHUP", None)) if s is not None)


def replace_file(target: str, data: bytes, like: os.stat_result | None = None, durable: bool = True) -> None:
    """Write `data` to a temporary file beside `target`, give it `like`'s mode and owner, then rename it over
    `target`. SIGINT/SIGTERM/SIGHUP wait until the temporary file is renamed or removed. `durable`: on disk
    before the rename (a crash of the machine leaves the old file or the new, never an empty one); a cache
    entry does without."""
    import tempfile  # here: the lint path never writes, and tempfile imports shutil, random, bz2, lzma (4-8 ms)

    directory, name = os.path.split(target)
    blocked = _block(_DEFERRED)
    try:
        try:
            descriptor, temporary = tempfile.mkstemp(dir=directory or ".", prefix=f".{name}{TEMP_MARK}",
                                                     suffix=TEMP_SUFFIX)
        except OSError as error:
            raise SourceError(f"cannot create a file in {directory or '.'}: {describe(error)}") from None
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
                out.flush()
                _copy_metadata(out.fileno(), like)
                if durable:
                    os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException as error:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            if isinstance(error, OSError):
                raise SourceError(f"cannot write {name}: {describe(error)}") from None
            raise
    finally:
        _unblock(blocked)


def _copy_metadata(descriptor: int, like: os.stat_result | None) -> None:
    if like is None:  # a new file: the usual mode for the umask, not mkstemp's 0600
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(descriptor, 0o666 & ~umask)
        return
    if hasattr(os, "fchown") and (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(descriptor, like.st_uid, like.st_gid)
        except OSError:  # only root may give a file away; the group may still be ours to set
            try:
                os.fchown(descriptor, -1, like.st_gid)
            except OSError:
                pass
    os.fchmod(descriptor, stat.S_IMODE(like.st_mode))  # after chown, which clears set-id bits


def _block(signals: tuple) -> set | None:
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, signals)


def _unblock(previous: set | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
