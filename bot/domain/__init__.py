"""Pure code: functions from plain data to plain data, with no I/O, no Telegram and no storage,
so each piece can be tested with hypothesis and benchmarked alone (the meeting scheduler first;
docs: issue 10's target shape)."""
