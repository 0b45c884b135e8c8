"""Buttons of the agenda, reminders and time zones (handlers.agenda, handlers.reminders,
handlers.timezone)."""

from __future__ import annotations

from handlers.callbacks.codec import CallbackData


class AgendaOpen(CallbackData, prefix="ago"):
    """Open the agenda (the /start menu's button)."""


class AgendaPage(CallbackData, prefix="agp"):
    """A page of the agenda."""

    page: int


class AgendaSession(CallbackData, prefix="ags"):
    """One session's details, with Subscribe / Unsubscribe."""

    session: int


class AgendaSubscribe(CallbackData, prefix="agsu"):
    """Subscribe to (on=1) or unsubscribe from (on=0) a session: the button says which, so a
    double press acts once."""

    on: bool
    session: int


class AgendaSubscribeAll(CallbackData, prefix="aga"):
    """Subscribe to every session not started yet."""


class ReminderLead(CallbackData, prefix="rml"):
    """/reminders: turn one lead time (in minutes) on or off."""

    on: bool
    minutes: int


class RemindersDone(CallbackData, prefix="rmd"):
    """/reminders: close the menu (every press is already saved)."""


class TimezonePick(CallbackData, prefix="tzp"):
    """/timezone: the zone chosen (an IANA name; checked again when pressed)."""

    zone: str
