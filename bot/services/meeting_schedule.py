"""The organisers' side of meetings: the automatic scheduler (/schedule and ``python -m bot
schedule-meetings``), the meeting grid (/meetings_all) and the meeting counts of /stats.

The candidates are every accepted introduction with no meeting yet and, for pairs of
companies that both ticked "let the organisers book meetings for me", their mutual top-3
matches; a pair that declined or cancelled a meeting is not placed again. The problem goes to
the domain scheduler (bot.domain.scheduler: HiGHS, greedy baseline, reasons for pairs left
out) with every slot of every meetings block, what each company blocked in /availability,
the slots already past (blocked for everyone) and the live meetings, which stay where they
are. A preview is stored and applied at most once; each meeting is then booked in its own
checked transaction (a slot taken meanwhile is skipped and reported), both companies are
told, and they can decline.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.matching import Matcher, MatchIndex, Rules, pair_key
from bot.domain.meeting_slots import SlotTime
from bot.domain.scheduler import Candidate, Kind, Meeting, Problem, Slot, schedule
from bot.services.embeddings import ProfileVectors
from bot.services.meeting_base import MeetingBase
from bot.services.meeting_followup import MeetingFollowUp
from storage.agenda import to_utc
from storage.meetings import BY_ORGANISERS, CANCELLED, CONFIRMED, DECLINED, LIVE, SlotChoice

OPT_IN_TOP = 3
TIME_LIMIT_SECONDS = 10.0
KIND_NAMES = {Kind.ACCEPTED: "accepted", Kind.OPT_IN: "opt-in"}


@dataclass(frozen=True)
class Planned:
    a: int
    b: int
    a_name: str
    b_name: str
    slot: SlotTime
    score: float
    kind: str  # "accepted" (an accepted introduction) or "opt-in" (mutual top-3)


@dataclass(frozen=True)
class LeftOutPair:
    a_name: str
    b_name: str
    kind: str
    reason: str  # bot.domain.scheduler.Reason's value
    explanation: str  # in plain English, for the CLI; the chat renders ``reason``
    full_company: str = ""  # for "company at its maximum": which of the two


@dataclass(frozen=True)
class Preview:
    plan_id: int | None
    placed: tuple[Planned, ...]
    left_out: tuple[LeftOutPair, ...]
    total_score: float
    gap: float | None
    status: str
    solver_seconds: float | None
    accepted: int  # candidates of each kind
    opt_in: int
    existing: int  # live meetings kept where they are


@dataclass(frozen=True)
class Applied:
    kind: str  # "applied", "already" (applied or cancelled before) or "gone"
    placed: int = 0
    skipped: tuple[tuple[str, str, str], ...] = ()  # (company, company, why)


@dataclass(frozen=True)
class GridSlot:
    block_title: str
    slot: SlotTime
    meetings: tuple[tuple[int, str, str, str], ...]  # (table, company, company, state)


@dataclass(frozen=True)
class MeetingCounts:
    proposed: int
    confirmed: int
    declined: int
    cancelled: int
    expired: int
    held: int  # meetings a rep said took place
    not_held: int
    moved: int
    mean_rating: float | None


class MeetingScheduler(MeetingBase):
    async def _candidates(self) -> tuple[list[Candidate], dict[int, str]]:
        records = await self.services.companies.all()
        names = {r.id: r.name for r in records}
        now = self.services.clock.now()
        forum = self.services.forum
        vectors = ProfileVectors(self.services.embeddings, places=forum.place_names())
        profiles = await vectors.profiles(records, now=now)
        rules = Rules.of(forum)
        matcher = Matcher(rules)
        by_id = {p.id: p for p in profiles}
        # A pair with a live meeting has one; a pair that declined or cancelled said no.
        had = {
            pair
            for pair, states in (await self.queries.pairs_with_meetings()).items()
            if states & {*LIVE, DECLINED, CANCELLED}
        }
        candidates: list[Candidate] = []
        for a, b in sorted(await self.queries.accepted_pairs()):
            if (a, b) in had or a not in names or b not in names:
                continue
            scores = matcher.scores(by_id[a], by_id[b]) if a in by_id and b in by_id else None
            score = round((scores[0] + scores[1]) / 2, 6) if scores else 0.0
            candidates.append(Candidate(a, b, max(0.0, score), Kind.ACCEPTED))
        opted = await self.choices.opted_in()
        if len(opted) > 1:
            excluded = await self.services.introductions.excluded_pairs() | set(had)
            index = await asyncio.to_thread(
                MatchIndex,
                [p for p in profiles if p.id in opted],
                rules,
                k=OPT_IN_TOP,
                excluded=excluded,
            )
            seen = {c.pair for c in candidates}
            for company in sorted(opted):
                for found in index.top(company):
                    other = found.other.id
                    pair = pair_key(company, other)
                    if pair in seen or company not in index.top_ids(other):
                        continue
                    seen.add(pair)
                    back = next(m.score for m in index.top(other) if m.other.id == company)
                    score = round((found.score + back) / 2, 6)
                    candidates.append(Candidate(*pair, max(0.0, score), Kind.OPT_IN))
        return candidates, names

    async def _problem(self, candidates: list[Candidate]) -> tuple[Problem, dict[int, SlotTime]]:
        now = self.services.clock.now()
        slots = await self.all_slots()
        by_id = {n: slot for n, slot in enumerate(slots, start=1)}
        by_start = {to_utc(slot.starts_at): n for n, slot in by_id.items()}
        past = {n for n, slot in by_id.items() if slot.starts_at <= now}
        companies = {c for cand in candidates for c in (cand.a, cand.b)}
        blocked = await self.choices.all_unavailable()
        unavailable = {
            c: past | {by_start[s] for s in blocked.get(c, set()) if s in by_start}
            for c in companies
        }
        existing = [
            Meeting(m.company_a, m.company_b, by_start[to_utc(m.starts_at)])
            for m in await self.queries.live()
            if to_utc(m.starts_at) in by_start
        ]
        problem = Problem(
            slots=[Slot(n, s.starts_at, s.ends_at, s.block_id, s.tables) for n, s in by_id.items()],
            candidates=candidates,
            unavailable=unavailable,
            existing=existing,
            max_meetings_per_company=self.services.settings.max_meetings_per_company,
        )
        return problem, by_id

    async def preview(
        self, actor: int | None, *, store: bool = True, time_limit: float = TIME_LIMIT_SECONDS
    ) -> Preview:
        """Solve, and keep the plan (unless ``store`` is false) for :meth:`apply`."""
        candidates, names = await self._candidates()
        problem, slots = await self._problem(candidates)
        result = schedule(problem, time_limit=time_limit)
        placed = tuple(
            Planned(
                p.candidate.a,
                p.candidate.b,
                names.get(p.candidate.a, "?"),
                names.get(p.candidate.b, "?"),
                slots[p.slot],
                p.candidate.score,
                KIND_NAMES[p.candidate.kind],
            )
            for p in result.placed
        )
        left = tuple(
            LeftOutPair(
                names.get(x.candidate.a, "?"),
                names.get(x.candidate.b, "?"),
                KIND_NAMES[x.candidate.kind],
                x.reason.value,
                x.explanation.replace(f"company {x.company}", names.get(x.company or 0, "?"))
                if x.company
                else x.explanation,
                names.get(x.company or 0, "?") if x.company else "",
            )
            for x in result.left_out
        )
        plan_id = None
        if store and placed:
            plan_id = await self.choices.save_plan(
                [_entry(p) for p in placed], created_by=actor, now=self.services.clock.now()
            )
        return Preview(
            plan_id,
            placed,
            left,
            result.total_score,
            result.gap,
            result.status.value,
            result.solver_seconds,
            sum(c.kind is Kind.ACCEPTED for c in candidates),
            sum(c.kind is Kind.OPT_IN for c in candidates),
            len(problem.existing),
        )

    async def apply(self, plan_id: int) -> Applied:
        """Book a stored preview's meetings, once."""
        plan = await self.choices.plan(plan_id)
        if plan is None:
            return Applied("gone")
        if not await self.choices.finish_plan(plan_id, "applied", now=self.services.clock.now()):
            return Applied("already")
        placed, skipped = await self.book(plan.plan)
        return Applied("applied", placed, tuple(skipped))

    async def cancel(self, plan_id: int) -> bool:
        return await self.choices.finish_plan(plan_id, "cancelled", now=self.services.clock.now())

    async def book(self, entries: list[dict[str, Any]]) -> tuple[int, list[tuple[str, str, str]]]:
        """Book planned meetings as confirmed, tell both companies; (placed, skipped)."""
        followup = MeetingFollowUp(self.services)
        placed, skipped = 0, []
        for entry in entries:
            a, b = int(entry["a"]), int(entry["b"])
            slot = SlotChoice(
                int(entry["block"]),
                datetime.fromisoformat(entry["start"]),
                datetime.fromisoformat(entry["end"]),
            )
            booking = await self.repo.book(
                a,
                b,
                slot,
                state=CONFIRMED,
                source=BY_ORGANISERS,
                proposer_company=None,
                requested_by=None,
                token=secrets.token_urlsafe(12),
                max_per_company=self.services.settings.max_meetings_per_company,
                now=self.services.clock.now(),
            )
            if booking.kind == "ok" and booking.meeting is not None:
                placed += 1
                await followup.plan(booking.meeting)
                await self.tell(booking.meeting, "meeting_scheduled", companies=(a, b))
            else:
                names = (await self.name_of(a) or "?", await self.name_of(b) or "?")
                skipped.append((*names, booking.kind))
        return placed, skipped

    async def grid(self) -> list[GridSlot]:
        """Every slot ahead of every meetings block with its live meetings."""
        now = self.services.clock.now()
        titles = {b.id: b.title for b in await self.queries.blocks()}
        live = await self.queries.live()
        names = {c.id: c.name for c in await self.services.companies.all()}
        out = []
        for slot in await self.all_slots():
            if slot.ends_at <= now:
                continue
            here = sorted(
                (m for m in live if m.block_id == slot.block_id and m.starts_at == slot.starts_at),
                key=lambda m: m.table_no,
            )
            rows = tuple(
                (m.table_no, names.get(m.company_a, "?"), names.get(m.company_b, "?"), m.state)
                for m in here
            )
            out.append(GridSlot(titles.get(slot.block_id, ""), slot, rows))
        return out

    async def counts(self) -> MeetingCounts:
        states = await self.queries.counts()
        held, not_held, moved, mean = await self.choices.feedback_totals()
        return MeetingCounts(
            states["proposed"],
            states["confirmed"],
            states["declined"],
            states["cancelled"],
            states["expired"],
            held,
            not_held,
            moved,
            mean,
        )


def _entry(planned: Planned) -> dict[str, Any]:
    return {
        "a": planned.a,
        "b": planned.b,
        "block": planned.slot.block_id,
        "start": planned.slot.starts_at.isoformat(),
        "end": planned.slot.ends_at.isoformat(),
        "score": planned.score,
        "kind": planned.kind,
    }
