"""Matching benchmark: 10,000 synthetic companies (5,000 per country).

Prints the time to compute every company's top-10, the time to add one new company (its own
list plus its place in everyone else's), and the peak RSS. Goal on a 2-core machine: ≤ 5 s,
≤ 100 ms and ≤ 500 MB. Run: ``.venv/bin/python bench/matching.py [N_PER_COUNTRY]``.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.matching import SIZES, MatchIndex, Profile, Rules, rank
from bot.forum import load_forum

FORUM = load_forum(Path(__file__).resolve().parent.parent / "data" / "forum.toml")
RULES = Rules.of(FORUM)

# Realistic phrases per sector of FORUM.md's list: what companies offer and seek.
SECTOR_PHRASES: dict[str, list[str]] = {
    "Artificial intelligence & data": [
        "machine learning models",
        "data analytics dashboards",
        "computer vision",
        "NLP chatbots",
        "data engineering pipelines",
        "AI consulting",
    ],
    "Cybersecurity": [
        "penetration testing",
        "SOC as a service",
        "security audits",
        "identity and access management",
        "endpoint protection",
        "ISO 27001 compliance",
    ],
    "Fintech": [
        "payment gateway integration",
        "digital banking apps",
        "KYC verification",
        "core banking systems",
        "mobile wallets",
        "fraud detection",
    ],
    "Software development & product engineering": [
        "custom software development",
        "mobile app development",
        "web development",
        "product engineering teams",
        "UI/UX design",
        "QA and software testing",
    ],
    "IT-enabled services & BPO": [
        "customer support outsourcing",
        "back-office processing",
        "call centre services",
        "data entry and document processing",
        "BPO for European clients",
    ],
    "Cloud & DevOps": [
        "cloud migration",
        "DevOps automation",
        "Kubernetes operations",
        "AWS and Azure managed services",
        "CI/CD pipelines",
    ],
    "RPA & automation": [
        "RPA consulting",
        "UiPath automation",
        "process automation",
        "intelligent document processing",
        "workflow automation",
    ],
    "E-government": [
        "e-government portals",
        "digital identity",
        "public sector software",
        "citizen services platforms",
    ],
    "Telecom": [
        "telecom billing systems",
        "network monitoring",
        "5G solutions",
        "VoIP services",
    ],
    "Healthtech": [
        "telemedicine platforms",
        "hospital management systems",
        "health records software",
        "medical imaging AI",
    ],
    "Edtech": [
        "e-learning platforms",
        "learning management systems",
        "online exam proctoring",
    ],
    "E-commerce": [
        "online store development",
        "marketplace platforms",
        "Shopify and Magento development",
        "logistics integration",
    ],
    "Gaming, AR/VR & creative tech": [
        "game development",
        "AR/VR experiences",
        "3D animation",
        "Unity development",
    ],
    "IoT & embedded": [
        "IoT sensors",
        "embedded firmware",
        "smart metering",
        "industrial IoT platforms",
    ],
    "ERP/CRM & enterprise systems": [
        "SAP implementation",
        "Odoo ERP customisation",
        "Salesforce CRM consulting",
        "Microsoft Dynamics integration",
    ],
    "Blockchain": [
        "smart contracts",
        "blockchain traceability",
        "crypto payment integration",
    ],
}
SECTORS = list(SECTOR_PHRASES)
# Profiles carry the forum file's keys.
SECTOR_KEYS = {label: FORUM.find_sector(label).key for label in SECTORS}  # type: ignore[union-attr]
INTENTS = [i.key for i in FORUM.intents]
CITIES = {
    "RO": ["Bucharest", "Cluj-Napoca", "Iași", "Timișoara", "Brașov"],
    "PK": ["Lahore", "Karachi", "Islamabad", "Rawalpindi", "Faisalabad"],
}


def synthetic(company_id: int, country: str, rnd: random.Random) -> Profile:
    sectors = rnd.sample(SECTORS, rnd.randint(1, 3))
    pool = [p for s in sectors for p in SECTOR_PHRASES[s]]
    offers = rnd.sample(pool, min(len(pool), rnd.randint(2, 4)))
    wanted_sectors = rnd.sample(SECTORS, 2)
    seek_pool = [p for s in wanted_sectors for p in SECTOR_PHRASES[s]]
    seeks = rnd.sample(seek_pool, rnd.randint(1, 3))
    return Profile(
        id=company_id,
        name=f"{country} Company {company_id:05d}",
        country=country,
        sectors=tuple(SECTOR_KEYS[s] for s in sectors),
        offers="We offer " + ", ".join(offers) + ".",
        seeks="Looking for partners in " + ", ".join(seeks) + ".",
        partnerships=tuple(rnd.sample(INTENTS, rnd.randint(1, 3))),
        size=rnd.choice(SIZES),
        city=rnd.choice(CITIES[country]),
    )


def main() -> None:
    per_country = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rnd = random.Random(20251120)
    profiles = [synthetic(i, "RO" if i % 2 else "PK", rnd) for i in range(1, 2 * per_country + 1)]
    started = time.perf_counter()
    index = MatchIndex(profiles, RULES, k=10)
    ranked = time.perf_counter() - started
    lists = index.top_all()
    elapsed = time.perf_counter() - started
    with_matches = sum(1 for m in lists.values() if m)
    print(f"companies: {len(profiles)} ({per_country} per country)")
    print(
        f"top-10 for every company: {elapsed:.2f} s with reasons "
        f"({ranked:.2f} s ranking alone; {with_matches} companies with matches)"
    )

    new = synthetic(len(profiles) + 1, "PK", rnd)
    started = time.perf_counter()
    result = index.add(new)
    add_ms = (time.perf_counter() - started) * 1000
    print(
        f"one new company: {add_ms:.1f} ms "
        f"(own list {len(result.own)}, entered {len(result.entered)} others' top-10, "
        f"{sum(1 for r in result.entered.values() if r <= 3)} top-3)"
    )
    # The index must agree with the one-company path.
    sample = [*profiles[:20], new]
    everyone = [*profiles, new]
    for p in sample:
        expected = [m.other.id for m in rank(p, everyone, RULES, limit=10)]
        assert index.top_ids(p.id) == expected, (p.id, index.top_ids(p.id), expected)
    print("index agrees with rank() on 21 sampled companies")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
