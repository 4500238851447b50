"""Who sees what on a shared PostgreSQL database: the SQL of `tg db setup-rls`. Pure: it builds
statements; cli/db.py runs them in one transaction.

The model:

- **A person is a database role, and the role's name is their tg user name.** A rep connects as
  their own role (``postgresql+psycopg://li@db.example/tg``); with TG_USER unset, tg records that
  role name (rawdb.current_user), so ``client.owner``, ``stage_entry.owner`` and the policies'
  ``current_user`` speak of the same people.
- **Two group roles** (NOLOGIN; names configurable, by default ``tg_rep`` and ``tg_manager``)
  hold the table grants. Policies apply to their members.
- **A rep sees a client they own or hold a stage of** (``stage_entry.owner``: the stage they are
  in now or one they held before a hand-off), and the rows that belong to such a client:
  contacts and their strength history, rivals, needs, activities, deals, the stage line,
  reciprocal deals, classifications, referrals with such a client on either side (and their
  events), rewards of such a referral or referrer, and the audit trail of such a client (and
  the entries they wrote themselves). The same rows are the ones a rep may insert, change or
  delete, except that only its owner removes a client (its whole history goes with it). The
  audit trail is read and appended to only, in the rep's own name. A client a rep adds without
  an owner becomes theirs (a trigger fills it in; models.Client.owner reads it back), or they
  could not see what they just added.
- **The lead pool** (clients without an owner) is seen by every rep, the client rows only; a rep
  takes one only through ``tg_pool_claim`` (``pool_sql``), which applies the caps and the wait,
  and writes of ``pool_event`` only their own releases.
- **A manager sees and writes everything.**
- **Shared by everyone:** the segments (synced from the playbook), the case library (the
  support centre's lessons, meant to be read by all) and the schema version.

"Holds a stage" needs the stage line while deciding whether a client is visible, and the
stage line itself is visible through its client: two policies reading each other's table are
refused by PostgreSQL ("infinite recursion"). A SECURITY DEFINER function, ``tg_rls_held``,
reads the stage line as its owner instead. It answers only for the role asking (or one the
login role may act as), so it tells a rep nothing about another rep's clients.

Row-level security is enabled, not forced: the tables' owner (who runs ``tg db upgrade``) and
superusers keep seeing every row, which the helper function relies on. FORCE ROW LEVEL SECURITY
would hold the owner to the policies too, and then need an all-rows policy for the owner to keep
migrations and the helper working: the same thing, said twice. So a rep's role must not be a
superuser, have BYPASSRLS, or be a member of the owner: `tg db setup-rls` warns about any that is.

Everything is idempotent (policies are dropped and created again, roles created only when
missing), so it can be rerun after `tg db upgrade` adds a table, and `tg db upgrade` does that
itself: the only arguments a rerun needs are the two group names, which the policies name
(``POLICY_ROLES_SQL``, ``groups_from_policies``); the people are members of the groups already.
``drop_sql`` undoes it, and also takes the groups' grants away, so that turning the policies off
never shows a rep every row.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from . import i18n
from .errors import UsageError

REP_GROUP = "tg_rep"
MANAGER_GROUP = "tg_manager"

HELD = "tg_rls_held"  # the stage-line helper: client ids a role holds (or held) a stage of
DEFAULT_OWNER = "tg_rls_default_owner"  # the trigger (and its function) giving a rep's new client an owner
OWNERSHIP = "tg_rls_ownership"  # the trigger: a rep changes an owner only by hand-off or claim
GRANTOR = "tg_rls_grantor"  # the trigger: a reward's granted_by / voided_by is the role that did it
TAKEN = "tg_rls_taken"  # 查重: is this name (or phone) a client the asking role cannot see? yes/no only
PHONE_KEYS = "tg_rls_phone_keys"  # a contact's phone text → comparison keys (importer.phone_key)
CLAIM = "tg_pool_claim"  # the one road by which a rep takes a client from the pool: the caps and the wait applied
POLICIES = ("tg_rls_rep", "tg_rls_rep_read", "tg_rls_rep_insert", "tg_rls_rep_update", "tg_rls_rep_delete",
            "tg_rls_manager")

CLIENT = "client"
# Tables whose rows belong to one client through client_id.
BY_CLIENT = ("contact", "competitor", "need", "activity", "deal", "stage_entry", "reciprocal", "classification",
             "quote", "billing_info", "sales_order")
# The clients a rep owns or holds a stage of, {s} the schema: what their other rows hang on. Not
# simply the clients they can see, which include the pool's (seen, but not theirs to write about).
MINE = ("(SELECT id FROM {s}.client WHERE owner IS NOT NULL"
        " OR id IN (SELECT {s}." + HELD + "(current_user::text)))")
# Tables that reach a client through another covered table: the condition on a row, {s} the schema.
VIA = {
    "contact_strength": "contact_id IN (SELECT id FROM {s}.contact)",
    "referral": "referrer_id IN " + MINE + " OR referred_id IN " + MINE,
    "referral_event": "referral_id IN (SELECT id FROM {s}.referral)",
    "reward": "referral_id IN (SELECT id FROM {s}.referral) OR referrer_id IN " + MINE,
    "quote_line": "quote_id IN (SELECT id FROM {s}.quote)",
    # an order's lines, packing, deliveries, invoices, plan, payments and earnings: through the order
    **{t: "order_id IN (SELECT id FROM {s}.sales_order)" for t in (
        "order_line", "packing_line", "delivery_event", "invoice", "instalment", "payment", "earning")},
}
AUDIT = "audit"  # read through its client; appended to in the writer's own name
POOL_EVENT = "pool_event"  # the pool's moves: read by all who see the client or took part; written by claims
COVERED = (CLIENT, *BY_CLIENT, *VIA, AUDIT, POOL_EVENT)
# Everyone reads them. The catalogue is the company's and quote numbers come from one shared
# counter: written by everyone. Case studies and segments are written only as GUARDED says.
SHARED = ("segment", "case_study", "product", "catalog_bundle", "bundle_line", "price_history", "quote_counter",
          "pool_setting")
# Shared tables a rep reads whole but writes only so: a case study in their own name, about no
# client or one of theirs (never changed or removed: the support centre's, that is a manager's);
# a segment only added (tg classify brings the playbook's new ones), never changed or removed.
GUARDED = {"case_study": "created_by = current_user::text AND (client_id IS NULL OR client_id IN " + MINE + ")",
           "segment": "true",
           "pool_setting": "false"}  # the caps tg_pool_claim applies: a manager's to set
READ_ONLY = ("alembic_version",)
# Read by everyone, written by managers only: the sales targets (a rep sees the team's targets
# beside their own on the leaderboard; setting them is the manager's call).
MANAGED = ("sales_target",)
WITH_ID = tuple(t for t in (*COVERED, *SHARED, *MANAGED)
                if t not in ("segment", "quote_counter", "pool_setting"))  # those with an id sequence

_RESERVED = {"public", "none", "current_user", "session_user", "current_role", "all"}


def check_role(name: str) -> str:
    """A role name fit for a person or a group (not pg_…, not a reserved word); else a UsageError."""
    name = name.strip()
    ok = (name and len(name.encode("utf-8")) <= 63 and "$" not in name
          and all(ch.isprintable() for ch in name)
          and not name.lower().startswith("pg_") and name.lower() not in _RESERVED)
    if not ok:
        raise UsageError(i18n.t("rls.bad_role", name=name))
    return name


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A quoted SQL string (standard_conforming_strings, PostgreSQL's default since 9.1)."""
    return "'" + text.replace("'", "''") + "'"


