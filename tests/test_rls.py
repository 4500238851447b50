"""Who sees what: `tg clients list --mine`, and `tg db setup-rls` on PostgreSQL."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from tuangou_cli import rls
from tuangou_cli.errors import UsageError
from tuangou_cli.models import load_all
from tuangou_cli.rawdb import current_user

from .conftest import pg_url


def ids(tg, *args: str, db: str | None = None) -> list[int]:
    where = ("--db", db) if db else ()
    return [row["id"] for row in tg.json(*where, "clients", "list", *args, "--format", "json")]


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


# --- --mine -------------------------------------------------------------------------------------------


@pytest.fixture
def line(tg, testdb, monkeypatch):
    """Five clients: mine; other's; mine, then handed on to other (I held its first stage);
    other's, handed on to third (I never held it); nobody's (a client without an owner, as one
    added before owners defaulted to their creator)."""
    def add(name: str, *opts: str) -> int:
        return int(ok(tg("clients", "add", name, *opts)).stdout)

    c = {"mine": add("市税务局", "--owner", "tester", "--city", "杭州"),
         "other": add("市人民医院", "--owner", "other", "--city", "杭州"),
         "handed": add("市一中", "--owner", "tester", "--city", "宁波"),
         "elsewhere": add("农商银行", "--owner", "other", "--city", "杭州"),
         "nobody": add("市总工会", "--city", "杭州")}
    testdb.execute("UPDATE client SET owner = NULL WHERE id = :id", id=c["nobody"])
    ok(tg("handoff", "市一中", "--to", "other", "--new-user"))
    ok(tg("handoff", "农商银行", "--to", "third", "--new-user"))
    return c


def test_mine_is_what_i_own_or_held_a_stage_of(tg, line, monkeypatch):
    assert ids(tg, "--mine") == [line["mine"], line["handed"]]
    monkeypatch.setenv("TG_USER", "other")
    assert ids(tg, "--mine") == [line["other"], line["handed"], line["elsewhere"]]
    monkeypatch.setenv("TG_USER", "nobody-at-all")
    assert ids(tg, "--mine") == []


def test_mine_in_every_format_and_with_the_other_filters(tg, line):
    csv = ok(tg("clients", "list", "--mine", "--format", "csv")).stdout.splitlines()
    assert [row.split(",")[0] for row in csv[1:]] == [str(line["mine"]), str(line["handed"])]
    table = ok(tg("clients", "list", "--mine")).stdout
    assert "市税务局" in table and "市一中" in table and "市人民医院" not in table and "农商银行" not in table
    assert ids(tg, "--mine", "--city", "杭州") == [line["mine"]]
    assert ids(tg, "--mine", "--owner", "other") == [line["handed"]]
    assert ids(tg, "--mine", "--stage", "lead") == [line["mine"]]
    assert ids(tg) == sorted(line.values()), "without --mine: everyone's"


def test_what_i_create_without_an_owner_is_mine(tg, monkeypatch):
    """tg clients add, tg classify NAME and tg refer (the referred prospect) give a new client
    without --owner to whoever creates it; an explicit --owner still wins."""
    mine = int(ok(tg("clients", "add", "市税务局")).stdout)
    theirs = int(ok(tg("clients", "add", "市人民医院", "--owner", "other")).stdout)
    ok(tg("classify", "市一中", "-a", "purpose=staff", "-a", "decision=leader", "--all"))
    ok(tg("refer", "市税务局", "市总工会", "--yes"))
    owners = {c["name"]: (c["owner"], c["created_by"]) for c in tg.json("clients", "list", "-f", "json")}
    assert owners == {"市税务局": ("tester", "tester"), "市人民医院": ("other", "tester"),
                      "市一中": ("tester", "tester"), "市总工会": ("tester", "tester")}
    assert ids(tg, "--mine") == sorted(set(ids(tg)) - {theirs}) and mine in ids(tg, "--mine")
    monkeypatch.setenv("TG_USER", "li")  # the acting user, whoever that is
    ok(tg("clients", "add", "农商银行"))
    assert [c["name"] for c in tg.json("clients", "list", "--mine", "-f", "json")] == ["农商银行"]


def test_the_user_on_postgresql_is_the_role_unless_tg_user_says(monkeypatch):
    monkeypatch.delenv("TG_USER")
    monkeypatch.delenv("PGUSER", raising=False)
    assert current_user("postgresql+psycopg://li:secret@db.example/tg") == "li"
    assert current_user("postgresql://db.example/tg?user=wang") == "wang"
    monkeypatch.setenv("PGUSER", "zhao")
    assert current_user("postgresql+psycopg://db.example/tg") == "zhao"
    login = current_user("sqlite:///tmp/tg.db")
    assert login not in ("li", "wang", "zhao") and login == current_user()
    monkeypatch.setenv("TG_USER", "boss")
    assert current_user("postgresql+psycopg://li@db.example/tg") == "boss"


# --- setup-rls: the SQL, and what is refused before connecting -------------------------------------------


def test_every_table_is_covered_or_shared_on_purpose():
    metadata = load_all()
    tables = set(metadata.tables)
    assert tables == set(rls.COVERED) | set(rls.SHARED) | set(rls.MANAGED), "a new table: decide who sees its rows (rls.py)"
    for name, table in metadata.tables.items():
        to_client = any(fk.column.table.name == "client" for fk in table.foreign_keys)
        if to_client and name not in rls.COVERED:
            assert name == "case_study", f"{name} holds client data: cover it in rls.py"


def test_role_names_are_checked_and_quoted():
    for bad in ("", "pg_admin", "a$b", "x" * 64, "public", "a\nb", "CURRENT_USER"):
        with pytest.raises(UsageError):
            rls.check_role(bad)
    for good in ("zhang.wei", "李明", 'o"brien', "Rep-1"):
        assert rls.check_role(good) == good
    assert rls.ident('o"brien') == '"o""brien"' and rls.literal("it's") == "'it''s'"
    quoted = rls.dollar("x $tg$ y")
    tag = quoted[:quoted.index("$", 1) + 1]
    assert quoted == f"{tag}x $tg$ y{tag}" and tag not in "x $tg$ y"
    with pytest.raises(UsageError):
        rls.setup_sql("s", rep_group="g", manager_group="g")
    with pytest.raises(UsageError):
        rls.setup_sql("s", reps=["tg_manager"])


def test_setup_sql_can_run_twice_and_drop_undoes_it():
    sql = rls.setup_sql("tg x", reps=["li"], managers=["boss"])
    created = [s for s in sql if s.startswith("CREATE POLICY")]
    assert len(created) >= 2 * len(rls.COVERED)
    for statement in created:
        name, table = re.match(r'CREATE POLICY (\S+) ON ("[^"]+"\."[^"]+")', statement).groups()
        assert f"DROP POLICY IF EXISTS {name} ON {table}" in sql[:sql.index(statement)]
    assert all("CREATE ROLE" not in s or "IF NOT EXISTS" in s for s in sql)
    assert not any("FORCE" in s for s in sql), "enabled, not forced: see rls.py"
    for table in rls.COVERED:
        assert f'ALTER TABLE "tg x"."{table}" ENABLE ROW LEVEL SECURITY' in sql
    dropped = rls.drop_sql("tg x")
    for table in rls.COVERED:
        assert f'ALTER TABLE "tg x"."{table}" DISABLE ROW LEVEL SECURITY' in dropped
        assert all(f"DROP POLICY IF EXISTS {p} ON \"tg x\".\"{table}\"" in dropped for p in rls.POLICIES)
    assert any("REVOKE ALL ON" in s for s in dropped), "no rep is left seeing every row"


@pytest.mark.sqlite_only("setup-rls refused for a SQLite file")
def test_setup_rls_on_sqlite_explains_in_one_line(tg, db_path):
    r = tg("db", "setup-rls")
    assert r.exit_code == 1 and "PostgreSQL" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not db_path.exists(), "asking creates no database"


@pytest.mark.no_db
def test_setup_rls_refuses_bad_names_before_connecting(tg):
    url = "postgresql+psycopg://admin:secret@nowhere.invalid/tg"
    r = tg("--db", url, "db", "setup-rls", "--rep", "pg_evil")
    assert r.exit_code == 2 and "pg_evil" in r.stderr and "secret" not in r.output
    r = tg("--db", url, "db", "setup-rls", "--drop", "--rep", "li")
    assert r.exit_code == 2 and "--drop" in r.stderr


# --- setup-rls on a real server ------------------------------------------------------------------------


def as_role(url: str, role: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=role).render_as_string(hide_password=False)


@pytest.fixture
def team():
    """A throwaway schema and five roles of our own (two reps, a manager, the two groups), all
    dropped afterwards: role names are server-wide, so each test run makes up its own."""
    from sqlalchemy import create_engine, text

    from .pgutil import pg_schema

    tag = uuid.uuid4().hex[:8]
    roles = {k: f"tgt_{tag}_{k}" for k in ("a", "b", "boss", "rep", "mgr")}
    roles["rep"] += "%"  # the driver's parameter marker, in every statement naming the group
    admin = create_engine(pg_url())
    try:
        with pg_schema() as url:
            yield url, roles
    finally:
        with admin.begin() as conn:
            for role in roles.values():
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_a_rep_sees_only_their_clients_and_a_manager_sees_all(tg, team, monkeypatch):
    from sqlalchemy import create_engine, text

    url, r = team
    groups = ["--rep-group", r["rep"], "--manager-group", r["mgr"]]
    setup = tg("--db", url, "db", "setup-rls", "--rep", r["a"], "--rep", r["b"], "--manager", r["boss"], *groups)
    assert setup.exit_code == 0, setup.stderr
    assert f"{r['a']}, {r['b']}" in setup.stderr and "created login roles" in setup.stderr
    again = ok(tg("--db", url, "db", "setup-rls", *groups))  # idempotent
    assert "created" not in again.stderr and r["a"] in again.stderr

    # The admin (a superuser here) adds clients for each rep, and a contact to B's.
    def add(name: str, owner: str) -> int:
        return int(ok(tg("--db", url, "clients", "add", name, "--owner", owner)).stdout)

    a1, b1, a2 = add("市税务局", r["a"]), add("市人民医院", r["b"]), add("市一中", r["a"])
    ok(tg("--db", url, "contacts", "add", str(b1), "王主任", "--role", "decision-maker"))
    ok(tg("--db", url, "log", str(b1), "visited", "--type", "visit"))

    # From here on tg runs as the reps and the manager: no TG_USER, the role is the user.
    monkeypatch.delenv("TG_USER")
    A, B, boss = as_role(url, r["a"]), as_role(url, r["b"]), as_role(url, r["boss"])

    # A writes its own: a client without --owner becomes A's; A hands a2 on to B and keeps it
    # through the stage it held.
    a3 = int(ok(tg("--db", A, "clients", "add", "市二中")).stdout)
    ok(tg("--db", A, "handoff", str(a2), "--to", r["b"], "--new-user"))
    ok(tg("--db", A, "contacts", "add", str(a1), "李科长", "--role", "purchaser"))

    assert ids(tg, db=A) == [a1, a2, a3]
    assert ids(tg, "--mine", db=A) == [a1, a2, a3]
    assert ids(tg, db=B) == [b1, a2]
    assert ids(tg, db=boss) == [a1, b1, a2, a3]
    assert ids(tg, "--mine", db=boss) == []
    rows = tg.json("--db", A, "clients", "list", "--format", "json")
    assert [(c["owner"], c["created_by"]) for c in rows if c["id"] == a3] == [(r["a"], r["a"])]
    csv = ok(tg("--db", A, "clients", "list", "--format", "csv")).stdout
    assert "市人民医院" not in csv and "市税务局" in csv

    # B's client does not exist for A: by id, by name, its contacts and its history.
    for args in (("clients", "show", str(b1)), ("clients", "show", "市人民医院"), ("contacts", "list", str(b1)),
                 ("history", str(b1))):
        res = tg("--db", A, *args)
        assert res.exit_code == 1 and "Traceback" not in res.output, args
    assert ok(tg("--db", boss, "clients", "show", str(b1))).stdout.count("王主任") == 1

    # Nor may A write it, or write in B's name.
    refused = tg("--db", A, "clients", "add", "农商银行", "--owner", r["b"])
    assert refused.exit_code == 1 and "row-level security" in refused.stderr
    assert "Traceback" not in refused.output
    assert tg("--db", A, "clients", "rm", str(a2), "--yes").exit_code == 1, "only the owner removes a client"

    # The same straight through SQL: a connection as A, and SET ROLE from the admin's.
    rep = create_engine(A)
    admin = create_engine(url)
    try:
        with rep.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM client WHERE id = :i"), {"i": b1}).scalar() == 0
            assert sorted(conn.execute(text("SELECT id FROM client")).scalars()) == [a1, a2, a3]
            assert conn.execute(text("SELECT count(*) FROM contact WHERE client_id = :i"), {"i": b1}).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM activity WHERE client_id = :i"), {"i": b1}).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM audit WHERE client_id = :i"), {"i": b1}).scalar() == 0
            assert conn.execute(text("UPDATE client SET notes = 'x' WHERE id = :i"), {"i": b1}).rowcount == 0
            # The helper answers for A only, not about B:
            assert list(conn.execute(text(f"SELECT {rls.HELD}(:b)"), {"b": r["b"]}).scalars()) == []
            conn.rollback()
        with admin.connect() as conn:
            conn.execute(text(f'SET ROLE "{r["a"]}"'))
            assert sorted(conn.execute(text("SELECT id FROM client")).scalars()) == [a1, a2, a3]
            conn.execute(text(f'SET ROLE "{r["boss"]}"'))
            assert sorted(conn.execute(text("SELECT id FROM client")).scalars()) == [a1, b1, a2, a3]
            conn.execute(text("RESET ROLE"))
            conn.rollback()
    finally:
        rep.dispose()
        admin.dispose()

    # A removes its own client; then --drop leaves the reps with nothing, not with everything.
    ok(tg("--db", A, "clients", "rm", str(a3), "--yes"))
    assert ids(tg, db=A) == [a1, a2]
    monkeypatch.setenv("TG_USER", "admin")
    ok(tg("--db", url, "db", "setup-rls", "--drop", *groups))
    ok(tg("--db", url, "db", "setup-rls", "--drop", *groups))
    denied = tg("--db", A, "clients", "list")
    assert denied.exit_code == 1 and "setup-rls" in denied.stderr and "Traceback" not in denied.output
    assert ids(tg, db=url) == [a1, b1, a2]


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_setup_rls_warns_of_a_rep_who_sees_everything(tg, team):
    url, r = team
    out = tg("--db", url, "db", "setup-rls", "--rep", "postgres", "--rep-group", r["rep"], "--manager-group", r["mgr"])
    assert out.exit_code == 0, out.stderr
    assert "warning: postgres" in out.stderr and "superuser" in out.stderr
    sql = ok(tg("--db", url, "db", "setup-rls", "--sql", "--rep-group", r["rep"], "--manager-group", r["mgr"]))
    assert "CREATE POLICY tg_rls_rep_read ON" in sql.stdout and json.dumps(r["rep"]) in sql.stdout


# --- tg db upgrade re-applies row-level security -------------------------------------------------------------


def test_the_groups_are_read_back_from_the_policies():
    rows = [("tg_rls_manager", "mgr"), ("tg_rls_rep", "rep"), ("tg_rls_rep_read", "rep"), ("tg_rls_rep_delete", "rep")]
    assert rls.groups_from_policies(rows) == ("rep", "mgr")
    assert rls.groups_from_policies(rows + [("tg_rls_rep", "other")]) is None, "two rep groups: ambiguous"
    assert rls.groups_from_policies(rows + [("tg_rls_manager", "boss")]) is None
    assert rls.groups_from_policies([("tg_rls_rep", "x"), ("tg_rls_manager", "x")]) is None
    assert rls.groups_from_policies([("tg_rls_rep", "rep")]) is None, "no manager policy"
    assert rls.setup_command(rls.REP_GROUP, rls.MANAGER_GROUP) == "tg db setup-rls"
    assert rls.setup_command("sales 50%", rls.MANAGER_GROUP) == "tg db setup-rls --rep-group 'sales 50%'"


def _policies(url: str, table: str) -> tuple[bool, list[tuple[str, list[str]]]]:
    """Is row-level security on for ``table``, and its policies with their roles."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            on = conn.execute(text("SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass(:t)"),
                              {"t": table}).scalar()
            rows = conn.execute(text("SELECT policyname, roles::text[] FROM pg_policies "
                                     "WHERE schemaname = current_schema() AND tablename = :t ORDER BY 1"),
                                {"t": table}).all()
        return bool(on), [(name, list(roles)) for name, roles in rows]
    finally:
        engine.dispose()


