"""Charts for the organisers' dashboard, rendered off-screen (matplotlib's Agg backend) to
PNG bytes the bot sends as a photo. Pure functions of the numbers; no I/O besides memory.
The countries, their names and colours, and the sector labels are passed in (from the forum
file)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator


def companies_by_sector_png(
    counts: dict[tuple[str, str], int], countries: Sequence[tuple[str, str]]
) -> bytes:
    """Horizontal grouped bars: companies per sector, one bar per country. ``counts`` maps
    (sector label, country name) to companies; ``countries`` is (name, colour) per bar."""
    sectors = sorted(
        {sector for sector, _ in counts},
        key=lambda s: -sum(counts.get((s, c), 0) for c, _ in countries),
    )
    height = max(2.5, 0.45 * max(1, len(sectors)) + 1.2)
    fig, ax = plt.subplots(figsize=(8, height), dpi=100)
    try:
        bar = 0.8 / len(countries)
        positions = list(range(len(sectors)))
        for index, (country, colour) in enumerate(countries):
            values = [counts.get((sector, country), 0) for sector in sectors]
            ax.barh(
                [p + index * bar for p in positions],
                values,
                height=bar,
                label=country,
                color=colour,
            )
        ax.set_yticks([p + bar * (len(countries) - 1) / 2 for p in positions])
        ax.set_yticklabels(sectors)
        ax.invert_yaxis()
        ax.set_xlabel("companies")
        ax.set_title("Companies by sector and country")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if not sectors:
            ax.text(0.5, 0.5, "no companies yet", ha="center", va="center", transform=ax.transAxes)
        ax.legend(loc="lower right")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)
