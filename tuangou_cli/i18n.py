"""Every user-visible string, in Chinese and English, in one catalogue.

The language is chosen once per process (``--lang``, ``TG_LANG``, else the
locale) and kept here, like gettext's current domain: translation is needed
deep inside pure functions (reasons, pitch fallbacks) and threading a ``lang``
argument through all of them would only add noise.
"""

from __future__ import annotations

import os

LANGS = ("zh", "en")
_current = None  # type: str | None


def detect_lang(explicit: str | None = None) -> str:
    """--lang beats TG_LANG beats the locale; anything not Chinese means English."""
    for value in (explicit, os.environ.get("TG_LANG")):
        if value:
            return normalise_lang(value)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def normalise_lang(value: str) -> str:
    v = value.strip().lower().replace("_", "-")
    if v.startswith("zh") or v in ("cn", "中文"):
        return "zh"
    if v.startswith("en"):
        return "en"
    from .errors import UsageError

    raise UsageError(
        f"unknown language {value!r}: use zh or en / 未知语言 {value!r}：请用 zh 或 en"
    )


def set_lang(lang: str) -> None:
    global _current
    _current = lang


def get_lang() -> str:
    global _current
    if _current is None:
        _current = detect_lang()
    return _current


def t(key: str, **params: object) -> str:
    zh, en = CATALOGUE[key]
    text = zh if get_lang() == "zh" else en
    return text.format(**params) if params else text


def both(key: str, **params: object) -> str:
    """'中文 / English' — for help texts, which are built before --lang is parsed."""
    zh, en = CATALOGUE[key]
    return f"{zh.format(**params)} / {en.format(**params)}"


