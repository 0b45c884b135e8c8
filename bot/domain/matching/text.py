"""The lexical side of matching: words, Snowball stems, acronyms and phrases.

Pure functions of one text (no corpus statistics such as IDF), so a company's terms never
depend on who else registered. Acronyms and exact product names ("RPA", "SAP Business One")
are what this side catches and the embeddings may blur.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import sys
import threading
from collections.abc import Mapping

import snowballstemmer


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _wordset(
    """a an the and or of for to in on at by with from as into via our we us you your they
    their is are be been being it its this that these those who which what such any all
    other others also more most very can will would should may might need needs needed
    looking look seek seeking seeks want wants wanting offer offers offering provide
    provides providing help helps new etc e g i ie including include includes based
    partner partners partnership company companies firm firms team teams"""
)
# Words that say little about a need on their own: they count, but only a little.
_GENERIC = _wordset(
    "servic solut develop softwar system technolog it digit busi project product work "
    "platform custom client enterpris manag support"
)
GENERIC_WEIGHT = 0.35
_BIGRAM_WEIGHT = 1.0

_ACRONYMS: Mapping[str, str] = {
    "rpa": "robotic process automation",
    "ai": "artificial intelligence",
    "ml": "machine learning",
    "bpo": "business process outsourcing",
    "erp": "enterprise resource planning",
    "crm": "customer relationship management",
    "qa": "quality assurance testing",
    "ui": "user interface design",
    "ux": "user experience design",
    "iot": "internet things",
    "ar": "augmented reality",
    "vr": "virtual reality",
    "kyc": "know customer verification",
    "saas": "software service cloud",
    "soc": "security operations centre",
    "nlp": "natural language processing",
    "devops": "devops cloud operations",
    "llm": "large language model",
    "apps": "app",
    "application": "app",
    "applications": "app",
}

_WORD = re.compile(r"[a-z0-9]+")
_PHRASE_SPLIT = re.compile(r"[,;\n•·|]+|\.\s+|\.$|\s+-\s+")


# A Snowball stemmer keeps state while it works, so each thread gets its own.
_stemmers = threading.local()


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English Snowball stem: "businesses" → "busi", "automation"/"automated" → "autom"."""
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    result: str = stemmer.stemWord(word)
    return result


def _words(text: str) -> list[str]:
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        expansion = _ACRONYMS.get(word)
        if expansion:
            if word not in ("apps", "application", "applications"):
                out.append(word)
            out.extend(expansion.split())
        elif word not in _STOPWORDS:
            out.append(word)
    return [stem(w) for w in out if w not in _STOPWORDS]


def terms(text: str) -> dict[str, float]:
    """The weighted terms of a text: stems (generic ones weigh less) and adjacent pairs."""
    found: dict[str, float] = {}
    for phrase in _PHRASE_SPLIT.split(text):
        stems = _words(phrase)
        for s in stems:
            found[s] = GENERIC_WEIGHT if s in _GENERIC else 1.0
        for a, b in itertools.pairwise(stems):
            if a != b:
                # One string per distinct pair across every profile (the stems come from
                # the stem cache already): 10,000 profiles repeat the same few thousand.
                found[sys.intern(f"{a} {b}")] = _BIGRAM_WEIGHT
    return found


def unit(weights: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    shared = a.keys() & b.keys()
    return sum([a[t] * b[t] for t in shared]) if shared else 0.0


def phrases(text: str) -> list[str]:
    return [p.strip(" .-–—:") for p in _PHRASE_SPLIT.split(text) if p.strip(" .-–—:")]


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
        text = cut.rstrip(",;:") + "…"
    # "Mobile apps" reads better mid-sentence as "mobile apps"; "RPA", "LoRa" and "iOS" stay.
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        text = text[0].lower() + text[1:]
    return text


_CLAUSE_SPLIT = re.compile(r"[;\n•·|]+|\.\s+|\.$|\s+[-–—]\s+")
_QUOTE_STRIP = " .-–—:,"
# Commas and colons outside parentheses: "(seed round, ~€600k)" stays whole.
_ITEM_SPLIT = re.compile(r"[,:](?![^(]*\))")
MAX_QUOTES = 12  # per text: bounds what a profile stores


def quotable(text: str) -> list[str]:
    """The parts of a text a reason may quote: its clauses, and the comma-separated items of
    a long clause ("penetration testing" out of a list, the head before a colon), in order."""
    found: list[str] = []
    for clause in _CLAUSE_SPLIT.split(text):
        clause = clause.strip(_QUOTE_STRIP)
        if not clause:
            continue
        found.append(clause)
        if len(clause) > 60:
            items = [i.strip(_QUOTE_STRIP) for i in _ITEM_SPLIT.split(clause)]
            found.extend(i for i in items if len(i.split()) >= 2 and i != clause)
    unique = list(dict.fromkeys(found))
    return unique[:MAX_QUOTES] or ([text.strip()] if text.strip() else [])
