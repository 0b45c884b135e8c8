"""Reads the repository's Dockerfile, so tests can check it and run the very commands it
runs (Docker itself is not needed, nor always available, where the tests run)."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stage:
    base: str
    name: str | None
    args: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    copies: list[tuple[list[str], str, list[str]]] = field(default_factory=list)  # flags
    runs: list[str] = field(default_factory=list)
    user: str = "root"
    workdir: str = "/"
    volumes: list[str] = field(default_factory=list)
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    healthcheck: tuple[dict[str, str], list[str]] | None = None


def _instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        found.append((word.upper(), rest.strip()))
    return found


def _exec_form(value: str) -> list[str]:
    parsed = json.loads(value)
    assert isinstance(parsed, list), f"use the exec form (a JSON array): {value}"
    return [str(p) for p in parsed]


def substitute(value: str, names: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: names.get(m[1] or m[2], m[0]), value)


def parse(path: Path = REPO_ROOT / "Dockerfile") -> list[Stage]:
    stages: list[Stage] = []
    global_args: dict[str, str] = {}
    for word, rest in _instructions(path.read_text(encoding="utf-8")):
        if word == "ARG":
            name, _, default = rest.partition("=")
            (stages[-1].args if stages else global_args)[name] = default
        elif word == "FROM":
            parts = rest.split()
            base = substitute(parts[0], global_args)
            stages.append(Stage(base, parts[2] if len(parts) > 2 else None))
        elif word == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                stages[-1].env[key] = value
        elif word == "COPY":
            tokens = rest.split()
            flags = [t for t in tokens if t.startswith("--")]
            paths = [t for t in tokens if not t.startswith("--")]
            stages[-1].copies.append((paths[:-1], paths[-1], flags))
        elif word == "RUN":
            stages[-1].runs.append(rest)
        elif word == "USER":
            stages[-1].user = rest
        elif word == "WORKDIR":
            stages[-1].workdir = rest
        elif word == "VOLUME":
            stages[-1].volumes.extend(_exec_form(rest))
        elif word == "ENTRYPOINT":
            stages[-1].entrypoint = _exec_form(rest)
        elif word == "CMD":
            stages[-1].cmd = _exec_form(rest)
        elif word == "HEALTHCHECK":
            options, _, command = rest.partition(" CMD ")
            flags = dict(o.lstrip("-").split("=", 1) for o in options.split())
            stages[-1].healthcheck = (flags, _exec_form(command.strip()))
    return stages
