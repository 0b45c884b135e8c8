"""The demo's script machinery: its clock, the transcript it prints, and the steps people
take (send, press, walk a registration). The scenes are ``sandbox.demo`` and
``sandbox.demo_languages``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.forum import Forum
from bot.runtime.local import LocalBot
from sandbox import Matcher, Sandbox, SandboxUser, SentMessage
from sandbox.mailbox import Mailbox


class DemoClock(Clock):
    """Real time, which the demo moves forward to reach a meeting and its end without
    waiting for them (the bot is restarted after each jump: it plans its timers anew from
    the database, as after any restart)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return super().now() + self.offset

    def jump_to(self, moment: datetime) -> None:
        self.offset += moment - self.now()


@dataclass
class Demo:
    sandbox: Sandbox
    bot: LocalBot
    quiet: bool = False
    clock: DemoClock = field(default_factory=DemoClock)
    lines: list[str] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    mailbox: Mailbox | None = None
    claimant: SandboxUser | None = None  # claimed an imported company from its e-mail

    @property
    def forum(self) -> Forum:
        return self.bot.settings.forum

    def say(self, line: str) -> None:
        self.lines.append(line)
        if not self.quiet:
            print(line, flush=True)

    def scene(self, title: str) -> None:
        self.say(f"\n=== {title} ===")

    def person(
        self,
        user_id: int,
        name: str,
        username: str | None = None,
        language_code: str | None = None,
    ) -> SandboxUser:
        self.names[user_id] = name
        if language_code is None:
            return self.sandbox.user(user_id, name, username=username)
        return self.sandbox.user(user_id, name, username=username, language_code=language_code)

    async def send(self, user: SandboxUser, text: str, expect: Matcher) -> str:
        self.say(f"{self.names[user.id]} > {text}")
        await user.send(text)
        return self._show(user, await user.expect(expect))

    async def press(self, user: SandboxUser, button: str, expect: Matcher) -> str:
        self.say(f"{self.names[user.id]} [presses {button}]")
        await user.press(button)
        return self._show(user, await user.expect(expect))

    def _show(self, user: SandboxUser, message: SentMessage) -> str:
        text = message.text or ""
        if message.kind != "text":
            self.say(f"    bot → {self.names[user.id]}: [{message.kind}]")
        for line in text.splitlines() or [""]:
            self.say(f"    bot → {self.names[user.id]}: {line}")
        buttons = message.buttons()
        if buttons:
            self.say("    buttons: " + " | ".join(" / ".join(row) for row in buttons))
        return text


def _ticked(button: str) -> Callable[[SentMessage], bool]:
    return lambda message: f"✓ {button}" in str(message.buttons())


async def register(demo: Demo, user: SandboxUser, answers: list[tuple[str, str, str]]) -> None:
    """Walk the registration: each answer is ("send"|"press"|"tick", text or button,
    expected); "tick" toggles a multi-select button, which changes only the keyboard."""
    for how, value, expect in answers:
        if how == "send":
            await demo.send(user, value, expect)
        elif how == "press":
            await demo.press(user, value, expect)
        else:
            demo.say(f"{demo.names[user.id]} [ticks {value}]")
            await user.press(value)
            await user.expect(_ticked(value))
