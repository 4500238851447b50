"""Leads in and out at scale: 100,000 clients imported and exported, 10,000 call notes classified.

    python benchmarks/bulk_bench.py            # builds the data once, 5 runs each
    python benchmarks/bulk_bench.py --runs 9 --clients 100000 --leads 10000

Targets (whole-process medians, against baselines measured in the same run on the same data):

* ``tg import clients`` of the client list (validation and dedupe on)
                                     <= 10 x ``sqlite3 DB ".import --csv FILE raw"`` (a plain table)
* ``tg export clients`` of those clients
                                     <= 4  x ``sqlite3 -csv -header DB "select … from client"``
* ``tg classify --batch`` of the leads <= 3  x ``python -c "import sqlmodel"`` + 10 ms per 1,000 rows
* ``tg classify --batch --save`` of the leads, into an empty database
                                     <= 1.1 x (``tg classify --batch`` + ``tg import clients`` of the leads)
* peak memory (max RSS of the child process) of import and export <= 150 MiB

Every timed command writes to /dev/null or a throw-away file; each import starts from a copy of
the same empty database (so every run does the same work: 100k inserts, dedupe against the
database and within the file). Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import measure_rounds, run, tg_command  # noqa: E402

SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"
MIB = 1024 * 1024

# --- data -----------------------------------------------------------------------------------------

CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安", "重庆", "天津", "宁波",
          "厦门", "青岛", "长沙", "郑州", "合肥", "Beijing", "Shanghai", "Shenzhen", "Hangzhou"]
ZH_WORDS = ["华润", "远洋", "中联", "恒信", "东方", "新世纪", "瑞丰", "金桥", "长城", "海天", "鸿运", "德润", "嘉禾",
            "宏图", "天元", "博远", "安泰", "盛达", "汇通", "明德", "永和", "国信", "星河", "蓝海", "同仁", "启航"]
ZH_KINDS = ["科技", "物流", "建设", "电子", "医药", "食品", "银行", "保险", "机械", "贸易", "教育", "传媒", "能源",
            "置业", "纺织", "化工", "汽车", "通信"]
ZH_SUFFIXES = ["有限公司", "股份有限公司", "有限责任公司", "集团", "集团有限公司", ""]
ZH_PUBLIC = ["市税务局", "人民医院", "第一中学", "区人民法院", "市供电局", "职业技术学院", "市图书馆"]
EN_WORDS = ["Acme", "Blue Ocean", "Golden Bridge", "Evergreen", "Pacific", "Silk Road", "Northstar", "Harbor",
            "Summit", "Jade", "Crescent", "Lotus", "Orient", "Phoenix", "Redwood", "Skyline"]
EN_KINDS = ["Trading", "Logistics", "Electronics", "Foods", "Pharma", "Software", "Textiles", "Motors",
            "Consulting", "Hotels"]
EN_SUFFIXES = ["Co., Ltd.", "Ltd", "Inc.", "Corporation", "Limited", "LLC", ""]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
TITLES = ["经理", "主任", "科长", "主席", "总监", "处长", "老师"]
EN_PEOPLE = ["Alice Wang", "Bob Li", "Carol Zhang", "David Chen", "Emma Liu", "Frank Zhou", "Grace Wu"]
INDUSTRIES = ["政府", "医疗", "教育", "金融", "制造", "互联网", "零售", "能源", "IT", "Finance"]

HEADERS = ["单位名称", "联系人", "手机", "城市", "人数", "人均预算（元）", "行业", "备注"]


def client_name(rng: random.Random, i: int) -> str:
    """A distinct organisation name: Chinese (two in three) or English; the serial keeps it unique."""
    r = rng.random()
    if r < 0.55:
        return f"{rng.choice(CITIES[:18])}{rng.choice(ZH_WORDS)}{rng.choice(ZH_KINDS)}{i}{rng.choice(ZH_SUFFIXES)}"
    if r < 0.67:
        return f"{rng.choice(CITIES[:18])}第{i}{rng.choice(ZH_PUBLIC)}"
    suffix = rng.choice(EN_SUFFIXES)
    return f"{rng.choice(EN_WORDS)} {rng.choice(EN_KINDS)} {i}" + (f" {suffix}" if suffix else "")


def phone(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.6:
        return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
    if r < 0.8:
        n = f"{rng.randrange(10**8):08d}"
        return f"1{rng.choice('3589')}{n[:1]}-{n[1:5]}-{n[5:]}0"[:13]
    if r < 0.95:
        return f"0{rng.randrange(10, 999)}-{rng.randrange(10**7, 10**8)}"
    return f"+86 1{rng.choice('38')}{rng.randrange(10**8, 10**9)}"


def write_clients(path: Path, n: int, seed: int) -> int:
    """n data rows; about 1% repeat an earlier client (other spelling of the suffix, new phone),
    so dedupe within the file has real work. Returns the number of distinct clients."""
    rng = random.Random(seed)
    seen: list[tuple[str, str]] = []  # (name, city): a repeat names the same city, or it is another branch
    repeats = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADERS)
        for i in range(1, n + 1):
            if seen and rng.random() < 0.01:
                name, city = seen[rng.randrange(len(seen))]
                repeats += 1
            else:
                name, city = client_name(rng, i), rng.choice(CITIES)
                seen.append((name, city))
            zh = not name.isascii()
            contact = f"{rng.choice(SURNAMES)}{rng.choice(TITLES)}" if zh else rng.choice(EN_PEOPLE)
            headcount = rng.choice(["", str(rng.randrange(10, 5000)), f"{rng.randrange(10, 900)}人",
                                    f"{rng.randrange(1, 30)},{rng.randrange(100, 999)}"])
            budget = rng.choice(["", str(rng.randrange(100, 1000, 50)), f"{rng.randrange(100, 800, 50)}元", "¥300"])
            note = rng.choice(["", "", "", "展会名单", "老客户介绍", "年终慰问，给职工发", "需要开专票",
                               "thank-you gifts for clients", "Spring Festival, staff welfare"])
            w.writerow([name, contact, phone(rng), city, headcount, budget,
                        rng.choice(INDUSTRIES), note])
    return n - repeats


NOTE_PARTS_ZH = [
    "工会年终慰问，给职工发", "中秋节员工福利", "春节慰问品", "答谢客户，伴手礼", "客户单位的赠品", "促销活动用的礼品",
    "走招标，采购标准要写清楚", "要参数和质保", "办公用品集中采购", "不是发福利，而是答谢客户", "招标就不走了",
    "工会经费", "三八节女职工", "周年庆送合作伙伴", "不走招标", "新员工入职礼包",
]
NOTE_PARTS_EN = [
    "thank-you gifts for our clients", "staff welfare for Spring Festival", "year-end gifts for employees",
    "tender with technical specs", "not for staff but for our clients", "promotion giveaways",
    "union budget for the holidays", "warranty required", "corporate gifts for partners",
]


def write_leads(path: Path, n: int, seed: int) -> None:
    """A lead list: company, contact and free-text call notes in Chinese or English, with figures."""
    rng = random.Random(seed + 1)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["客户名称", "联系人", "通话备注"])
        for i in range(1, n + 1):
            if rng.random() < 0.6:
                parts = rng.sample(NOTE_PARTS_ZH, rng.randrange(1, 3))
                figures = rng.choice(["", f"{rng.randrange(20, 3000)}人", f"人均{rng.choice(['三百', '五百', '200'])}",
                                      f"{rng.randrange(50, 900)}人，每人{rng.randrange(100, 800, 50)}元",
                                      f"总预算{rng.randrange(2, 50)}万"])
                note = "，".join(parts + ([figures] if figures else []))
            else:
                parts = rng.sample(NOTE_PARTS_EN, rng.randrange(1, 3))
                figures = rng.choice(["", f"{rng.randrange(20, 3000)} people", f"budget {rng.randrange(100, 800)} per person",
                                      f"{rng.randrange(50, 900)} staff, {rng.randrange(100, 600)} each"])
                note = ", ".join(parts + ([figures] if figures else []))
            if rng.random() < 0.03:
                note = "回头再联系"  # nothing to go on: classified unknown
            w.writerow([client_name(rng, i), rng.choice(EN_PEOPLE), note])


# --- timing ---------------------------------------------------------------------------------------


def measure(make_cmd, env, runs: int, before=None) -> tuple[float, int]:
    """Median seconds and largest peak RSS over `runs` (one warm-up run first, not counted)."""
    times, peaks = [], []
    for i in range(runs + 1):
        if before:
            before()
        t, rss = run(make_cmd(), env)
        if i:
            times.append(t)
            peaks.append(rss)
    return statistics.median(times), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (printed)")
    args = parser.parse_args()

    from tuangou_cli.bulk import INSERT_COLUMNS
    from tuangou_cli.store.queries import CLIENT_COLUMNS

    tg = tg_command()
    work = Path(tempfile.mkdtemp(prefix="tg-bulkbench-"))
    empty, db, raw_db = work / "empty.db", work / "bench.db", work / "raw.db"
    env = dict(os.environ, TG_DB=str(db), TG_LANG="en", TG_USER="bench", NO_COLOR="1", HOME=str(work),
               XDG_DATA_HOME=str(work / "data"))
    env.pop("TG_PLAYBOOK", None)

    clients_csv, leads_csv = work / "clients.csv", work / "leads.csv"
    start = time.perf_counter()
    distinct = write_clients(clients_csv, args.clients, args.seed)
    write_leads(leads_csv, args.leads, args.seed)
    subprocess.run(tg + ["db", "upgrade"], env=dict(env, TG_DB=str(empty)), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"data: {args.clients:,} client rows ({distinct:,} distinct, "
          f"{clients_csv.stat().st_size / MIB:.1f} MiB), {args.leads:,} leads; built in "
          f"{time.perf_counter() - start:.1f} s")

    def fresh_db() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(empty, db)

    def fresh_raw() -> None:
        raw_db.unlink(missing_ok=True)

    py = sys.executable
    results: dict[str, float] = {}
    peaks: dict[str, int] = {}

    results["sqlite3 .import"], _ = measure(
        lambda: [SQLITE3, str(raw_db), f".import --csv {clients_csv} raw"], env, args.runs, fresh_raw)
    results["tg import clients"], peaks["tg import clients"] = measure(
        lambda: tg + ["import", "clients", str(clients_csv)], env, args.runs, fresh_db)
    # The database the last import left behind is the one exported.
    count = int(subprocess.run([SQLITE3, str(db), "select count(*) from client"], capture_output=True, text=True,
                               check=True).stdout)
    if count != distinct:
        print(f"import made {count:,} clients, expected {distinct:,}", file=sys.stderr)
        return 1
    # Not a target, a floor: the sqlite3 shell writing the very rows tg wrote into a copy of tg's
    # schema (five indexes on client, contacts, WAL) — what no Python code can go below.
    floor_db, floor_sql = work / "floor.db", work / "floor.sql"
    client_cols = ", ".join(INSERT_COLUMNS)
    contact_cols = "client_id, name, title, phone, created_at, created_by"
    subprocess.run([SQLITE3, "-csv", str(db), f"select {client_cols} from client order by id"],
                   stdout=open(work / "floor_clients.csv", "w"), check=True)
    subprocess.run([SQLITE3, "-csv", str(db), f"select {contact_cols} from contact order by id"],
                   stdout=open(work / "floor_contacts.csv", "w"), check=True)
    def nulls(cols: str) -> str:  # .import reads an empty field as '', not NULL
        return ", ".join(f"nullif({c}, '')" for c in cols.split(", "))

    floor_sql.write_text(
        "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\nPRAGMA foreign_keys=ON;\n"
        f"CREATE TEMP TABLE c ({client_cols});\nCREATE TEMP TABLE p ({contact_cols});\n"
        f".import --csv {work / 'floor_clients.csv'} c\n.import --csv {work / 'floor_contacts.csv'} p\n"
        f"BEGIN IMMEDIATE;\nINSERT INTO client ({client_cols}) SELECT {nulls(client_cols)} FROM c;\n"
        f"INSERT INTO contact ({contact_cols}) SELECT {nulls(contact_cols)} FROM p;\nCOMMIT;\n")

    def fresh_floor() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{floor_db}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(empty, floor_db)

    results["sqlite3 into tg's schema (info)"], _ = measure(
        lambda: [SQLITE3, str(floor_db), f".read {floor_sql}"], env, args.runs, fresh_floor)
    select = f"select {', '.join(CLIENT_COLUMNS)} from client order by id"
    results["sqlite3 -csv -header"], _ = measure(lambda: [SQLITE3, "-csv", "-header", str(db), select], env,
                                                 args.runs)
    results["tg export clients"], peaks["tg export clients"] = measure(lambda: tg + ["export", "clients"], env,
                                                                       args.runs)
    results["python -c 'import sqlmodel'"], _ = measure(lambda: [py, "-c", "import sqlmodel"], env, args.runs)
    # --save is the batch and the import of the same list in one process; the three take turns in
    # every round, so drift in machine speed moves the target and the command alike.
    together = measure_rounds({
        "tg classify --batch": (lambda: tg + ["classify", "--batch", str(leads_csv), "-o",
                                              str(work / "classified.csv")], None),
        "tg import clients (leads)": (lambda: tg + ["import", "clients", str(leads_csv)], fresh_db),
        "tg classify --batch --save": (lambda: tg + ["classify", "--batch", str(leads_csv), "--save", "-o",
                                                     str(work / "saved.csv")], fresh_db),
    }, env, args.runs)
    for name, (seconds, peak) in together.items():
        results[name] = seconds
        if name != "tg import clients (leads)":
            peaks[name] = peak

    load = os.getloadavg()
    print(f"tg: {' '.join(tg)}   runs: {args.runs} (median, seconds; peak RSS the largest of the runs)   "
          f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    for name, value in results.items():
        peak = f"   peak {peaks[name] / MIB:6.1f} MiB" if name in peaks else ""
        print(f"  {name:<30} {value:8.3f}{peak}")

    base_batch = 3 * results["python -c 'import sqlmodel'"] + 0.010 * args.leads / 1000
    base_save = results["tg classify --batch"] + results["tg import clients (leads)"]
    checks = [
        ("tg import clients", results["tg import clients"] / results["sqlite3 .import"], 10.0,
         "x sqlite3 .import"),
        ("tg export clients", results["tg export clients"] / results["sqlite3 -csv -header"], 4.0,
         "x sqlite3 -csv -header"),
        ("tg classify --batch", results["tg classify --batch"] / base_batch, 1.0,
         f"x (3 x import sqlmodel + {10 * args.leads / 1000:.0f} ms) = {base_batch:.3f} s"),
        ("tg classify --batch --save", results["tg classify --batch --save"] / base_save, 1.1,
         f"x (--batch + import of the leads) = {base_save:.3f} s"),
    ]
    ok = True
    print("targets:")
    for name, ratio, limit, what in checks:
        passed = ratio <= limit
        ok &= passed
        print(f"  {name:<30} {ratio:6.2f} {what:<44} (target <= {limit:g})  {'ok' if passed else 'MISSED'}")
    for name in ("tg import clients", "tg export clients"):
        mib = peaks[name] / MIB
        passed = mib <= 150
        ok &= passed
        print(f"  {name + ' peak RSS':<30} {mib:6.1f} MiB{'':<39} (target <= 150)  {'ok' if passed else 'MISSED'}")
    if args.keep:
        print(f"work directory kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
