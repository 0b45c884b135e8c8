"""Matching quality before and after, side by side in one run.

The baseline is the matcher of another git revision (``main`` unless given): its ``bot``
package is exported with ``git archive`` into a temporary directory and evaluated in a
process of its own, on the evaluation set of *this* worktree (``tests/data``), so both
columns score the same companies and labels. Prints top-1/3/10 and MRR@3 per split.

Run: ``.venv/bin/python bench/match_quality.py [REVISION]`` (default ``main``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure() -> dict[str, dict[str, float]]:
    """This process's ``bot`` on the evaluation set (``bot`` comes first on ``sys.path``)."""
    from bot.domain.matching import CALIBRATED, MatchIndex
    from tests.support.matching_eval import RULES, SPLITS, evaluate, labels, profiles, with_vectors

    index = MatchIndex(with_vectors(profiles()), RULES, k=10, weights=CALIBRATED)
    out: dict[str, dict[str, float]] = {}
    for split in (*SPLITS, "all"):
        found = evaluate(lambda p: index.top_ids(p.id), labels(None if split == "all" else split))
        out[split] = {
            "cases": found.cases,
            "top-1": found.hit1,
            "top-3": found.hit3,
            "top-10": found.hit10,
            "MRR@3": found.mrr3,
        }
    return out


def run(bot_root: Path) -> dict[str, dict[str, float]]:
    # ``bot`` from bot_root, everything else (tests/support, data) from this worktree.
    code = (
        "import json, sys; "
        f"sys.path[:0] = [{str(bot_root)!r}, {str(ROOT)!r}]; "
        "sys.argv = ['match_quality']; "
        "import runpy; m = runpy.run_path("
        f"{str(ROOT / 'bench' / 'match_quality.py')!r}); "
        "print(json.dumps(m['measure']()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    revision = sys.argv[1] if len(sys.argv) > 1 else "main"
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "bot"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        before = run(Path(tmp))
    after = run(ROOT)
    keys = ("top-1", "top-3", "top-10", "MRR@3")
    print(f"Evaluation set (tests/data): before = {revision}'s matcher, after = this worktree")
    print(f"{'split':11} {'cases':>5}  " + "  ".join(f"{k:>15}" for k in keys))
    for split, row in after.items():
        cells = []
        for key in keys:
            a, b = before[split][key], row[key]
            fmt = "{:.3f}" if key == "MRR@3" else "{:.1%}"
            cells.append(f"{fmt.format(a):>7}→{fmt.format(b):<7}")
        print(f"{split:11} {int(row['cases']):5}  " + "  ".join(f"{c:>15}" for c in cells))


if __name__ == "__main__":
    main()
