"""The database side of `tg classify --batch --save`, beside bulk.py's clients and contacts: the
playbook's segments and the classification history rows, through bulk.Db (the sqlite3 road or
the Store's own connection), in the caller's transaction. Nothing here imports SQLAlchemy.

The rows are the ones ``store.save_classification`` writes for an interactive classify — the
same columns, JSON stored as SQLAlchemy's JSON type stores it (``json.dumps``) — so
`tg clients show` and `tg export classifications` read them alike.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from .bulk import BATCH, CHUNK, Db, chunks

COLUMNS = ("client_id", "segment", "confidence", "answers", "scores", "playbook_version", "created_at", "created_by")


def sync_segments(db: Db, pb, stamp: Any) -> None:
    """store.sync_segments for the bulk roads: the playbook's segments upserted (a client's
    segment is a foreign key); segments no longer in the playbook stay."""
    have = {code for (code,) in db.rows("SELECT code FROM segment")}
    values = [(s.name.zh, s.name.en, pb.version, stamp, s.code) for s in pb.segments]
    db.many("UPDATE segment SET name_zh = ?, name_en = ?, playbook_version = ?, updated_at = ? WHERE code = ?",
            [v for v in values if v[-1] in have])
    db.many("INSERT INTO segment (name_zh, name_en, playbook_version, updated_at, code) VALUES (?, ?, ?, ?, ?)",
            [v for v in values if v[-1] not in have])


def latest(db: Db, ids: Iterable[int]) -> dict[int, tuple]:
    """Each client's latest classification as (segment, confidence, answers, playbook_version)."""
    out: dict[int, tuple] = {}
    for chunk in chunks(sorted(set(ids)), CHUNK):
        sql = ("SELECT client_id, segment, confidence, answers, playbook_version FROM classification "
               f"WHERE client_id IN ({', '.join('?' * len(chunk))}) ORDER BY id")
        for cid, segment, confidence, answers, version in db.rows(sql, chunk):
            out[cid] = (segment, confidence, json.loads(answers) if isinstance(answers, str) else answers, version)
    return out


def insert(db: Db, rows: Sequence[tuple[int, str, float, dict, dict]], *, version: str, stamp: Any,
           user: str) -> None:
    """rows: (client id, segment, confidence, answers, scores), one history row each."""
    sql = f"INSERT INTO classification ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    dumps = json.dumps
    texts: dict[int, str] = {}  # rows classified alike share one scores dict: encode it once
    for batch in chunks(rows, BATCH):
        values = []
        for cid, segment, confidence, answers, scores in batch:
            scored = texts.get(id(scores))
            if scored is None:
                scored = texts[id(scores)] = dumps(scores)
            values.append((cid, segment, confidence, dumps(answers), scored, version, stamp, user))
        db.many(sql, values)
