"""What the order, invoice and payment tests share: a welfare client with its 开票信息, an order
from an accepted quote, and checks of one-line errors."""

from __future__ import annotations

CODE = "91330100MA2B0AB123"  # a credit code in real format whose check character is right
DEPARTMENTS = [("院办", 18), ("医务处", 22), ("护理部", 95), ("内科", 60), ("外科", 48), ("药剂科", 25),
               ("后勤保障处", 20), ("财务处", 12)]  # 300 people


def ok(tg, *args):
    r = tg(*args)
    assert r.exit_code == 0, (args, r.stderr)
    return r


def one_line_error(r, code: int = 1) -> str:
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    assert r.stderr.startswith("tg: ") and r.stderr.count("\n") == 1, r.stderr
    return r.stderr


def client(tg, name="杭州市某医院", *, headcount=300, segment="welfare", kind=None, industry=None) -> int:
    args = ["clients", "add", "--headcount", str(headcount), "--segment", segment]
    if industry:
        args += ["--industry", industry]
    cid = int(ok(tg, *args, "--", name).stdout)
    info = ["invoice", "info", str(cid), "--title", name, "--credit-code", CODE, "--address", "杭州市某路 1 号"]
    if kind:
        info += ["--kind", kind]
    ok(tg, *info)
    return cid


def order(tg, cid: int, *extra: str, bundle: str = "mid_autumn_box") -> int:
    """An order for ``cid`` through a quote the buyer accepted."""
    number = ok(tg, "quote", str(cid), "--bundle", bundle).stdout.split()[0]
    return int(ok(tg, "quote", "accept", number, *extra).stdout)


def total(tg, oid: int) -> str:
    return tg.json("order", "show", str(oid), "--format", "json")["total"]


def write_departments(path, rows, headers=("部门", "人数")) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("部门人数")
    sheet.write_row(0, 0, headers)
    for n, row in enumerate(rows, 1):
        sheet.write_row(n, 0, row)
    book.close()
