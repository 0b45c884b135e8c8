"""Helpers the tests share: the bot harness and small builders."""