def _back_to_0003(url: str) -> None:
    """The schema as tg 0003 left it: 0004's downgrade drops the audit table, and its policies with
    it, as if row-level security had been set up before the audit trail existed."""
    from alembic import command
    from sqlalchemy import create_engine

    from tuangou_cli import migrations

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            command.downgrade(migrations.alembic_config(conn), "0003")
    finally:
        engine.dispose()


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_upgrade_re_applies_row_level_security_to_new_tables(tg, team, monkeypatch):
    from sqlalchemy import create_engine, text

    url, r = team
    groups = ["--rep-group", r["rep"], "--manager-group", r["mgr"]]
    ok(tg("--db", url, "db", "setup-rls", "--rep", r["a"], "--rep", r["b"], *groups))
    _back_to_0003(url)
    assert _policies(url, "audit") == (False, [])

    up = ok(tg("--db", url, "db", "upgrade"))
    assert "database upgraded to version" in up.stderr
    assert f"row-level security re-applied ({len(rls.COVERED)} tables, groups {r['rep']}, {r['mgr']})" in up.stderr
    assert f"as {rls.setup_command(r['rep'], r['mgr'])} would" in up.stderr
    on, policies = _policies(url, "audit")
    assert on and ("tg_rls_manager", [r["mgr"]]) in policies and ("tg_rls_rep_read", [r["rep"]]) in policies

    # The new table works as setup-rls would have made it: each rep reads its own client's audit trail only.
    a1 = int(ok(tg("--db", url, "clients", "add", "市税务局", "--owner", r["a"])).stdout)
    b1 = int(ok(tg("--db", url, "clients", "add", "市人民医院", "--owner", r["b"])).stdout)
    monkeypatch.delenv("TG_USER")
    A = as_role(url, r["a"])
    assert "市税务局" in ok(tg("--db", A, "history", str(a1))).stdout
    assert tg("--db", A, "history", str(b1)).exit_code == 1
    rep = create_engine(A)
    try:
        with rep.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit WHERE client_id = :i"), {"i": b1}).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM audit WHERE client_id = :i"), {"i": a1}).scalar() > 0
    finally:
        rep.dispose()

    # Up to date: nothing to migrate, nothing re-applied.
    again = ok(tg("--db", url, "db", "upgrade"))
    assert "row-level security" not in again.stderr


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_upgrade_without_row_level_security_sets_none_up(tg, team):
    url, _ = team
    ok(tg("--db", url, "db", "upgrade"))
    _back_to_0003(url)
    up = ok(tg("--db", url, "db", "upgrade"))
    assert "row-level security" not in up.stderr
    assert _policies(url, "audit") == (False, []) and _policies(url, "client") == (False, [])


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_upgrade_that_cannot_re_apply_says_what_to_run_and_keeps_the_upgrade(tg, team, monkeypatch):
    url, r = team
    groups = ["--rep-group", r["rep"], "--manager-group", r["mgr"]]
    ok(tg("--db", url, "db", "setup-rls", *groups))
    _back_to_0003(url)
    real = rls.setup_sql
    monkeypatch.setattr(rls, "setup_sql", lambda *a, **k: real(*a, **k)[:-1] + ["SELECT 1/0"])
    up = ok(tg("--db", url, "db", "upgrade"))
    lines = up.stderr.splitlines()
    assert lines[-1].startswith("warning: upgraded, but row-level security could not be re-applied (division by zero)")
    assert f"run {rls.setup_command(r['rep'], r['mgr'])} as the tables' owner" in lines[-1]
    assert ok(tg("--db", url, "db", "check")).stdout.count("schema version") == 1, "upgraded all the same"
    assert _policies(url, "audit") == (False, []), "the half-done re-application was rolled back"
    assert _policies(url, "client")[0], "the policies there before stay"
    monkeypatch.setattr(rls, "setup_sql", real)
    ok(tg("--db", url, "db", "setup-rls", *groups))
    assert _policies(url, "audit")[0]


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_upgrade_with_policies_naming_no_clear_groups_says_so(tg, team):
    from sqlalchemy import create_engine

    url, r = team
    ok(tg("--db", url, "db", "setup-rls", "--rep-group", r["rep"], "--manager-group", r["mgr"]))
    engine = create_engine(url)
    try:
        with engine.begin() as conn:  # a hand-made policy under tg's name, for another group
            conn.exec_driver_sql(f'CREATE ROLE "{r["a"]}" NOLOGIN')
            conn.exec_driver_sql("DROP POLICY tg_rls_rep ON contact")
            conn.exec_driver_sql(f'CREATE POLICY tg_rls_rep ON contact TO "{r["a"]}" USING (true)'.replace("%", "%%"))
    finally:
        engine.dispose()
    _back_to_0003(url)
    up = ok(tg("--db", url, "db", "upgrade"))
    last = up.stderr.splitlines()[-1]
    assert last.startswith("warning: row-level security was set up here, but its policies do not name one rep group")
    assert "tg db setup-rls --rep-group REP_GROUP --manager-group MANAGER_GROUP" in last
    assert _policies(url, "audit") == (False, [])


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_a_rep_imports_a_lead_list(tg, team, monkeypatch, tmp_path):
    """tg import as a rep: new clients become the rep's, the rep's own clients are updated (and
    the change is on the audit trail in the rep's name); other reps' clients stay out of sight."""
    url, r = team
    ok(tg("--db", url, "db", "setup-rls", "--rep", r["a"], "--rep", r["b"], "--manager", r["boss"],
          "--rep-group", r["rep"], "--manager-group", r["mgr"]))
    mine = int(ok(tg("--db", url, "clients", "add", "市税务局", "--owner", r["a"], "--headcount", "100")).stdout)
    theirs = int(ok(tg("--db", url, "clients", "add", "市人民医院", "--owner", r["b"])).stdout)
    monkeypatch.delenv("TG_USER")
    A, boss = as_role(url, r["a"]), as_role(url, r["boss"])
    path = tmp_path / "leads.csv"
    path.write_text("单位名称,人数\n市税务局,120\n农商银行,30\n", encoding="utf-8")
    res = ok(tg("--db", A, "import", "clients", str(path)))
    assert "created 1, updated 1," in res.stderr, res.stderr
    rows = {c["name"]: c for c in tg.json("--db", A, "clients", "list", "--format", "json")}
    assert set(rows) == {"市税务局", "农商银行"} and rows["农商银行"]["owner"] == r["a"]
    assert rows["市税务局"]["headcount"] == 120
    history = tg.json("--db", A, "history", str(mine), "-f", "json")
    assert (history[-1]["by"], history[-1]["changes"]) == (r["a"], {"headcount": [100, 120]})
    assert [c["id"] for c in tg.json("--db", boss, "clients", "list", "--format", "json")
            if c["name"] == "市人民医院"] == [theirs]
