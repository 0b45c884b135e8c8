"""What the forum produced, for the organisers: the one funnel as /stats and /matchstats
show it, and /report, the Excel workbook for the ministries (bot.services.report)."""

from __future__ import annotations

from bot.services.funnel import Funnel
from handlers.i18n import Texts


def funnel_text(tx: Texts, funnel: Funnel) -> str:
    """The funnel as lines; each share is of the companies registered in Telegram."""
    labels = {
        "registered": tx._("registered in Telegram"),
        "consented": tx._("consented to be matched"),
        "matched": tx._("have a cross-border match"),
        "introduced": tx._("requested or received an introduction"),
        "accepted": tx._("introduction accepted"),
        "meeting_booked": tx._("meeting booked"),
        "meeting_held": tx._("meeting held"),
        "talks": tx._("follow-up: talks ongoing (or agreement)"),
        "agreement": tx._("follow-up: agreement signed"),
    }
    base = funnel.registered
    lines = [tx._("<b>Funnel</b> (companies)")]
    for number, (key, value) in enumerate(funnel.steps(), start=1):
        share = f" ({value / base:.0%})" if base and number > 1 else ""
        lines.append(f"{number}. {labels[key]}: <b>{value}</b>{share}")
    return "\n".join(lines)