# What a rep may write where that is narrower than what they read: {s} the schema. A row that
# links two clients is written only with both of them the rep's; its events and rewards only
# with the referred client theirs (whoever works the prospect moves the referral on), never
# deleted; a reward never granted by a rep, nor made due for more than the deal it came from.
_REFERRED_MINE = "referral_id IN (SELECT r.id FROM {s}.referral r WHERE r.referred_id IN " + MINE + ")"
REP_WRITE = {
    "referral": {
        "insert": "referrer_id IN " + MINE + " AND referred_id IN " + MINE,
        "update": "referred_id IN " + MINE,
        "delete": "referrer_id IN " + MINE + " AND referred_id IN " + MINE,
    },
    "referral_event": {"insert": '"by" = current_user::text AND ' + _REFERRED_MINE},
    "reward": {
        "insert": ("status = 'pending' AND reverses_id IS NULL AND granted_at IS NULL AND granted_by IS NULL "
                   "AND amount >= 0 AND referral_id IN (SELECT r.id FROM {s}.referral r WHERE r.credited AND "
                   "r.referrer_id IN " + MINE + " AND r.referred_id IN " + MINE + ")"),
        "update_using": _REFERRED_MINE,
        "update": ("status IN ('pending', 'due', 'voided') AND reverses_id IS NULL AND granted_at IS NULL "
                   "AND granted_by IS NULL AND amount >= 0 AND " + _REFERRED_MINE + " AND (status <> 'due' OR "
                   "amount <= coalesce((SELECT r.converted_value FROM {s}.referral r WHERE r.id = referral_id), 0))"),
    },
}


