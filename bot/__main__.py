"""``python -m bot``: the command line lives in :mod:`bot.cli`."""

import sys

from bot.runtime import arenas

arenas.limit()  # before any thread allocates: see bot/runtime/arenas.py

from bot.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
