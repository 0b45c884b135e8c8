"""``python -m bot demo``: a scripted rehearsal of the forum against the local sandbox.

No token, no network: the sandbox plays Telegram and the people, the real bot answers, and
the transcript is printed. Every feature adds its scene here, so the demo always rehearses
everything the bot can do. Exit code 0 means every scene got the answers it expected.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.local import LocalBot, local_settings
from bot.sandbox import Sandbox, SandboxUser, SentMessage

ORGANISER_ID = 100
ROMANIAN_REP_ID = 201
PAKISTANI_REP_ID = 301


@dataclass
class Demo:
    sandbox: Sandbox
    bot: LocalBot
    quiet: bool = False
    lines: list[str] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    def say(self, line: str) -> None:
        self.lines.append(line)
        if not self.quiet:
            print(line, flush=True)

    def scene(self, title: str) -> None:
        self.say(f"\n=== {title} ===")

    def person(self, user_id: int, name: str, username: str | None = None) -> SandboxUser:
        self.names[user_id] = name
        return self.sandbox.user(user_id, name, username=username)

    async def send(self, user: SandboxUser, text: str, expect: str) -> str:
        self.say(f"{self.names[user.id]} > {text}")
        await user.send(text)
        return self._show(user, await user.expect(expect))

    async def press(self, user: SandboxUser, button: str, expect: str) -> str:
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


async def scene_welcome(demo: Demo) -> None:
    demo.scene("Welcome")
    ana = demo.person(ROMANIAN_REP_ID, "Ana", "ana_softro")
    await demo.send(ana, "/start", "Welcome")
    await demo.press(ana, "ℹ️ Help", "Commands")
    imran = demo.person(PAKISTANI_REP_ID, "Imran", "imran_lhr")
    await demo.send(imran, "/help", "Commands")
    await demo.send(imran, "/cancel", "nothing to cancel")
    org = demo.person(ORGANISER_ID, "Organiser")
    await demo.send(org, "/help", "Commands (organiser)")


SCENES: list[Callable[[Demo], Awaitable[None]]] = [scene_welcome]


async def run_demo(*, quiet: bool = False) -> int:
    with tempfile.TemporaryDirectory(prefix="forumbridge-demo-") as folder:
        async with Sandbox() as sandbox:
            settings = local_settings(
                sandbox.token,
                sandbox.base_url,
                sandbox.base_file_url,
                Path(folder) / "demo.db",
                admin_ids=frozenset({ORGANISER_ID}),
                log_level="WARNING",
            )
            bot = LocalBot(settings)
            await bot.start()
            demo = Demo(sandbox, bot, quiet=quiet)
            try:
                for scene in SCENES:
                    await scene(demo)
            finally:
                await bot.stop()
    print(f"\nDemo finished: {len(SCENES)} scene(s), {len(demo.lines)} transcript lines.")
    return 0
