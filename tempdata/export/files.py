"""Files published whole.

Every file (and folder of parts) is written under a temporary name beside its target
(:func:`tempdata.core.tempfiles.temp_path`) and published by one rename once
complete, so a reader sees the old file or the new one, never half of one.

Publishing keeps what the replaced file had: its permission bits (a ``chmod 600``
file stays 600). Where nothing may be replaced (``if_exists="error"``), a file is
published with ``link`` (which fails if the target exists) and a folder with
``renameat2(RENAME_NOREPLACE)``: of two runs started together, one publishes and the
other fails with one line, its temporary removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import stat
from pathlib import Path

from tempdata.core.faults import fault_point
from tempdata.errors import FileSystemError

__all__ = ["TargetExistsError", "publish", "sha256_of"]

#: errnos of a file system that cannot link (or a platform without renameat2).
_UNSUPPORTED = {
    errno.EPERM,
    errno.EXDEV,
    errno.EMLINK,
    errno.ENOSYS,
    errno.EINVAL,
    getattr(errno, "ENOTSUP", errno.EOPNOTSUPP),
    errno.EOPNOTSUPP,
}
_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def _rename_noreplace(source: Path, target: Path) -> None:
    """``renameat2(RENAME_NOREPLACE)``: fails with ``FileExistsError`` if ``target``
    exists, atomically; ``OSError(ENOSYS)`` where the platform lacks it."""
    libc = ctypes.CDLL(None, use_errno=True)
    call = getattr(libc, "renameat2", None)
    if call is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    done = call(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_NOREPLACE)
    if done != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(target))


class TargetExistsError(FileSystemError):
    """The target of a publish that may not replace exists (another run's, perhaps)."""


def _exists_error(target: Path) -> TargetExistsError:
    msg = (
        f"output already exists: {str(target)!r} (if_exists is 'error'; another run wrote it "
        "first, or choose 'replace' or 'skip')"
    )
    return TargetExistsError(msg)


def publish(temp: Path, target: Path, *, replace: bool) -> None:
    """Put the complete ``temp`` (a file or a folder) at ``target`` in one step.

    ``replace``: an existing target is replaced, keeping its permission bits.
    Otherwise an existing target — even one another run published a moment ago — is
    an error, and ``temp`` stays for the caller to remove."""
    fault_point("publish")
    if replace:
        with contextlib.suppress(OSError):
            old = target.stat()
            if stat.S_ISREG(old.st_mode) and not temp.is_dir():
                os.chmod(temp, stat.S_IMODE(old.st_mode))
        os.replace(temp, target)
        return
    if not temp.is_dir():
        try:
            os.link(temp, target)
        except FileExistsError:
            raise _exists_error(target) from None
        except OSError as exc:
            if exc.errno not in _UNSUPPORTED:
                raise
        else:
            temp.unlink()
            return
    try:
        _rename_noreplace(temp, target)
    except FileExistsError:
        raise _exists_error(target) from None
    except OSError as exc:
        if exc.errno not in _UNSUPPORTED:
            raise
        # Neither link nor renameat2 here: check, then rename (a narrow race remains).
        if target.exists():
            raise _exists_error(target) from None
        os.replace(temp, target)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), read in 1 MiB blocks: what manifests and
    the pytest plugin's seals record."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