# key: (中文, English). Keep keys grouped by the module that uses them.
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- generic -------------------------------------------------------------
    "error": ("错误", "error"),
    "interrupted": ("已中断，未写入任何内容。", "Interrupted: nothing was written."),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "unknown": ("未知", "unknown"),
    "none": ("无", "none"),
    "per_head_unit": ("/人", "/head"),
    # --- help texts (shown as "中文 / English") ---------------------------------
    "help.app": (
        "团购大客户销售助手：电话中判断客户类型、准备拜访话术、记录转介绍、导出到表格",
        "Sales assistant for group-purchase key accounts: classify buyers on a call, "
        "prepare visits, record referrals, export to spreadsheets",
    ),
    "help.db": ("数据库文件路径或 SQLAlchemy URL（也可用 TG_DB）", "database file or SQLAlchemy URL (or TG_DB)"),
    "help.playbook": ("话术手册 YAML 文件（也可用 TG_PLAYBOOK）", "playbook YAML file (or TG_PLAYBOOK)"),
    "help.lang": ("界面语言 zh 或 en（也可用 TG_LANG）", "interface language zh or en (or TG_LANG)"),
    "help.format": ("输出格式", "output format"),
    "help.yes": ("不再确认，直接执行", "do not ask for confirmation"),
    "help.classify": (
        "问卷判断客户类型（办公/福利/礼品），给出理由、话术和套餐报价",
        "Questionnaire: which kind of buyer (office/welfare/gift), why, what to say, which bundle",
    ),
    "help.classify.name": ("客户名称或编号（可选；新名称会建档）", "client name or id (optional; a new name creates a client)"),
    "help.classify.answer": ("非交互回答：问题ID=值，可重复", "answer without prompting: QID=VALUE, repeatable"),
    "help.classify.answers": ("从 YAML/JSON 文件读取回答（问题ID → 值）", "read answers from a YAML/JSON file (question id → value)"),
    "help.classify.all": ("问完所有问题，不提前结束", "ask every question, do not stop early"),
    "help.classify.no_save": ("不保存客户和判断结果", "do not save the client or the classification"),
    "help.headcount": ("人数（份数）", "headcount (number of recipients)"),
    "help.budget_per_head": ("人均预算（元）", "budget per head"),
    "help.budget_total": ("总预算（元）", "total budget"),
    "help.pitch": ("为拜访准备针对性话术和最合适的套餐", "Prepare a visit: the tailored pitch and the best-fitting bundle"),
    "help.pitch.client": ("客户编号或名称", "client id or name"),
    "help.pitch.bundle": ("指定套餐代码", "use this bundle code"),
    "help.refer": ("记录转介绍：谁介绍了谁、承诺了什么", "Record a referral: who introduced whom, what was promised"),
    "help.refer.referrer": ("介绍方（已有客户编号/名称，或新名称）", "referrer (existing client id/name, or a new name)"),
    "help.refer.referred": ("被介绍方（已有客户编号/名称，或新名称）", "referred (existing client id/name, or a new name)"),
    "help.refer.contact": ("牵线联系人姓名", "the introducing contact's name"),
    "help.refer.incentive": ("对介绍方承诺的回报", "what the referrer was promised"),
    "help.note": ("备注", "note"),
    "help.referrals": ("转介绍记录", "Referral records"),
    "help.referrals.list": ("列出转介绍（可按客户筛选）", "List referrals (optionally of one client)"),
    "help.clients": ("客户档案：列表、查看、新增、修改、删除", "Clients: list, show, add, edit, remove"),
    "help.clients.list": ("列出客户", "List clients"),
    "help.clients.show": ("查看一个客户的全部信息", "Everything known about one client"),
    "help.clients.add": ("新增客户", "Add a client"),
    "help.clients.edit": ("修改客户信息", "Edit a client"),
    "help.clients.rm": ("删除客户（连同其联系人、判断记录、转介绍）", "Remove a client (with its contacts, classifications, referrals)"),
    "help.export": ("导出数据到 CSV/JSON（管道给 Excel/WPS/pandas）", "Export data as CSV/JSON (pipe into Excel/WPS/pandas)"),
    "help.export.what": ("clients、referrals 或 classifications", "clients, referrals or classifications"),
    "help.export.output": ("写入文件（默认标准输出）", "write to this file (default: stdout)"),
    "help.export.excel": ("Excel 友好：UTF-8 带 BOM、CRLF 换行", "for Excel: UTF-8 with BOM and CRLF line ends"),
    "help.export.encoding": ("输出编码，如 gb18030", "output encoding, e.g. gb18030"),
    "help.playbook_cmd": ("话术手册：检查与查看", "Playbook: check and show"),
    "help.playbook.check": ("校验话术手册（有效返回 0，无效返回 1）", "Validate a playbook (exit 0 valid, 1 invalid)"),
    "help.playbook.show": ("列出客户类型、问题和套餐", "List segments, questions and bundles"),
    "help.dbcmd": ("数据库：位置与升级", "Database: location and upgrades"),
    "help.db.path": ("显示数据存放位置", "Show where the data lives"),
    "help.db.upgrade": ("执行待处理的数据库迁移", "Apply pending schema migrations"),
    "help.filter.segment": ("按客户类型筛选", "filter by segment"),
    "help.filter.stage": ("按阶段筛选", "filter by stage"),
    "help.filter.owner": ("按负责人筛选", "filter by owner"),
    "help.filter.city": ("按城市筛选", "filter by city"),
    "help.field.name": ("单位名称", "organisation name"),
    "help.field.industry": ("行业", "industry"),
    "help.field.city": ("城市", "city"),
    "help.field.occasion": ("场合（如中秋、年终、答谢）", "occasion (e.g. mid-autumn, year-end, thank-you)"),
    "help.field.stage": ("阶段", "stage"),
    "help.field.owner": ("负责人", "owner"),
    "help.field.notes": ("备注", "notes"),
    "help.field.segment": ("客户类型代码", "segment code"),
    # --- playbook -------------------------------------------------------------
    "playbook.not_found": ("找不到话术手册文件：{path}", "playbook file not found: {path}"),
    "playbook.unreadable": ("无法读取话术手册 {path}：{reason}", "cannot read playbook {path}: {reason}"),
    "playbook.yaml_error": ("{path}:{line} YAML 语法错误：{reason}", "{path}:{line} YAML syntax error: {reason}"),
    "playbook.invalid": ("话术手册 {path} 有 {count} 处问题：", "playbook {path} has {count} problem(s):"),
    "playbook.valid": (
        "{path} 有效：{segments} 个客户类型，{questions} 个问题，{bundles} 个套餐（版本 {version}）",
        "{path} is valid: {segments} segments, {questions} questions, {bundles} bundles (version {version})",
    ),
    "playbook.heading.segments": ("客户类型", "Segments"),
    "playbook.heading.questions": ("问题", "Questions"),
    "playbook.heading.bundles": ("套餐", "Bundles"),
    # --- classify ---------------------------------------------------------------
    "classify.not_tty": (
        "标准输入不是终端，无法提问：请用 --answer 问题ID=值 或 --answers 文件 传入回答（问题ID见 tg playbook show）",
        "stdin is not a terminal, so there is no one to ask: pass answers with --answer QID=VALUE "
        "or --answers FILE (question ids: tg playbook show)",
    ),
    "classify.unknown_question": (
        "未知问题ID {qid!r}；可用的有：{ids}",
        "unknown question id {qid!r}; known ids: {ids}",
    ),
    "classify.bad_answer_syntax": ("--answer 需要 问题ID=值 的形式，收到 {raw!r}", "--answer takes QID=VALUE, got {raw!r}"),
    "classify.bad_choice": (
        "问题 {qid} 的回答 {value!r} 不在选项中；可选：{choices}",
        "answer {value!r} to {qid} is not a choice; choices: {choices}",
    ),
    "classify.bad_number": ("问题 {qid} 需要一个数字，收到 {value!r}", "{qid} needs a number, got {value!r}"),
    "classify.number_range": ("问题 {qid} 的数字应在 {low} 到 {high} 之间", "{qid} must be between {low} and {high}"),
    "classify.bad_confirm": ("问题 {qid} 需要 是/否（yes/no），收到 {value!r}", "{qid} needs yes or no, got {value!r}"),
    "classify.bad_answers_file": ("无法读取回答文件 {path}：{reason}", "cannot read answers file {path}: {reason}"),
    "classify.answers_not_mapping": (
        "回答文件 {path} 应是“问题ID: 值”的映射",
        "answers file {path} must be a mapping of question id to value",
    ),
    "classify.leading": ("目前领先：{segment}（{confidence:.0%}）", "leading: {segment} ({confidence:.0%})"),
    "classify.no_signal": (
        "回答不足以判断类型：再多问几个问题（或用 --all）",
        "the answers do not point to any kind of buyer yet: ask more questions (or use --all)",
    ),
    "classify.heading.result": ("判断结果", "Classification"),
    "classify.heading.why": ("依据", "Why"),
    "classify.heading.needs": ("需求点", "Need points"),
    "classify.heading.values": ("看重", "What they value"),
    "classify.heading.bundles": ("推荐套餐", "Recommended bundles"),
    "classify.confidence": ("把握度", "confidence"),
    "classify.reason.answer": (
        "“{question}” 答 “{answer}”：{segment} +{delta:g}",
        "“{question}” → “{answer}”: {segment} +{delta:g}",
    ),
    "classify.reason.stopped": (
        "把握度 {confidence:.0%} 已达到手册阈值 {threshold:.0%}，问了 {asked} 个问题后结束",
        "confidence {confidence:.0%} reached the playbook's threshold {threshold:.0%} after {asked} question(s)",
    ),
    "classify.reason.below": (
        "把握度 {confidence:.0%} 低于手册阈值 {threshold:.0%}：结论仅供参考，可再问几个问题",
        "confidence {confidence:.0%} is below the playbook's threshold {threshold:.0%}: "
        "treat as tentative and ask more",
    ),
    "classify.saved_new": ("已新建客户 #{id} {name}", "saved as new client #{id} {name}"),
    "classify.saved_existing": ("已更新客户 #{id} {name}，判断记录已加入历史", "updated client #{id} {name}; classification added to its history"),
    "classify.not_saved_no_name": (
        "未保存：没有客户名称（tg classify 名称 … 即可保存）",
        "not saved: no client name given (tg classify NAME … saves it)",
    ),
    "classify.ask_name": ("客户单位名称（可留空）", "client organisation name (may be empty)"),
    "classify.next": ("接下来可以：", "Next:"),
    "segment.unknown": ("未能判断", "undetermined"),
    # --- recommend --------------------------------------------------------------
    "bundle.reason.segment": ("为{segment}客户设计", "made for {segment} buyers"),
    "bundle.reason.within_budget": (
        "人均 {price}，在预算 {budget} 内（用足 {share:.0%}）",
        "{price} per head, within the {budget} budget ({share:.0%} of it)",
    ),
    "bundle.reason.within_total": ("总价 {total} 不超总预算 {budget}", "total {total} within the total budget {budget}"),
    "bundle.reason.tags": ("契合客户看重的：{tags}", "matches what they asked for: {tags}"),
    "bundle.reason.tier": ("批量价：满 {sets} 套减 {pct:g}%", "volume price: {pct:g}% off from {sets} sets"),
    "bundle.reason.services": ("附加价值：{services}", "added value: {services}"),
    "bundle.reason.no_headcount": ("人数未知，暂不计算总价", "headcount unknown, so no total yet"),
    "bundle.reason.no_budget": ("预算未知：问清人均预算再定档次", "budget unknown: ask the per-head budget to pick the tier"),
    "bundle.none_fit": (
        "没有套餐能控制在人均 {budget} 以内。",
        "No bundle fits a budget of {budget} per head.",
    ),
    "bundle.none_fit_total": (
        "没有套餐能控制在总预算 {budget} 以内。",
        "No bundle fits the total budget of {budget}.",
    ),
    "bundle.what_would": (
        "最接近的是 {bundle}：人均 {price}，需把人均预算提高到 {price}，或减少份数/精简套餐内容。",
        "The nearest is {bundle} at {price} per head: it needs the per-head budget raised to {price}, "
        "or fewer sets or a lighter bundle.",
    ),
    "bundle.none_for_segment": ("手册里没有适合该类型的套餐。", "The playbook has no bundle for this segment."),
    "bundle.col.code": ("代码", "code"),
    "bundle.col.name": ("套餐", "bundle"),
    "bundle.col.per_head": ("人均", "per head"),
    "bundle.col.quantity": ("套数", "sets"),
    "bundle.col.total": ("总价", "total"),
    "bundle.col.why": ("理由", "why"),
    # --- pitch ------------------------------------------------------------------
    "pitch.heading": ("拜访话术：{client}", "Pitch for {client}"),
    "pitch.opening": ("开场", "Opening"),
    "pitch.stated": ("明确需求（入围条件）", "Stated needs (gets you on the shortlist)"),
    "pitch.guided": ("引导需求（制胜的附加价值）", "Guided needs (the added value that wins)"),
    "pitch.objections": ("异议与应答", "Objections and answers"),
    "pitch.close": ("促成", "Close"),
    "pitch.bundle": ("推荐套餐", "Bundle to offer"),
    "pitch.not_classified": (
        "客户 #{id} {name} 还没有判断类型：先运行 tg classify {id}",
        "client #{id} {name} has not been classified yet: run tg classify {id} first",
    ),
    "pitch.unknown_bundle": ("未知套餐代码 {code!r}；可用：{codes}", "unknown bundle code {code!r}; known: {codes}"),
    "fallback.client": ("贵单位", "your organisation"),
    "fallback.headcount": ("全体", "all"),
    "fallback.occasion": ("这次", "this occasion"),
    "fallback.city": ("本地", "your city"),
    "fallback.industry": ("贵行业", "your sector"),
    "fallback.money": ("（待定）", "(to be agreed)"),
    "fallback.bundle": ("合适的套餐", "a fitting bundle"),
    "fallback.rival": ("其他供应商", "the other suppliers"),
    "fallback.contact": ("您", "you"),
    # --- store / lookup ---------------------------------------------------------
    "client.not_found": ("找不到客户 {query!r}", "no client matches {query!r}"),
    "client.not_found_close": ("找不到客户 {query!r}；相近的有：{close}", "no client matches {query!r}; closest: {close}"),
    "client.ambiguous": (
        "有 {count} 个客户匹配 {query!r}，请用编号指定：",
        "{count} clients match {query!r}; give the id instead:",
    ),
    "client.created": ("已新建客户 #{id} {name}", "created client #{id} {name}"),
    "client.updated": ("已更新客户 #{id} {name}", "updated client #{id} {name}"),
    "client.removed": ("已删除客户 #{id} {name}", "removed client #{id} {name}"),
    "client.rm_confirm": (
        "删除客户 #{id} {name}？其 {contacts} 个联系人、{classifications} 条判断记录、{referrals} 条转介绍也会删除",
        "Remove client #{id} {name}? Its {contacts} contact(s), {classifications} classification(s) "
        "and {referrals} referral(s) go with it",
    ),
    "client.nothing_to_edit": ("没有要修改的字段", "nothing to change: give at least one field option"),
    "client.bad_segment": ("未知客户类型 {code!r}；可用：{codes}", "unknown segment {code!r}; known: {codes}"),
    "client.empty_name": ("客户名称不能为空", "the client name cannot be empty"),
    "client.long_name": ("客户名称不能超过 {limit} 个字符", "a client name is at most {limit} characters"),
    "client.rm_need_yes": (
        "删除客户 #{id} {name} 需要确认：非交互时请加 --yes",
        "removing client #{id} {name} needs confirmation: add --yes when not at a terminal",
    ),
    "internal": (
        "内部错误（{kind}: {detail}）；设 TG_DEBUG=1 可看完整回溯，请报告此问题",
        "internal error ({kind}: {detail}); set TG_DEBUG=1 for the traceback, and please report it",
    ),
    "client.negative": ("{field} 不能为负数", "{field} cannot be negative"),
    "aborted": ("已取消，未做任何修改。", "Cancelled: nothing changed."),
    "field.id": ("编号", "id"),
    "field.name": ("名称", "name"),
    "field.industry": ("行业", "industry"),
    "field.city": ("城市", "city"),
    "field.headcount": ("人数", "headcount"),
    "field.budget_per_head": ("人均预算", "budget/head"),
    "field.budget_total": ("总预算", "total budget"),
    "field.occasion": ("场合", "occasion"),
    "field.segment": ("类型", "segment"),
    "field.confidence": ("把握度", "confidence"),
    "field.stage": ("阶段", "stage"),
    "field.owner": ("负责人", "owner"),
    "field.notes": ("备注", "notes"),
    "field.created": ("建档", "created"),
    "field.updated": ("更新", "updated"),
    "field.contacts": ("联系人", "Contacts"),
    "field.classifications": ("判断记录", "Classifications"),
    "field.referrals": ("转介绍", "Referrals"),
    "field.referrer": ("介绍方", "referrer"),
    "field.referred": ("被介绍方", "referred"),
    "field.contact": ("联系人", "contact"),
    "field.incentive": ("承诺回报", "incentive"),
    "field.status": ("状态", "status"),
    "field.note": ("备注", "note"),
    "field.date": ("日期", "date"),
    "field.by": ("操作人", "by"),
    "field.title": ("职务", "title"),
    "field.phone": ("电话", "phone"),
    "list.empty": ("（没有记录）", "(nothing yet)"),
    # --- referrals --------------------------------------------------------------
    "refer.self": ("不能自己介绍自己：{name}", "a client cannot refer itself: {name}"),
    "refer.already": (
        "{referred} 已由 {referrer} 介绍（{date}），功劳归第一位介绍方",
        "{referred} was already introduced by {referrer} ({date}); the first referrer keeps the credit",
    ),
    "refer.create_confirm": ("{name} 还不是客户，新建为潜在客户？", "{name} is not a client yet. Create it as a prospect?"),
    "refer.need_yes": (
        "{name} 还不是客户；非交互时请加 --yes 以新建",
        "{name} is not a client yet; add --yes to create it when not at a terminal",
    ),
    "refer.recorded": (
        "已记录转介绍 #{id}：{referrer} → {referred}",
        "recorded referral #{id}: {referrer} → {referred}",
    ),
    "status.introduced": ("已介绍", "introduced"),
    # --- export -----------------------------------------------------------------
    "export.written": ("已导出 {count} 行到 {path}", "exported {count} row(s) to {path}"),
    "export.bad_encoding": ("未知编码 {encoding!r}", "unknown encoding {encoding!r}"),
    "export.unencodable": (
        "字符 {char!r} 无法用 {encoding} 编码，导出不完整：改用 utf-8 或 gb18030",
        "{char!r} cannot be written in {encoding}, so the export is incomplete: use utf-8 or gb18030",
    ),
    "export.cannot_write": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    # --- db ---------------------------------------------------------------------
    "db.not_a_database": (
        "{path} 不是 tg 数据库（或已损坏）：换一个文件，或用 --db 指定别的位置",
        "{path} is not a tg database (or is damaged): use another file or point --db elsewhere",
    ),
    "db.newer": (
        "{path} 的数据库版本 {found} 比本程序（{known}）新：请升级 tg",
        "{path} has schema version {found}, newer than this tg knows ({known}): upgrade tg",
    ),
    "db.cannot_open": ("无法打开数据库 {path}：{reason}", "cannot open database {path}: {reason}"),
    "db.locked": (
        "数据库 {path} 正被另一个程序长时间占用，稍后再试",
        "database {path} is busy in another program for too long; try again",
    ),
    "db.readonly": ("数据库 {path} 只读，无法写入", "database {path} is read-only; cannot write"),
    "db.failed": ("数据库操作失败（{path}）：{reason}", "database operation failed ({path}): {reason}"),
    "db.upgraded": ("数据库已升级到版本 {version}", "database upgraded to version {version}"),
    "db.up_to_date": ("数据库已是最新版本 {version}", "database is up to date (version {version})"),
    "db.backup_made": ("升级前已备份到 {path}", "backed up to {path} before upgrading"),
    "db.no_driver": (
        "无法连接 {url}：缺少驱动 {module}；PostgreSQL 请安装 pip install 'tuangou-cli[postgres]'",
        "cannot use {url}: the driver {module} is not installed; for PostgreSQL: pip install 'tuangou-cli[postgres]'",
    ),
    "db.bad_url": ("无法识别的数据库地址 {url}：{reason}", "cannot use database URL {url}: {reason}"),
    # --- accounts: contacts, competitors, needs, reciprocal, pitch additions (issue 3) ---
    # --- pipeline: activities, agenda, deals, stage line, hand-offs, credit (issue 3) ---
    "help.pipe.log": ("记录一次联系（电话、拜访、信函、邮件、会议）和承诺的跟进", "Log a contact (call, visit, letter, e-mail, meeting) and the follow-up it promised"),
    "help.pipe.log.text": ("谈了什么", "what happened"),
    "help.pipe.log.type": ("联系方式：call|visit|letter|email|meeting", "kind: call|visit|letter|email|meeting"),
    "help.pipe.log.next": ("下一步要做的事（成为待跟进）", "the next step promised (becomes a follow-up)"),
    "help.pipe.log.due": ("跟进日期：2026-03-05、3-5、明天、+3（天）、+2w（周）",
                          "follow-up date: 2026-03-05, 3-5, tomorrow, +3 (days), +2w (weeks)"),
    "help.pipe.agenda": ("待办：到期的跟进（逾期在前）和久未联系的客户；done ID 关闭一条跟进",
                         "Agenda: follow-ups due (overdue first) and accounts left idle too long; done ID closes one"),
    "help.pipe.agenda.user": ("只看此人负责的", "only this person's"),
    "help.pipe.agenda.done": ("把一条跟进标为已完成", "Mark a follow-up done"),
    "help.pipe.agenda.id": ("跟进编号（tg agenda 中的编号）", "follow-up id (as shown by tg agenda)"),
    "help.pipe.deals": ("成交机会：新增、赢单、丢单、列表", "Deals: add, won, lost, list"),
    "help.pipe.deals.add": ("为客户新增一个成交机会（默认按套餐阶梯价计总价）",
                            "Add a deal for a client (the amount defaults to the bundle's tiered total)"),
    "help.pipe.deals.bundle": ("套餐代码", "bundle code"),
    "help.pipe.deals.qty": ("套数", "number of sets"),
    "help.pipe.deals.amount": ("成交金额（不填则按套数和阶梯价计算）", "amount (default: the tiered total for the sets)"),
    "help.pipe.deals.won": ("标记赢单（客户进入签单阶段）", "Mark a deal won (the client moves to the won stage)"),
    "help.pipe.deals.lost": ("标记丢单（须写原因；可把教训记入案例库）",
                             "Mark a deal lost (a reason is required; the lesson can go to the case library)"),
    "help.pipe.deals.id": ("成交机会编号", "deal id"),
    "help.pipe.deals.reason": ("丢单原因（必填）", "why it was lost (required)"),
    "help.pipe.deals.lesson": ("记入案例库的教训（不再询问）", "the lesson to file in the case library (no question asked)"),
    "help.pipe.deals.no_lesson": ("不询问教训", "do not ask for a lesson"),
    "help.pipe.deals.list": ("列出成交机会", "List deals"),
    "help.pipe.deals.status": ("按状态筛选：open|won|lost", "filter by status: open|won|lost"),
    "help.pipe.handoff": ("交接：把客户推进到下一阶段并交给新负责人，打印交接包",
                          "Hand a client on to the next stage and owner, and print the hand-off packet"),
    "help.pipe.handoff.to": ("接手人", "the next owner"),
    "help.pipe.handoff.stage": ("目标阶段（默认：下一阶段）", "target stage (default: the next one)"),
    "help.pipe.handoff.new_user": ("接手人是数据库里还没出现过的新同事", "the next owner is new to this database"),
    "help.pipe.pipeline": ("销售看板：各阶段的客户、在谈金额、停留天数", "The board: clients per stage, open deal value, days in stage"),
    "help.pipe.pipeline.limit": ("表格中每列最多显示几个客户（0 不限）", "at most this many clients per column in the table (0: all)"),
    "help.pipe.report": ("报表", "Reports"),
    "help.pipe.report.credit": ("按手册权重把赢单收入分给各阶段负责人", "Split won revenue among stage owners by the playbook's credit weights"),
    "pipe.no_stages": ("话术手册没有定义阶段（stages）", "the playbook defines no stages"),
    "pipe.no_next": ("“{stage}”之后没有下一阶段；请用 --stage 指定", "there is no stage after {stage}; give --stage"),
    "pipe.unknown_stage": ("未知阶段 {stage!r}；可用：{stages}", "unknown stage {stage!r}; known: {stages}"),
    "pipe.closest": ("；相近的有：{close}", "; closest: {close}"),
    "pipe.same_stage": ("客户已在“{stage}”阶段：交接必须进入另一个阶段，未做任何修改",
                        "the client is already in {stage}: a hand-off must move it to another stage; nothing changed"),
    "pipe.skip_forbidden": ("不能从“{current}”直接到“{stage}”：手册规定“{skipped}”不可跳过，未做任何修改",
                            "cannot go from {current} straight to {stage}: the playbook does not let {skipped} be skipped; nothing changed"),
    "pipe.lost_from": ("客户在“{stage}”阶段，已过签单，不能转入丢单", "the client is in {stage}, past the won stage: it cannot be moved to lost"),
    "pipe.reopen_only": ("丢单客户只能重新打开到签单之前的阶段，不能直接到“{stage}”",
                         "a lost client can only be reopened at a stage before won, not {stage}"),
    "pipe.skipped": ("跳过了：{stages}", "skipped: {stages}"),
    "pipe.won_skipped": ("注意：跳过了不可跳过的阶段 {stages}，这些阶段的功劳记为“无人负责”",
                         "note: this skipped {stages}, which the playbook says not to skip; their credit shows as unassigned"),
    "pipe.bad_date": ("无法识别日期 {text!r}：请用 2026-03-05、3-5、今天、明天、+3（天）或 +2w（周）",
                      "cannot read the date {text!r}: use 2026-03-05, 3-5, today, tomorrow, +3 (days) or +2w (weeks)"),
    "pipe.bad_type": ("未知联系方式 {type!r}；可用：{types}", "unknown activity type {type!r}; use {types}"),
    "pipe.empty_text": ("内容不能为空", "the text cannot be empty"),
    "pipe.empty_user": ("接手人不能为空", "the next owner cannot be empty"),
    "pipe.unknown_user": ("数据库里没有用户 {user!r}", "no user {user!r} in this database"),
    "pipe.unknown_user_close": ("数据库里没有用户 {user!r}；相近的有：{close}", "no user {user!r} in this database; closest: {close}"),
    "pipe.new_user_hint": ("（如是新同事，请加 --new-user）", " (add --new-user for someone new)"),
    "pipe.unknown_deal": ("找不到成交机会 {query!r}", "no deal {query!r}"),
    "pipe.unknown_followup": ("找不到跟进 {query!r}", "no follow-up {query!r}"),
    "pipe.unknown_bundle": ("手册里没有套餐 {code!r}", "no bundle {code!r} in the playbook"),
    "pipe.below_min": ("套餐 {bundle} 起订 {min} 套；特价请用 --amount 写明金额",
                       "bundle {bundle} is sold from {min} sets; give --amount for a special price"),
    "pipe.priced": ("{sets} 套，原价 {list}，阶梯折扣 {pct:g}%，总价 {total}", "{sets} sets: list {list}, tier discount {pct:g}%, total {total}"),
    "pipe.priced_list": ("{sets} 套，总价 {total}（未达阶梯折扣）", "{sets} sets: total {total} (no tier reached)"),
    "pipe.deal_added": ("已新增成交机会 #{id}：{client}，{bundle} × {qty}，{amount}",
                        "added deal #{id}: {client}, {bundle} × {qty}, {amount}"),
    "pipe.deal_closed": ("成交机会 #{id} 已{status}，只能处理进行中的", "deal #{id} is already {status}: only open deals can change"),
    "pipe.deal_won": ("赢单 #{id}：{client}，{amount}", "deal #{id} won: {client}, {amount}"),
    "pipe.deal_lost": ("丢单 #{id}：{client}，原因：{reason}", "deal #{id} lost: {client}, because: {reason}"),
    "pipe.lost_needs_reason": ("丢单必须写原因：--reason \"…\"，未做任何修改", "a lost deal needs a reason: --reason \"…\"; nothing changed"),
    "pipe.ask_lesson": ("把这次丢单的教训记入案例库？", "File a lesson from this loss in the case library?"),
    "pipe.ask_lesson_text": ("教训（下次怎么做）：", "The lesson (what to do next time):"),
    "pipe.case_title": ("{client}：丢单（{reason}）", "{client}: lost ({reason})"),
    "pipe.case_filed": ("已记入案例库 #{id}", "filed in the case library as #{id}"),
    "pipe.moved": ("{client} 进入“{stage}”阶段", "{client} moves to {stage}"),
    "pipe.status.open": ("进行中", "open"),
    "pipe.status.won": ("赢单", "won"),
    "pipe.status.lost": ("丢单", "lost"),
    "pipe.type.call": ("电话", "call"),
    "pipe.type.visit": ("拜访", "visit"),
    "pipe.type.letter": ("信函", "letter"),
    "pipe.type.email": ("邮件", "e-mail"),
    "pipe.type.meeting": ("会议", "meeting"),
    "pipe.logged": ("已记录 #{id}：{client}，{type}", "logged #{id}: {client}, {type}"),
    "pipe.logged_next": ("；跟进：{next}（{due}）", "; follow-up: {next} ({due})"),
    "pipe.undated": ("未定日期", "no date"),
    "pipe.followup_done": ("跟进 #{id} 已完成：{next}", "follow-up #{id} done: {next}"),
    "pipe.followup_done_already": ("跟进 #{id} 早已完成", "follow-up #{id} is already done"),
    "pipe.agenda.followups": ("待跟进", "Follow-ups"),
    "pipe.agenda.idle": ("久未联系", "Idle accounts"),
    "pipe.when.overdue": ("逾期 {days} 天", "overdue {days}d"),
    "pipe.when.today": ("今天", "today"),
    "pipe.when.upcoming": ("一周内", "this week"),
    "pipe.when.undated": ("未定日期", "no date"),
    "pipe.idle_days": ("{days} 天未联系（本阶段上限 {limit} 天）", "{days} days untouched (stage allows {limit})"),
    "pipe.col.when": ("时间", "when"),
    "pipe.col.client": ("客户", "client"),
    "pipe.col.due": ("到期", "due"),
    "pipe.col.next": ("下一步", "next step"),
    "pipe.col.idle": ("闲置", "idle"),
    "pipe.col.bundle": ("套餐", "bundle"),
    "pipe.col.qty": ("套数", "sets"),
    "pipe.col.amount": ("金额", "amount"),
    "pipe.col.reason": ("原因", "reason"),
    "pipe.col.role": ("角色", "role"),
    "pipe.col.strength": ("关系", "relationship"),
    "pipe.pk.approach": ("怎么打交道", "How to approach them"),
    "pipe.col.kind": ("类别", "kind"),
    "pipe.col.need": ("需求", "need"),
    "pipe.col.offer": ("对方方案", "their offer"),
    "pipe.col.price": ("报价", "price"),
    "pipe.col.their_strength": ("优势", "strength"),
    "pipe.col.weakness": ("弱点", "weakness"),
    "pipe.col.type": ("方式", "type"),
    "pipe.col.text": ("内容", "what happened"),
    "pipe.col.entered": ("进入", "entered"),
    "pipe.col.left": ("离开", "left"),
    "pipe.col.credited": ("分得", "credited"),
    "pipe.col.share": ("占比", "share"),
    "pipe.need.stated": ("明确需求", "stated"),
    "pipe.need.guided": ("引导需求", "guided"),
    "pipe.pk.title": ("交接包：{client}", "Hand-off packet: {client}"),
    "pipe.pk.client": ("客户", "client"),
    "pipe.pk.move": ("阶段", "stage"),
    "pipe.pk.owner": ("负责人", "owner"),
    "pipe.pk.won_revenue": ("已赢单收入", "won revenue"),
    "pipe.pk.contacts": ("联系人与关系", "Contacts and relationships"),
    "pipe.pk.needs": ("需求点", "Needs"),
    "pipe.pk.competitors": ("竞争对手", "Competitors"),
    "pipe.pk.promises": ("未兑现的承诺（待跟进）", "Open promises (follow-ups)"),
    "pipe.pk.activities": ("最近的联系", "Last activities"),
    "pipe.pk.deals": ("成交机会", "Deals"),
    "pipe.pk.stages": ("阶段记录", "Stage history"),
    "pipe.handed": ("已交接 #{id} {client}：进入“{stage}”，负责人 {to}", "handed #{id} {client} on: now in {stage}, owned by {to}"),
    "pipe.unassigned": ("（无人负责）", "(unassigned)"),
    "pipe.age": ("{days} 天", "{days}d"),
    "pipe.more": ("……还有 {n} 个", "… {n} more"),
    "pipe.board_total": ("共 {clients} 个客户，在谈金额 {value}", "{clients} clients, open deals worth {value}"),
    "pipe.credit_total": ("{deals} 笔赢单，合计 {total}", "{deals} won deal(s), {total} in all"),
    "pipe.credit_unassigned_note": ("“无人负责”：该阶段没有记录负责人（被跳过或尚未到达）",
                                    "(unassigned): no one owned that stage (skipped, or not reached yet)"),
    # --- library: cases, reports, demo data (issue 3) ---
}
