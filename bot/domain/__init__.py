"""Pure code: functions from plain data to plain data, with no I/O, no Telegram and no storage,
so each piece can be tested with hypothesis and benchmarked alone: matching, profile
validation, agenda and company files, time formatting, the meeting scheduler."""
