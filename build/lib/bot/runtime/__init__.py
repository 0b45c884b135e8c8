"""Runtime wiring: the update processor, persistence adapter, outbox sender, clock, logging
and the polling runner."""
