"""The bot's process keeps to one malloc arena (bot/runtime/arenas.py): threads that allocate
at once share it instead of each keeping an arena of its own; and a full build of the
matching index is followed by handing the memory it freed back."""

from __future__ import annotations

import platform

import pytest

from bot.runtime import arenas
from tests.support.harness import BotHarness
from tests.support.python import run_python

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator")

# Four threads allocate (blocks too big for Python's own allocator) while all four are
# alive, then the process counts its malloc arenas (glibc's malloc_info lists each heap).
COUNT_ARENAS = """
import ctypes, re, sys, tempfile, threading
from bot.runtime import arenas

if sys.argv[1] == "limit":
    assert arenas.limit()
together = threading.Barrier(4)
held = []

def work():
    held.append([bytearray(4096) for _ in range(256)])
    together.wait()

threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
libc = ctypes.CDLL("libc.so.6")
libc.fdopen.restype = ctypes.c_void_p
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
with tempfile.NamedTemporaryFile(mode="r") as out:
    stream = libc.fdopen(out.fileno(), b"w")
    libc.malloc_info(0, stream)
    libc.fflush(ctypes.c_void_p(stream))
    print(len(re.findall(r'<heap nr="', open(out.name).read())))
"""


def arenas_after_four_threads(mode: str) -> int:
    done = run_python(COUNT_ARENAS, mode)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_threads_share_one_arena_once_limited() -> None:
    assert arenas_after_four_threads("default") == 5  # glibc's own way: one per thread
    assert arenas_after_four_threads("limit") == 1


async def test_the_bot_hands_back_what_its_index_build_freed(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(arenas, "trim", lambda: calls.append(index.builds) or True)
    await harness.start()
    try:
        index = harness.services.matching.index
        async with index.reading(None, 1):  # the start-up build, done or waited for
            pass
        assert index.builds == 1
        assert calls == [1]  # once, after it
    finally:
        await harness.stop()
