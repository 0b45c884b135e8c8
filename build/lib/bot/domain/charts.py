"""Charts for the organisers' dashboard, rendered off-screen (matplotlib's Agg backend) to
PNG bytes the bot sends as a photo. Pure functions of the numbers; no I/O besides memory."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

COUNTRY_COLOURS = {"Romania": "#002B7F", "Pakistan": "#01411C"}


def companies_by_sector_png(
    counts: dict[tuple[str, str], int], countries: tuple[str, ...] = ("Romania", "Pakistan")
) -> bytes:
    """Horizontal grouped bars: companies per sector, one bar per country."""
    sectors = sorted(
        {sector for sector, _ in counts},
        key=lambda s: -sum(counts.get((s, c), 0) for c in countries),
    )
    height = max(2.5, 0.45 * max(1, len(sectors)) + 1.2)
    fig, ax = plt.subplots(figsize=(8, height), dpi=100)
    try:
        bar = 0.8 / len(countries)
        positions = list(range(len(sectors)))
        for index, country in enumerate(countries):
            values = [counts.get((sector, country), 0) for sector in sectors]
            ax.barh(
                [p + index * bar for p in positions],
                values,
                height=bar,
                label=country,
                color=COUNTRY_COLOURS.get(country),
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
