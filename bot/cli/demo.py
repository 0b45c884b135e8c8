"""``demo``: the rehearsal of a forum against the local sandbox, which is an optional install."""

from __future__ import annotations

import asyncio
import sys

from bot.cli.common import EXIT_CONFIG
from bot.config import load_settings


def demo(*, quiet: bool) -> int:
    """The rehearsal needs the sandbox, an optional part of the install. It plays the forum
    of FORUM_CONFIG (a broken file is a configuration error, as for ``run``)."""
    forum = load_settings(require_token=False).forum
    try:
        from sandbox.demo import run_demo
    except ImportError as exc:
        print(
            f"error: the demo needs the sandbox ({exc.name} is missing): "
            "pip install 'forumbridge[sandbox]' (or make demo)",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    return asyncio.run(run_demo(quiet=quiet, forum=forum))