def rep_condition(table: str, s: str) -> str:
    """What a rep may see and write of ``table`` (``s``: the quoted schema)."""
    if table == CLIENT:
        return f"owner = current_user::text OR id IN (SELECT {s}.{HELD}(current_user::text))"
    if table in BY_CLIENT:
        return "client_id IN " + MINE.format(s=s)
    if table == POOL_EVENT:  # the pool's history: of a client they see (the pool's too), or a move of theirs
        return (f"client_id IN (SELECT id FROM {s}.client) OR from_owner = current_user::text "
                'OR to_owner = current_user::text OR "by" = current_user::text')
    if table == AUDIT:  # and what they wrote themselves, such as removing a client (and RETURNING its id)
        return "client_id IN " + MINE.format(s=s) + ' OR "by" = current_user::text'
    return VIA[table].format(s=s)


def dollar(body: str) -> str:
    """``body`` dollar-quoted with a tag it does not contain (a schema may be named anything)."""
    tag = "$tg$"
    while tag in body:
        tag = tag[:-1] + "_$"
    return f"{tag}{body}{tag}"


def _roles_if_missing(roles: Iterable[tuple[str, bool]]) -> str:
    """One DO block creating each (role, login) that does not exist yet."""
    lines = [
        f"  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {literal(r)}) THEN "
        f"CREATE ROLE {ident(r)} {'LOGIN' if login else 'NOLOGIN'}; END IF;"
        for r, login in roles
    ]
    return "DO " + dollar("BEGIN\n" + "\n".join(lines) + "\nEND")


def _sequences(schema: str, tables: Sequence[str], before: str, after: str, *, if_role: str | None = None) -> str:
    """``before`` SEQUENCE-NAME ``after`` (a GRANT or REVOKE) for each table's id sequence, as the
    server names it (SERIAL and identity columns alike); ``if_role``: only if that role exists."""
    names = ", ".join(literal(t) for t in tables)
    guard = f" AND EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {literal(if_role)})" if if_role else ""
    return "DO " + dollar(
        "DECLARE seq text; BEGIN\n"
        f"  FOR seq IN SELECT pg_catalog.pg_get_serial_sequence(quote_ident({literal(schema)}) || '.' "
        f"|| quote_ident(t), 'id') FROM unnest(ARRAY[{names}]) AS t LOOP\n"
        f"    IF seq IS NOT NULL{guard} THEN EXECUTE {literal(before + ' ')} || seq || {literal(' ' + after)}; END IF;\n"
        "  END LOOP;\nEND")


def check_names(*, rep_group: str, manager_group: str, reps: Sequence[str] = (),
                managers: Sequence[str] = ()) -> tuple[str, str, list[str], list[str]]:
    """The role names, checked: two distinct groups, and people who are not one of them."""
    rep_group, manager_group = check_role(rep_group), check_role(manager_group)
    if rep_group == manager_group:
        raise UsageError(i18n.t("rls.same_group", name=rep_group))
    reps = [check_role(r) for r in reps]
    managers = [check_role(m) for m in managers]
    for person in (*reps, *managers):
        if person in (rep_group, manager_group):
            raise UsageError(i18n.t("rls.group_member", name=person))
    return rep_group, manager_group, reps, managers


