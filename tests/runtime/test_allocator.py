"""glibc's malloc in the bot's process (bot/runtime/allocator.py): a big block is always a
mapping of its own, even after big blocks were freed (glibc's own threshold slides up then),
and a full build of the matching index gives back what its reads and itself freed."""

from __future__ import annotations

import platform

import pytest

from bot.runtime import allocator
from tests.support.harness import BotHarness
from tests.support.python import run_python

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator")

# A 1 MB block is allocated and freed (glibc then serves blocks up to 1 MB from its heaps),
# and the process counts how many mapped blocks one more 1 MB block added (malloc_info).
MAPPED_AFTER_A_FREE = """
import ctypes, re, sys, tempfile
from bot.runtime import allocator

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.fdopen.restype = ctypes.c_void_p
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fflush.argtypes = [ctypes.c_void_p]

def mapped():
    with tempfile.NamedTemporaryFile(mode="r") as out:
        stream = libc.fdopen(out.fileno(), b"w")
        libc.malloc_info(0, stream)
        libc.fflush(stream)
        info = open(out.name).read()
    return int(re.findall(r'<total type="mmap" count="(\\d+)"', info)[-1])

if sys.argv[1] == "settled":
    assert allocator.settle()
libc.free(libc.malloc(1 << 20))
before = mapped()
block = libc.malloc(1 << 20)
print(mapped() - before)
"""


def mapped_by_one_more_block(mode: str) -> int:
    done = run_python(MAPPED_AFTER_A_FREE, mode)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_a_big_block_stays_a_mapping_of_its_own_after_big_blocks_were_freed() -> None:
    assert mapped_by_one_more_block("default") == 0  # glibc's own way: from a heap
    assert mapped_by_one_more_block("settled") == 1


async def test_the_bot_gives_back_what_its_index_build_freed(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(allocator, "trim", lambda: calls.append(index.builds) or True)
    await harness.start()
    try:
        index = harness.services.matching.index
        async with index.reading(None, 1):  # the start-up build, done or waited for
            pass
        assert index.builds == 1
        assert calls == [0, 1]  # once its profiles were read, and after it
    finally:
        await harness.stop()
