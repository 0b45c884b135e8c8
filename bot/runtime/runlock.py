"""Whether a bot is running on a database: an exclusive lock on ``<database>.lock``.

The running bot holds an ``flock`` on the file for its whole life; the kernel drops it when
the process ends, however it ends (``kill -9`` included), so the answer is never stale.
``python -m bot restore`` takes the same lock, so it refuses while the bot runs and a bot
started during a restore refuses to start; ``status`` asks it whether the bot runs. The
file holds the holder's pid and start time, for the messages. (Containers sharing the
volume share the lock: it is the same file on the same kernel.)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


class LockHeld(Exception):
    """Someone else holds the lock; ``holder`` says who, when known."""

    def __init__(self, path: Path, holder: Holder | None) -> None:
        self.path = path
        self.holder = holder
        who = f" (pid {holder.pid}, since {holder.since})" if holder else ""
        super().__init__(f"a ForumBridge bot is running on this database{who}")


@dataclass(frozen=True)
class Holder:
    pid: int
    since: str


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def _read_holder(path: Path) -> Holder | None:
    try:
        pid, since = path.read_text(encoding="utf-8").split()[:2]
        return Holder(int(pid), since)
    except (OSError, ValueError):
        return None


class RunLock:
    """``acquire()`` or raise :class:`LockHeld`; ``release()`` when done."""

    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._fd: int | None = None
        self._recorded = False

    def acquire(self, *, wait: float = 2.0, record: bool = True) -> RunLock:
        """Take the lock, trying for up to ``wait`` seconds (a ``status`` probing it holds
        it for an instant); ``record`` writes this process's pid and time into the file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockHeld(self.path, _read_holder(self.path)) from None
                time.sleep(0.05)
        if record:
            os.ftruncate(fd, 0)
            os.write(
                fd, f"{os.getpid()} {datetime.now(UTC).isoformat(timespec='seconds')}\n".encode()
            )
        self._fd = fd
        self._recorded = record
        return self

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            if self._recorded:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
            os.close(fd)  # closing drops the flock

    @property
    def held(self) -> bool:
        return self._fd is not None


def running_holder(database: Path) -> Holder | None:
    """Who runs a bot on ``database`` now, or None when nobody does."""
    path = lock_path(database)
    if not path.exists():
        return None
    probe = RunLock(database)
    try:
        probe.acquire(wait=0, record=False)
    except LockHeld as held:
        return held.holder or Holder(pid=0, since="?")
    probe.release()
    return None