def setup_sql(schema: str, *, rep_group: str = REP_GROUP, manager_group: str = MANAGER_GROUP,
              reps: Sequence[str] = (), managers: Sequence[str] = ()) -> list[str]:
    """The statements turning row-level security on for the tg tables in ``schema``; run them
    in one transaction, as the tables' owner or a superuser. ``reps``/``managers``: roles to
    add to the groups, created (LOGIN, no password) when missing."""
    rep_group, manager_group, reps, managers = check_names(rep_group=rep_group, manager_group=manager_group,
                                                           reps=reps, managers=managers)
    s = ident(schema)
    rg, mg = ident(rep_group), ident(manager_group)
    groups = f"{rg}, {mg}"
    people = list(dict.fromkeys([*reps, *managers]))
    out = [_roles_if_missing([(rep_group, False), (manager_group, False), *((p, True) for p in people)])]
    out += [f"GRANT {rg} TO {ident(r)}" for r in dict.fromkeys(reps)]
    out += [f"GRANT {mg} TO {ident(m)}" for m in dict.fromkeys(managers)]

    out.append(f"GRANT USAGE ON SCHEMA {s} TO {groups}")
    for table in (*COVERED, *SHARED):
        rights = "SELECT, INSERT" if table == AUDIT else "SELECT, INSERT, UPDATE, DELETE"
        out.append(f"GRANT {rights} ON {s}.{ident(table)} TO {groups}")
    for table in READ_ONLY:
        out.append(f"GRANT SELECT ON {s}.{ident(table)} TO {groups}")
    for table in MANAGED:
        out.append(f"REVOKE INSERT, UPDATE, DELETE ON {s}.{ident(table)} FROM {rg}")
        out.append(f"GRANT SELECT ON {s}.{ident(table)} TO {rg}")
        out.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {s}.{ident(table)} TO {mg}")
    # USAGE and SELECT: the bulk import reads a sequence to keep it ahead of the ids it writes.
    # A sequence's value, the ids a rep's inserts get and the planner's statistics in pg_class
    # show roughly how many rows a table holds: accepted as public (README "Who sees what").
    out.append(_sequences(schema, WITH_ID, "GRANT USAGE, SELECT ON SEQUENCE", f"TO {groups}"))

    # The stage-line helper (see the module docstring). Only the role asking, or a role the
    # login role may act as (SET ROLE from a pooler or an admin session), gets an answer.
    out.append(
        f"CREATE OR REPLACE FUNCTION {s}.{HELD}(who text) RETURNS SETOF integer\n"
        f"LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_catalog, pg_temp AS " + dollar(
            f"\n  SELECT DISTINCT e.client_id FROM {s}.stage_entry e WHERE e.owner = who\n"
            "    AND (who = session_user::text OR coalesce(pg_catalog.pg_has_role(session_user,\n"
            "         (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = who), 'USAGE'), false))\n"))
    out.append(f"REVOKE ALL ON FUNCTION {s}.{HELD}(text) FROM PUBLIC")
    out.append(f"GRANT EXECUTE ON FUNCTION {s}.{HELD}(text) TO {groups}")

    # A client a rep adds without an owner is theirs: else the rep could not see it (nor could
    # the INSERT … RETURNING that gives tg its id).
    out.append(
        f"CREATE OR REPLACE FUNCTION {s}.{DEFAULT_OWNER}() RETURNS trigger\n"
        "LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS " + dollar(
            "\nBEGIN\n"
            f"  IF NEW.owner IS NULL AND pg_has_role(current_user, {literal(rep_group)}, 'USAGE')\n"
            f"     AND NOT pg_has_role(current_user, {literal(manager_group)}, 'USAGE') THEN\n"
            "    NEW.owner := current_user;\n  END IF;\n  RETURN NEW;\nEND\n"))
    out.append(f"DROP TRIGGER IF EXISTS {DEFAULT_OWNER} ON {s}.client")
    out.append(f"CREATE TRIGGER {DEFAULT_OWNER} BEFORE INSERT ON {s}.client "
               f"FOR EACH ROW EXECUTE FUNCTION {s}.{DEFAULT_OWNER}()")

    for table in COVERED:
        t = f"{s}.{ident(table)}"
        out.append(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        out += [f"DROP POLICY IF EXISTS {p} ON {t}" for p in POLICIES]
        cond = rep_condition(table, s)
        if table == CLIENT:  # removing a client takes its whole history: its owner's call, not a past holder's
            # The pool (no owner) is everyone's to see; taking a client from it is tg_pool_claim's.
            out.append(f"CREATE POLICY tg_rls_rep_read ON {t} FOR SELECT TO {rg} USING ({cond} OR owner IS NULL)")
            out.append(f"CREATE POLICY tg_rls_rep_insert ON {t} FOR INSERT TO {rg} WITH CHECK ({cond})")
            out.append(f"CREATE POLICY tg_rls_rep_update ON {t} FOR UPDATE TO {rg} USING ({cond}) WITH CHECK ({cond})")
            out.append(f"CREATE POLICY tg_rls_rep_delete ON {t} FOR DELETE TO {rg} USING (owner = current_user::text)")
        elif table == AUDIT:  # in their own name, about their clients (or a row of theirs: a reward, its referral)
            out.append(f"CREATE POLICY tg_rls_rep_read ON {t} FOR SELECT TO {rg} USING ({cond})")
            out.append(f"CREATE POLICY tg_rls_rep_insert ON {t} FOR INSERT TO {rg} WITH CHECK ("
                       f'"by" = current_user::text AND (client_id IN {MINE.format(s=s)} '
                       f"OR (table_name = 'reward' AND row_id IN (SELECT id FROM {s}.reward)) "
                       f"OR (table_name = 'referral' AND row_id IN (SELECT id FROM {s}.referral)) "
                       "OR (table_name = 'client' AND action = 'delete' AND row_id = client_id)))")
        elif table == POOL_EVENT:  # a rep writes only their own release; claims are tg_pool_claim's
            out.append(f"CREATE POLICY tg_rls_rep_read ON {t} FOR SELECT TO {rg} USING ({cond})")
            out.append(f"CREATE POLICY tg_rls_rep_insert ON {t} FOR INSERT TO {rg} WITH CHECK (action = 'release' "
                       f'AND "by" = current_user::text AND from_owner = current_user::text AND to_owner IS NULL '
                       f"AND client_id IN {MINE.format(s=s)})")
        elif table in REP_WRITE:
            w = {k: v.format(s=s) for k, v in REP_WRITE[table].items()}
            out.append(f"CREATE POLICY tg_rls_rep_read ON {t} FOR SELECT TO {rg} USING ({cond})")
            out.append(f"CREATE POLICY tg_rls_rep_insert ON {t} FOR INSERT TO {rg} WITH CHECK ({w['insert']})")
            if "update" in w:
                using = w.get("update_using", w["update"])
                out.append(f"CREATE POLICY tg_rls_rep_update ON {t} FOR UPDATE TO {rg} USING ({using}) "
                           f"WITH CHECK ({w['update']})")
            if "delete" in w:
                out.append(f"CREATE POLICY tg_rls_rep_delete ON {t} FOR DELETE TO {rg} USING ({w['delete']})")
        else:
            out.append(f"CREATE POLICY tg_rls_rep ON {t} FOR ALL TO {rg} USING ({cond}) WITH CHECK ({cond})")
        out.append(f"CREATE POLICY tg_rls_manager ON {t} FOR ALL TO {mg} USING (true) WITH CHECK (true)")
    for table, check in GUARDED.items():
        t = f"{s}.{ident(table)}"
        out.append(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        out += [f"DROP POLICY IF EXISTS {p} ON {t}" for p in POLICIES]
        out.append(f"CREATE POLICY tg_rls_rep_read ON {t} FOR SELECT TO {rg} USING (true)")
        out.append(f"CREATE POLICY tg_rls_rep_insert ON {t} FOR INSERT TO {rg} WITH CHECK ({check.format(s=s)})")
        out.append(f"CREATE POLICY tg_rls_manager ON {t} FOR ALL TO {mg} USING (true) WITH CHECK (true)")
    out += _write_guards(s, rep_group, manager_group, groups)
    return out


def _write_guards(s: str, rep_group: str, manager_group: str, groups: str) -> list[str]:
    """The triggers and functions behind the write rules no policy can say (a policy sees the new
    row, not the old one) and the 查重 question a rep may ask about rows they cannot see."""
    rep = f"pg_catalog.pg_has_role(current_user, {literal(rep_group)}, 'USAGE') AND NOT " \
          f"pg_catalog.pg_has_role(current_user, {literal(manager_group)}, 'USAGE')"
    out = []
    # Ownership changes only through a hand-off (the owner passing it on, to a colleague or to the
    # pool: the stage line's open entry names the new owner, written just before, see
    # store.pipeline.enter_stage), a claim (tg_pool_claim, which runs as the tables' owner and so
    # passes here once it has applied the pool's caps and wait) or a manager.
    out.append(
        f"CREATE OR REPLACE FUNCTION {s}.{OWNERSHIP}() RETURNS trigger\n"
        f"LANGUAGE plpgsql SET search_path = {s}, pg_catalog, pg_temp AS " + dollar(
            "\nBEGIN\n"
            f"  IF NEW.owner IS DISTINCT FROM OLD.owner AND {rep} THEN\n"
            "    IF OLD.owner = current_user::text AND EXISTS (SELECT FROM stage_entry e WHERE e.client_id = NEW.id\n"
            "          AND e.left_at IS NULL AND e.stage = NEW.stage AND e.owner IS NOT DISTINCT FROM NEW.owner) THEN\n"
            "      RETURN NEW;\n    END IF;\n"
            "    RAISE EXCEPTION 'tg: ownership of client % changes only by hand-off, claim or a manager', OLD.id\n"
            "      USING ERRCODE = '42501';\n"
            "  END IF;\n  RETURN NEW;\nEND\n"))
    out.append(f"DROP TRIGGER IF EXISTS {OWNERSHIP} ON {s}.client")
    out.append(f"CREATE TRIGGER {OWNERSHIP} BEFORE UPDATE OF owner ON {s}.client "
               f"FOR EACH ROW EXECUTE FUNCTION {s}.{OWNERSHIP}()")
    # A grant (or a void) records the role that made it, whatever the client sent as its name.
    out.append(
        f"CREATE OR REPLACE FUNCTION {s}.{GRANTOR}() RETURNS trigger\n"
        "LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS " + dollar(
            "\nBEGIN\n"
            "  IF NEW.status = 'granted' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'granted') THEN\n"
            "    NEW.granted_by := current_user;\n  END IF;\n"
            "  IF NEW.status = 'voided' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'voided') THEN\n"
            "    NEW.voided_by := current_user;\n  END IF;\n"
            "  RETURN NEW;\nEND\n"))
    out.append(f"DROP TRIGGER IF EXISTS {GRANTOR} ON {s}.reward")
    out.append(f"CREATE TRIGGER {GRANTOR} BEFORE INSERT OR UPDATE ON {s}.reward "
               f"FOR EACH ROW EXECUTE FUNCTION {s}.{GRANTOR}()")
    # 查重: phone texts compared as importer.phone_key compares them (ASCII digits only, so the
    # answer does not depend on the server's locale).
    out.append(
        f"CREATE OR REPLACE FUNCTION {s}.{PHONE_KEYS}(phone text) RETURNS text[]\n"
        "LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS " + dollar(
            "\n  SELECT coalesce(array_agg(ltrim(CASE\n"
            "      WHEN p ~ '^\\s*[+]' OR d LIKE '00%' THEN regexp_replace(ltrim(d, '0'), '^86', '')\n"
            "      WHEN length(d) = 13 AND d LIKE '861%' THEN substr(d, 3) ELSE d END, '0')), '{}')\n"
            "  FROM (SELECT p, regexp_replace(regexp_replace(lower(p), '(转|ext[.]?|x|#)\\s*[0-9]{1,6}\\s*$', ''),\n"
            "                                '[^0-9]', '', 'g') AS d\n"
            "        FROM regexp_split_to_table(translate(phone, '０１２３４５６７８９＋', '0123456789+'), '[,;/、]+') AS p) a\n"
            "  WHERE length(d) BETWEEN 5 AND 15\n"))
    # The question itself: for each (key, phone keys) asked, is there a client with that key or a
    # contact with one of those phones that ``who`` cannot see? Only the ordinals of the ones that
    # are: nothing about the client, its owner or its id. ``who`` as for tg_rls_held.
    # Names go through the dedupe_key index, one probe each; phones are matched against the
    # hidden contacts' phone keys computed once (a hash join), so a whole lead list costs one
    # pass over the contacts rather than one per row, and a call without phones none.
    hidden = ("c.owner IS DISTINCT FROM who\n"
              "        AND NOT EXISTS (SELECT FROM stage_entry e WHERE e.client_id = c.id AND e.owner = who)")
    out.append(
        f"CREATE OR REPLACE FUNCTION {s}.{TAKEN}(who text, keys text[], phones text[]) RETURNS SETOF bigint\n"
        f"LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {s}, pg_catalog, pg_temp AS " + dollar(
            "\nBEGIN\n"
            "  IF NOT (who = session_user::text OR coalesce(pg_catalog.pg_has_role(session_user,\n"
            "         (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = who), 'USAGE'), false))\n"
            # only a rep is kept from rows: a manager, the tables' owner or a superuser sees them all
            f"     OR NOT coalesce(pg_catalog.pg_has_role(who, {literal(rep_group)}, 'USAGE'), false)\n"
            f"     OR coalesce(pg_catalog.pg_has_role(who, {literal(manager_group)}, 'USAGE'), false) THEN\n"
            "    RETURN;\n  END IF;\n"
            "  RETURN QUERY SELECT q.i FROM unnest(keys) WITH ORDINALITY AS q(key, i)\n"
            "    WHERE q.key <> '' AND EXISTS (SELECT FROM client c WHERE c.dedupe_key = q.key\n"
            f"        AND {hidden});\n"
            "  IF EXISTS (SELECT FROM unnest(phones) AS p(phone) WHERE coalesce(p.phone, '') <> '') THEN\n"
            "    RETURN QUERY SELECT DISTINCT q.i FROM unnest(phones) WITH ORDINALITY AS q(phone, i)\n"
            "      CROSS JOIN LATERAL unnest(string_to_array(q.phone, ',')) AS a(k)\n"
            "      JOIN (SELECT DISTINCT k.k FROM contact p JOIN client c ON c.id = p.client_id\n"
            f"              CROSS JOIN LATERAL unnest({PHONE_KEYS}(p.phone)) AS k(k)\n"
            f"            WHERE p.phone IS NOT NULL AND {hidden}) h ON h.k = a.k\n"
            "      WHERE coalesce(q.phone, '') <> '';\n"
            "  END IF;\nEND\n"))
    out.append(f"REVOKE ALL ON FUNCTION {s}.{TAKEN}(text, text[], text[]) FROM PUBLIC")
    out.append(f"GRANT EXECUTE ON FUNCTION {s}.{TAKEN}(text, text[], text[]) TO {groups}")
    out += pool_sql(s, rep_group, manager_group, groups)
    return out


def pool_sql(s: str, rep_group: str, manager_group: str, groups: str) -> list[str]:
    """tg_pool_claim(who, client, day, at): the lead pool's claim, done by the database so that a
    rep cannot take a client past the caps or inside a previous owner's wait (store.pool.claim
    calls it when it exists). It reads the caps from pool_setting (a manager's tg pool sweep
    writes the playbook's there; these defaults until then), and writes what store.pool.move_owner
    writes: the stage line, the owner, the pool_event row and the audit rows.

    ``day`` and ``at`` carry tg's clock (TG_TODAY) for a manager's what-if; a rep's claim is
    dated by the server, so moving the clock buys a rep no claims."""
    from .playbook import PoolRules

    d = PoolRules()
    rep = (f"pg_catalog.pg_has_role(session_user, {literal(rep_group)}, 'USAGE') AND NOT "
           f"pg_catalog.pg_has_role(session_user, {literal(manager_group)}, 'USAGE')")
    body = f"""
DECLARE c record; d date := day; t timestamptz := at; cap integer; ev integer;
BEGIN
  -- A rep claims for themselves (or a role they may act as), dated by the server; a manager or the
  -- tables' owner may claim in anyone's name, on tg's date.
  IF {rep} THEN
    IF NOT (who = session_user::text OR coalesce(pg_catalog.pg_has_role(session_user,
            (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = who), 'USAGE'), false)) THEN
      RAISE EXCEPTION 'tg: % may not claim in the name of %', session_user, who USING ERRCODE = '42501';
    END IF;
    d := current_date; t := pg_catalog.now();
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('tg_pool_claim:' || who));
  SELECT id, name, stage, owner, created_at INTO c FROM client WHERE id = cid FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'tg: no client %', cid USING ERRCODE = 'P0002';
  END IF;
  IF c.owner IS NOT NULL THEN
    RAISE EXCEPTION 'tg: client % is not in the pool', cid USING ERRCODE = '42501';
  END IF;
  cap := coalesce((SELECT value FROM pool_setting WHERE name = 'reclaim_wait_days'), {d.reclaim_wait_days});
  IF EXISTS (SELECT FROM pool_event e WHERE e.client_id = cid AND e.from_owner = who
             AND e.action IN ('release', 'reclaim', 'handover') AND e.day > d - cap) THEN
    RAISE EXCEPTION 'tg: client % left % less than % days ago', cid, who, cap USING ERRCODE = '42501';
  END IF;
  cap := coalesce((SELECT value FROM pool_setting WHERE name = 'claims_per_day'), {d.claims_per_day});
  IF (SELECT count(*) FROM pool_event e WHERE e.to_owner = who AND e.action = 'claim' AND e.day = d) >= cap THEN
    RAISE EXCEPTION 'tg: % claims on % already, the daily cap', cap, d USING ERRCODE = '42501';
  END IF;
  cap := coalesce((SELECT value FROM pool_setting WHERE name = 'max_held'), {d.max_held});
  IF (SELECT count(*) FROM client h WHERE h.owner = who) >= cap THEN
    RAISE EXCEPTION 'tg: % holds % clients already, the cap', who, cap USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT FROM stage_entry e WHERE e.client_id = cid) THEN
    INSERT INTO stage_entry (client_id, stage, owner, entered_at, left_at, created_by)
      VALUES (cid, c.stage, NULL, c.created_at, t, who);
  END IF;
  UPDATE stage_entry SET left_at = t WHERE client_id = cid AND left_at IS NULL;
  INSERT INTO stage_entry (client_id, stage, owner, entered_at, created_by) VALUES (cid, c.stage, who, t, who);
  UPDATE client SET owner = who, updated_at = t, updated_by = who WHERE id = cid;
  INSERT INTO pool_event (client_id, client_name, action, from_owner, to_owner, rule, day, at, "by")
    VALUES (cid, c.name, 'claim', NULL, who, 'claim', d, t, who) RETURNING id INTO ev;
  INSERT INTO audit (at, "by", table_name, row_id, client_id, action, changes) VALUES
    (t, who, 'client', cid, cid, 'update', json_build_object('owner', json_build_array(NULL, who))),
    (t, who, 'pool_event', ev, cid, 'claim',
     json_build_object('owner', json_build_array(NULL, who), 'rule', json_build_array(NULL, 'claim')));
  RETURN ev;
END
"""
    out = [f"CREATE OR REPLACE FUNCTION {s}.{CLAIM}(who text, cid integer, day date, at timestamptz) "
           f"RETURNS integer\nLANGUAGE plpgsql SECURITY DEFINER SET search_path = {s}, pg_catalog, pg_temp AS "
           + dollar(body)]
    out.append(f"REVOKE ALL ON FUNCTION {s}.{CLAIM}(text, integer, date, timestamptz) FROM PUBLIC")
    out.append(f"GRANT EXECUTE ON FUNCTION {s}.{CLAIM}(text, integer, date, timestamptz) TO {groups}")
    # The playbook's defaults until a manager's sweep writes the playbook's own.
    values = ", ".join(f"({literal(n)}, {getattr(d, n)}, pg_catalog.now(), current_user)"
                       for n in ("claims_per_day", "max_held", "reclaim_wait_days"))
    out.append(f"INSERT INTO {s}.pool_setting (name, value, updated_at, updated_by) VALUES {values} "
               "ON CONFLICT (name) DO NOTHING")
    return out


def drop_sql(schema: str, *, rep_group: str = REP_GROUP, manager_group: str = MANAGER_GROUP) -> list[str]:
    """Undo setup_sql: policies, row-level security, the trigger and function, and the groups'
    grants (so that no rep is left seeing every row). The roles stay: they belong to the server,
    not to this schema."""
    rep_group, manager_group, _, _ = check_names(rep_group=rep_group, manager_group=manager_group)
    s = ident(schema)
    out = []
    for table in COVERED:
        t = f"{s}.{ident(table)}"
        out += [f"DROP POLICY IF EXISTS {p} ON {t}" for p in POLICIES]
        out.append(f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY")
    for table in GUARDED:
        t = f"{s}.{ident(table)}"
        out += [f"DROP POLICY IF EXISTS {p} ON {t}" for p in POLICIES]
        out.append(f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY")
    out.append(f"DROP TRIGGER IF EXISTS {DEFAULT_OWNER} ON {s}.client")
    out.append(f"DROP FUNCTION IF EXISTS {s}.{DEFAULT_OWNER}()")
    out.append(f"DROP FUNCTION IF EXISTS {s}.{HELD}(text)")
    out.append(f"DROP TRIGGER IF EXISTS {OWNERSHIP} ON {s}.client")
    out.append(f"DROP FUNCTION IF EXISTS {s}.{OWNERSHIP}()")
    out.append(f"DROP TRIGGER IF EXISTS {GRANTOR} ON {s}.reward")
    out.append(f"DROP FUNCTION IF EXISTS {s}.{GRANTOR}()")
    out.append(f"DROP FUNCTION IF EXISTS {s}.{TAKEN}(text, text[], text[])")
    out.append(f"DROP FUNCTION IF EXISTS {s}.{PHONE_KEYS}(text)")
    out.append(f"DROP FUNCTION IF EXISTS {s}.{CLAIM}(text, integer, date, timestamptz)")
    for group in dict.fromkeys((rep_group, manager_group)):
        g = ident(group)
        tables = ", ".join(f"{s}.{ident(t)}" for t in (*COVERED, *SHARED, *READ_ONLY, *MANAGED))
        out.append("DO " + dollar(
            f"BEGIN\n  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {literal(group)}) THEN\n"
            f"    REVOKE ALL ON {tables} FROM {g};\n"
            f"    REVOKE ALL ON SCHEMA {s} FROM {g};\n  END IF;\nEND"))
        out.append(_sequences(schema, WITH_ID, "REVOKE ALL ON SEQUENCE", f"FROM {g}", if_role=group))
    return out


# What cli/db.py asks the server after a setup: the groups' members, and the reps who would see
# every row anyway (superuser, BYPASSRLS, or privileges of the tables' owner).
MEMBERS_SQL = """
SELECT m.rolname FROM pg_catalog.pg_auth_members a
JOIN pg_catalog.pg_roles g ON g.oid = a.roleid JOIN pg_catalog.pg_roles m ON m.oid = a.member
WHERE g.rolname = :grp ORDER BY m.rolname
"""
BYPASS_SQL = """
SELECT m.rolname, m.rolsuper, m.rolbypassrls, pg_catalog.pg_has_role(m.oid, c.relowner, 'USAGE')
FROM pg_catalog.pg_auth_members a
JOIN pg_catalog.pg_roles g ON g.oid = a.roleid JOIN pg_catalog.pg_roles m ON m.oid = a.member
CROSS JOIN pg_catalog.pg_class c
WHERE g.rolname = :grp AND c.oid = pg_catalog.to_regclass(:client)
ORDER BY m.rolname
"""


# What `tg db upgrade` reads before migrating: the roles named by setup_sql's policies on the
# tables of the schema it upgrades. No row: row-level security was never set up there (or was
# dropped).
POLICY_ROLES_SQL = """
SELECT p.policyname, r.role FROM pg_catalog.pg_policies p CROSS JOIN LATERAL unnest(p.roles) AS r(role)
WHERE p.schemaname = current_schema() AND p.policyname = ANY(:names)
ORDER BY p.tablename, p.policyname, r.role
"""


def groups_from_policies(rows: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """(rep group, manager group) as setup_sql's policies name them (rows of POLICY_ROLES_SQL:
    policy name, role); None unless every rep policy names one and the same group, and every
    manager policy another (not so: a policy edited by hand)."""
    reps, managers = set(), set()
    for policy, role in rows:
        (managers if policy == "tg_rls_manager" else reps).add(role)
    if len(reps) != 1 or len(managers) != 1:
        return None
    try:
        rep_group, manager_group, _, _ = check_names(rep_group=reps.pop(), manager_group=managers.pop())
    except UsageError:  # the same role for both, or a name setup-rls would not take
        return None
    return rep_group, manager_group


def setup_command(rep_group: str, manager_group: str) -> str:
    """The `tg db setup-rls` command line that sets up (again) what those groups had."""
    import shlex

    words = ["tg", "db", "setup-rls"]
    if rep_group != REP_GROUP:
        words += ["--rep-group", shlex.quote(rep_group)]
    if manager_group != MANAGER_GROUP:
        words += ["--manager-group", shlex.quote(manager_group)]
    return " ".join(words)
