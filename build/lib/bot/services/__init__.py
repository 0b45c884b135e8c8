"""Use cases, one module per feature; no Telegram objects, no HTML."""
