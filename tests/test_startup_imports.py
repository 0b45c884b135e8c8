"""What the bot's start-up imports: the heavy libraries of rare organiser actions (matplotlib
for the dashboard's chart, scipy for a meeting schedule) wait for their first use, so a bot
that never draws a chart does not keep ~70 MB of them resident (issue 15, peak RSS)."""

from __future__ import annotations

from tests.support.python import run_python


def test_start_up_leaves_matplotlib_and_scipy_to_their_first_use() -> None:
    script = (
        "import sys\n"
        "import bot.app, bot.cli\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'scipy'}))\n"
    )
    done = run_python(script)
    assert done.stdout.strip() == "[]", done.stderr
