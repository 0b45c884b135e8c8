"""`make demo` is part of the product: every scene must get the answers it expects."""

from __future__ import annotations

import pytest

from sandbox.demo import run_demo


async def test_demo_runs_every_scene(capsys: pytest.CaptureFixture[str]) -> None:
    assert await run_demo(quiet=True) == 0
    out = capsys.readouterr().out
    assert "Demo finished" in out
