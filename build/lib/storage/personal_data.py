"""Everything stored about a user and their company, table by table: the /mydata export.

Tables are found by their column names (the person columns of storage.erasure, and the
company columns below), so a table another feature adds later is included without a
change here. Two tables are shaped by hand, because they also hold the other side of a
relation: introductions show the other company only as its public card, and its contact
card only once the introduction is accepted (both sides said yes), never who on their side
asked or answered; "not interested" marks show only the user's own company's.
"""

from __future__ import annotations

import json
from typing import Any

from storage.db import Database
from storage.erasure import PERSON_COLUMNS, table_columns

COMPANY_COLUMNS = ("company_id", "requester_company_id", "target_company_id")
# Kept out: PTB's blobs (the caller adds the user's own data, decoded), the introductions
# (shaped below), and the pseudonym counter (it holds nothing about anybody).
NOT_EXPORTED = (
    "ptb_user_data",
    "ptb_chat_data",
    "ptb_bot_data",
    "ptb_callback_data",
    "ptb_conversations",
    "introductions",
    "erasures",
)
PUBLIC_FIELDS = ("name", "country", "city", "size", "offers", "seeks")
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone", "website")


async def personal_data(db: Database, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every stored row about ``user_id`` and their company, by table (for /mydata)."""
    tables = await table_columns(db.conn)
    row = await db.fetchone("SELECT company_id FROM company_reps WHERE user_id = ?", (user_id,))
    company_id = int(row[0]) if row else None
    found: dict[str, list[dict[str, Any]]] = {}
    for table, columns in sorted(tables.items()):
        if table in NOT_EXPORTED:
            continue
        clauses: list[str] = []
        params: list[Any] = []
        for column, _ in columns:
            if column in PERSON_COLUMNS:
                clauses.append(f"{column} = ?")
                params.append(user_id)
            elif company_id is not None and column in COMPANY_COLUMNS:
                clauses.append(f"{column} = ?")
                params.append(company_id)
        if table == "companies" and company_id is not None:
            clauses.append("id = ?")
            params.append(company_id)
        if not clauses:
            continue
        rows = await db.fetchall(f"SELECT * FROM {table} WHERE {' OR '.join(clauses)}", params)
        if rows:
            found[table] = [dict(r) for r in rows]
    if company_id is not None:
        intros = await introductions(db, company_id)
        if intros:
            found["introductions"] = intros
    return found


async def introductions(db: Database, company_id: int) -> list[dict[str, Any]]:
    """The company's introductions as its reps may see them."""
    rows = await db.fetchall(
        "SELECT * FROM introductions WHERE requester_company_id = ? OR target_company_id = ? "
        "ORDER BY id",
        (company_id, company_id),
    )
    shown: list[dict[str, Any]] = []
    for intro in rows:
        asked = intro["requester_company_id"] == company_id
        other_id = intro["target_company_id"] if asked else intro["requester_company_id"]
        other = await db.fetchone("SELECT * FROM companies WHERE id = ?", (other_id,))
        item: dict[str, Any] = {
            "id": intro["id"],
            "direction": "your company asked" if asked else "they asked your company",
            "other_company": {k: other[k] for k in PUBLIC_FIELDS} if other else None,
            "state": intro["state"],
            "note": intro["note"],
            "reasons": json.loads(intro["reasons"] or "[]"),
            "created_at": intro["created_at"],
            "decided_at": intro["decided_at"],
            "expires_at": intro["expires_at"],
        }
        # Who on the user's own side asked or answered; the other side's people stay theirs.
        if asked:
            item["requested_by"] = intro["requested_by"]
        elif intro["state"] != "expired":
            item["decided_by"] = intro["decided_by"]
        if intro["state"] == "accepted" and other is not None:
            item["contact_card"] = {k: other[k] for k in CONTACT_FIELDS}
            yes = intro["decided_by"] if asked else intro["requested_by"]
            rep = await db.fetchone("SELECT username FROM users WHERE telegram_id = ?", (yes,))
            if rep is not None and rep[0]:
                item["contact_card"]["telegram"] = f"@{rep[0]}"
        shown.append(item)
    return shown
