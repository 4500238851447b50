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
    "help.export.what": ("clients、referrals、classifications 或 rewards", "clients, referrals, classifications or rewards"),
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
    "help.field.parent": ("上级单位（集团、总行、总院）", "parent organisation (group, head office)"),
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
    "client.parent_loop": (
        "{parent} 不能做 {name} 的上级：会形成循环", "{parent} cannot be the parent of {name}: that would make a loop"),
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
    "status.contacted": ("已联系", "contacted"),
    "status.meeting": ("已见面", "meeting"),
    "status.won": ("已成交", "won"),
    "status.lost": ("未成交", "lost"),
    "refer.same_group": (
        "{referrer} 和 {referred} 属于同一集团，集团内部互相介绍不计转介绍",
        "{referrer} and {referred} belong to the same group: introductions within a group do not count",
    ),
    "refer.cycle": (
        "{referred} 已经（直接或间接）介绍了 {referrer}，不能反过来再介绍，否则形成循环",
        "{referred} already introduced {referrer} (directly or through others): referring back would make a cycle",
    ),
    "refer.unknown_incentive": ("未知激励规则 {code!r}；可用：{codes}", "unknown incentive rule {code!r}; known: {codes}"),
    "refer.bad_status": ("未知状态 {status!r}；可用：{statuses}", "unknown status {status!r}; use one of {statuses}"),
    "refer.same_status": ("转介绍 #{id} 已经是 {status}", "referral #{id} is already {status}"),
    "refer.backwards": (
        "转介绍 #{id} 不能从 {current} 退回 {new}（确需更正请加 --force）",
        "referral #{id} cannot go back from {current} to {new} (add --force to correct a mistake)",
    ),
    "refer.not_found": ("找不到转介绍 #{id}", "no referral #{id}"),
    "refer.status_set": ("转介绍 #{id}：{old} → {new}", "referral #{id}: {old} → {new}"),
    "refer.converted": (
        "转介绍 #{id} 已转化，介绍方奖励 #{reward} 应付 {amount}",
        "referral #{id} converted: reward #{reward} of {amount} is now due to the referrer",
    ),
    "reward.reason_lost": ("转介绍未成交", "the referral was lost"),
    "reward.reason_window": ("超出 {days} 天转化期", "converted after the {days}-day window"),
    "reward.not_found": ("找不到奖励 #{id}", "no reward #{id}"),
    "reward.not_due": (
        "奖励 #{id} 当前是 {status}，只有“应付”(due) 的奖励才能发放",
        "reward #{id} is {status}; only a due reward can be granted",
    ),
    "reward.need_reason": ("作废需要说明原因（--reason）", "voiding needs a reason (--reason)"),
    "reward.cannot_void": ("奖励 #{id} 是 {status}，不能作废", "reward #{id} is {status} and cannot be voided"),
    "reward.already_reversed": ("奖励 #{id} 已由 #{by} 冲销", "reward #{id} was already reversed by #{by}"),
    "reward.granted": ("奖励 #{id} 已发放：{amount}", "reward #{id} granted: {amount}"),
    "reward.voided": ("奖励 #{id} 已作废", "reward #{id} voided"),
    "reward.reversed": (
        "奖励 #{id} 已发放过，不修改；已记一笔冲销 #{new}：{amount}",
        "reward #{id} was already granted, so it stays; reversing entry #{new} of {amount} added",
    ),
    "reward.balance": ("{name}：应付 {due}，已发放 {granted}", "{name}: due {due}, granted {granted}"),
    "tree.none": ("{name} 还没有{direction}的转介绍", "{name} has no referrals {direction}"),
    "tree.below": ("下游", "below"),
    "tree.above": ("上游", "above"),
    "tree.won": ("成交 {value}，本支合计 {branch}", "won {value}, branch total {branch}"),
    "help.referrals.status": ("推进转介绍状态：introduced|contacted|meeting|won|lost", "Move a referral on: introduced|contacted|meeting|won|lost"),
    "help.referrals.tree": ("画出某客户之下（--up 为之上）的转介绍链", "Draw the referral tree below a client (--up: the chain above)"),
    "help.referrals.report": ("转介绍报表：谁介绍得最好、转化率、奖励", "Referral report: top referrers, conversion, rewards"),
    "help.rewards": ("转介绍奖励台账：查看、发放、作废", "Referral rewards ledger: list, grant, void"),
    "help.rewards.list": ("列出奖励（--due 只看应付）", "List rewards (--due: only those owed)"),
    "help.rewards.grant": ("发放一笔应付奖励", "Grant a due reward"),
    "help.rewards.void": ("作废奖励；已发放的会记一笔冲销", "Void a reward; a granted one gets a reversing entry"),
    "help.refer.rule": ("激励规则代码（见 playbook 的 referrals.incentives）", "incentive rule code (playbook referrals.incentives)"),
    "help.refer.uncredited": ("只记录，不计功劳（该客户已有介绍方时）", "record without credit (when the client already has a referrer)"),
    "reward.status.pending": ("待转化", "pending"),
    "reward.status.due": ("应付", "due"),
    "reward.status.granted": ("已发放", "granted"),
    "reward.status.voided": ("已作废", "voided"),
    "rep.referrer_id": ("编号", "id"),
    "rep.referrer": ("介绍方", "referrer"),
    "rep.segment": ("类型", "segment"),
    "rep.owner": ("负责人", "owner"),
    "rep.introduced": ("介绍数", "introduced"),
    "rep.converted": ("转化数", "converted"),
    "rep.conversion_rate": ("转化率", "conversion"),
    "rep.converted_value": ("转化金额", "converted value"),
    "rep.median_days_to_convert": ("转化天数中位", "median days"),
    "rep.rewards_due": ("应付奖励", "rewards due"),
    "rep.rewards_granted": ("已发奖励", "rewards granted"),
    "rep.amount": ("金额", "amount"),
    "help.report.by": ("按介绍方、类型或负责人汇总", "group by referrer, segment or owner"),
    "help.report.top": ("只列前 N 名（0 为全部）", "only the top N rows (0: all)"),
    "help.force": ("强制（更正错误时用）", "force it (to correct a mistake)"),
    "help.reason": ("原因", "reason"),
    "help.depth": ("最多几层", "how many levels at most"),
    "help.up": ("看上游（谁介绍了它）", "show the chain above (who introduced it)"),
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
    "db.migration_fk": (
        "升级 {path} 会破坏 {count} 处外键关联，已回滚，数据未改动",
        "upgrading {path} would break {count} foreign key reference(s); rolled back, nothing changed",
    ),
    "db.upgraded": ("数据库已升级到版本 {version}", "database upgraded to version {version}"),
    "db.up_to_date": ("数据库已是最新版本 {version}", "database is up to date (version {version})"),
    "db.backup_made": ("升级前已备份到 {path}", "backed up to {path} before upgrading"),
    "db.no_driver": (
        "无法连接 {url}：缺少驱动 {module}；PostgreSQL 请安装 pip install 'tuangou-cli[postgres]'",
        "cannot use {url}: the driver {module} is not installed; for PostgreSQL: pip install 'tuangou-cli[postgres]'",
    ),
    "db.bad_url": ("无法识别的数据库地址 {url}：{reason}", "cannot use database URL {url}: {reason}"),
    # --- accounts: contacts, competitors, needs, reciprocal, pitch additions (issue 3) ---
    "help.acct.contacts": ("联系人：新增、列表、修改、关系强度", "Contacts: add, list, edit, relationship strength"),
    "help.acct.contacts.add": ("为客户新增联系人（角色、职务、电话、关系强度）",
                               "Add a contact at a client (role, title, phone, relationship strength)"),
    "help.acct.contacts.list": ("列出客户的联系人", "List a client's contacts"),
    "help.acct.contacts.edit": ("修改联系人", "Edit a contact"),
    "help.acct.contacts.strength": ("记录关系强度变化（1–5，带日期和缘由）",
                                    "Record a change of relationship strength (1–5, dated, with why)"),
    "help.acct.contact": ("联系人编号，或 客户/姓名", "contact id, or CLIENT/NAME"),
    "help.acct.contact_name": ("联系人姓名", "the contact's name"),
    "help.acct.role": ("角色：decision-maker（拍板人）、purchaser（采购经办）、user（使用人）、influencer（影响人）、"
                       "gatekeeper（把关人）",
                       "role: decision-maker, purchaser, user, influencer or gatekeeper"),
    "help.acct.title": ("职务", "job title"),
    "help.acct.phone": ("电话", "phone"),
    "help.acct.strength": ("关系强度 1–5（5 最强）", "relationship strength 1–5 (5 strongest)"),
    "help.acct.strength_note": ("缘由，如“投标后一起吃了饭”", "why, e.g. 'dinner after the tender'"),
    "help.acct.competitors": ("竞争对手：新增、列表", "Competitors: add, list"),
    "help.acct.competitors.add": ("记录一个竞争对手和它的报价、长处、短处",
                                  "Record a rival supplier: its offer, price, strength, weakness"),
    "help.acct.competitors.list": ("列出客户的竞争对手", "List a client's competitors"),
    "help.acct.rival_name": ("竞争对手名称", "the rival's name"),
    "help.acct.offer": ("对方报的方案", "what they offer"),
    "help.acct.price": ("对方报价（人均/每套）", "their price (per head / per set)"),
    "help.acct.rival_strength": ("对方长处", "what they are good at"),
    "help.acct.rival_weakness": ("对方短处（与手册的定位规则匹配）",
                                 "what they are weak at (matched against the playbook's positioning rules)"),
    "help.acct.needs": ("需求点：明确需求与引导需求", "Need points: stated and guided"),
    "help.acct.needs.add": ("记录一条需求：--stated 明确需求（入围）或 --guided 引导需求（制胜）",
                            "Record a need: --stated (gets you shortlisted) or --guided (added value that wins)"),
    "help.acct.needs.list": ("列出客户的需求点", "List a client's needs"),
    "help.acct.need_text": ("需求内容", "the need"),
    "help.acct.need_kind": ("明确需求（--stated）或引导需求（--guided）", "stated (--stated) or guided (--guided)"),
    "help.acct.reciprocal": ("互惠采购：我们也买客户的产品", "Reciprocal deals: we buy from our client too"),
    "help.acct.reciprocal.add": ("记录我们向客户买了什么、多少钱", "Record what we bought from a client, and for how much"),
    "help.acct.reciprocal.list": ("列出互惠采购（可按客户筛选）", "List reciprocal deals (optionally of one client)"),
    "help.acct.we_buy": ("我们买的东西（如保险、购物卡）", "what we buy from them (e.g. insurance, cards)"),
    "help.acct.amount": ("金额", "amount"),
    "help.acct.date": ("日期 YYYY-MM-DD（默认今天）", "date YYYY-MM-DD (default: today)"),
    "acct.bad_strength": ("关系强度须在 {low} 到 {high} 之间，收到 {value}；未写入任何内容",
                          "strength must be from {low} to {high}, got {value}; nothing was written"),
    "acct.bad_date": ("无法识别日期 {value!r}：请用 YYYY-MM-DD，如 2026-03-08；未写入任何内容",
                      "cannot read the date {value!r}: use YYYY-MM-DD, e.g. 2026-03-08; nothing was written"),
    "acct.bad_role": ("未知角色 {value!r}；可用：{roles}", "unknown role {value!r}; known: {roles}"),
    "acct.empty": ("{what} 不能为空", "{what} cannot be empty"),
    "acct.too_long": ("{what} 不能超过 {limit} 个字符", "{what} is at most {limit} characters"),
    "acct.contact_not_found": ("找不到联系人 {query!r}", "no contact matches {query!r}"),
    "acct.contact_not_found_close": ("找不到联系人 {query!r}；相近的有：{close}",
                                     "no contact matches {query!r}; closest: {close}"),
    "acct.contact_ambiguous": ("有 {count} 个联系人匹配 {query!r}，请用编号或 客户/姓名 指定：",
                               "{count} contacts match {query!r}; give the id or CLIENT/NAME instead:"),
    "acct.contact_added": ("已新增联系人 #{id} {name}（{client}）", "added contact #{id} {name} at {client}"),
    "acct.contact_updated": ("已更新联系人 #{id} {name}", "updated contact #{id} {name}"),
    "acct.nothing_to_edit": ("没有要修改的字段", "nothing to change: give at least one option"),
    "acct.strength_set": ("联系人 #{id} {name} 的关系强度：{before} → {after}（已记入历史）",
                          "contact #{id} {name}: strength {before} → {after} (kept in its history)"),
    "acct.competitor_added": ("已记录竞争对手 #{id} {name}（{client}）", "recorded competitor #{id} {name} at {client}"),
    "acct.need_kind_missing": ("请指明 --stated（明确需求）或 --guided（引导需求）",
                               "say which kind: --stated or --guided"),
    "acct.need_added": ("已记录{kind} #{id}：{text}（{client}）", "recorded {kind} need #{id}: {text} ({client})"),
    "acct.need_exists": ("{kind} #{id} 已记录过：{text}（{client}），未重复写入",
                         "{kind} need #{id} is already recorded: {text} ({client}); nothing added"),
    "acct.field.need": ("需求内容", "the need"),
    "acct.kind.stated": ("明确需求", "stated"),
    "acct.kind.guided": ("引导需求", "guided"),
    "acct.source.manual": ("手动", "by hand"),
    "acct.source.classify": ("问卷", "questionnaire"),
    "acct.reciprocal_added": ("已记录互惠采购 #{id}：向 {client} 买了 {what}，{amount}",
                              "recorded reciprocal deal #{id}: bought {what} from {client} for {amount}"),
    "acct.balance": ("对方向我们签单 {revenue}，我们向对方采购 {bought}，差额 {net}",
                     "they bought {revenue} from us (won deals), we bought {bought} from them: net {net}"),
    "acct.role.decision-maker": ("拍板人", "decision-maker"),
    "acct.role.purchaser": ("采购经办人", "purchaser"),
    "acct.role.user": ("使用人", "user"),
    "acct.role.influencer": ("影响人", "influencer"),
    "acct.role.gatekeeper": ("把关人", "gatekeeper"),
    "acct.col.id": ("编号", "id"),
    "acct.col.name": ("名称", "name"),
    "acct.col.role": ("角色", "role"),
    "acct.col.title": ("职务", "title"),
    "acct.col.phone": ("电话", "phone"),
    "acct.col.strength": ("关系强度", "strength"),
    "acct.col.offer": ("对方方案", "offer"),
    "acct.col.price": ("对方报价", "price"),
    "acct.col.weakness": ("短处", "weakness"),
    "acct.col.kind": ("类别", "kind"),
    "acct.col.text": ("需求", "need"),
    "acct.col.source": ("来源", "source"),
    "acct.col.created_at": ("日期", "date"),
    "acct.col.date": ("日期", "date"),
    "acct.col.client": ("客户", "client"),
    "acct.col.we_buy": ("我们采购", "we buy"),
    "acct.col.amount": ("金额", "amount"),
    "acct.col.created_by": ("操作人", "by"),
    "acct.heading.competitors": ("竞争对手", "Competitors"),
    "acct.heading.needs": ("需求点", "Needs"),
    "acct.heading.reciprocal": ("互惠采购", "Reciprocal deals"),
    "acct.pitch.dm": ("拍板人", "Decision-maker"),
    "acct.pitch.dm_line": ("{name}{title}，关系强度 {strength}", "{name}{title}, relationship strength {strength}"),
    "acct.pitch.dm_others": ("另有拍板人：{names}", "other decision-makers: {names}"),
    "acct.pitch.dm_none": (
        "还没记录拍板人：先弄清谁说了算（tg contacts add 客户 姓名 --role decision-maker）",
        "no decision-maker recorded yet: find out who decides (tg contacts add CLIENT NAME --role decision-maker)",
    ),
    "acct.pitch.approach": ("接触方式（手册）：{text}", "approach (playbook): {text}"),
    "acct.pitch.why_us": ("为什么选我们而不是{rival}", "Why us over {rival}"),
    "acct.pitch.rule_phrase": ("手册定位规则：对方短处/方案里有“{phrase}”", "playbook rule: their weakness/offer mentions “{phrase}”"),
    "acct.pitch.rule_segment": ("手册定位规则：按客户类型", "playbook rule for this kind of buyer"),
    "acct.pitch.rule_any": ("手册通用定位规则", "the playbook's general positioning rule"),
    "acct.pitch.their_offer": ("对方方案：{offer}，报价 {price}", "their offer: {offer} at {price}"),
    "acct.pitch.their_offer_only": ("对方方案：{offer}", "their offer: {offer}"),
    "acct.pitch.their_strength": ("对方长处：{text}", "their strength: {text}"),
    "acct.pitch.their_weakness": ("对方短处：{text}", "their weakness: {text}"),
    "acct.pitch.we_dearer": ("我们人均 {ours}，贵 {diff}：用 {services} 项附加服务讲清多出来的价值",
                             "ours is {ours} per head, {diff} dearer: show what the {services} added service(s) give"),
    "acct.pitch.we_cheaper": ("我们人均 {ours}，便宜 {diff}", "ours is {ours} per head, {diff} cheaper"),
    "acct.pitch.we_same": ("我们人均 {ours}，价格持平：比服务", "ours is {ours} per head, the same price: compete on service"),
    "acct.pitch.needs": ("该套餐满足的需求", "Needs this bundle meets"),
    "acct.pitch.need_met": ("✓ {need}（{why}）", "✓ {need} ({why})"),
    "acct.pitch.need_open": ("✗ {need}：本套餐未覆盖，当面回应或换套餐", "✗ {need}: not covered by this bundle — answer it in person or change the bundle"),
    "acct.pitch.need_adds": ("+ 附加价值（引导需求）：{text}", "+ added value (guided need): {text}"),
    "acct.pitch.guided_open": ("… 已记录的引导需求，本套餐未含：{text}", "… recorded guided need this bundle lacks: {text}"),
    "acct.pitch.need_by_tag": ("套餐标签 {tags}", "bundle tag {tags}"),
    "acct.pitch.need_by_text": ("套餐内容提到", "named in the bundle"),
    "acct.pitch.no_needs": ("还没记录需求：tg needs add 客户 内容 --stated", "no needs recorded yet: tg needs add CLIENT TEXT --stated"),
    "acct.pitch.leverage": ("互惠筹码", "Reciprocal leverage"),
    "acct.pitch.leverage_owed": (
        "我们已向对方采购 {bought}（{what}），对方向我们签单 {revenue}：我们是对方的大客户，可以请对方投桃报李（差 {net}）",
        "we have bought {bought} from them ({what}) against {revenue} they bought from us: we are their bigger "
        "customer — ask them to return the favour ({net} the gap)",
    ),
    "acct.pitch.leverage_even": (
        "我们向对方采购 {bought}（{what}），对方向我们签单 {revenue}：提一句双方互为客户，关系更稳",
        "we bought {bought} from them ({what}); they bought {revenue} from us: mention that we are each other's "
        "customer",
    ),
    "acct.pitch.case": ("成功案例（佐证）", "Proof case"),
    "acct.pitch.case_decided": ("拍板：{text}", "decided by: {text}"),
    "acct.pitch.case_technique": ("做法：{text}", "what worked: {text}"),
    "acct.pitch.case_same_segment": ("同类客户", "same kind of buyer"),
    "acct.pitch.case_same_industry": ("同行业", "same industry"),
    "acct.pitch.case_why": ("案例 #{id}，{match}，{date}", "case #{id}: {match}, {date}"),
    "acct.pitch.introduced": ("转介绍（最好的开场）", "Introduced by (the strongest opener)"),
    "acct.pitch.introduced_line": (
        "{referrer}{via}于 {date} 引荐：开口先提这层关系，并代为问候",
        "{referrer}{via} introduced you on {date}: open with that, and pass on their regards",
    ),
    "acct.pitch.via": ("的{contact}{extra}", " through {contact}{extra}"),
    # --- pipeline: activities, agenda, deals, stage line, hand-offs, credit (issue 3) ---
    # --- library: cases, reports, demo data (issue 3) ---
    # --- notes ------------------------------------------------------------------
    "notes.help.notes": (
        "按通话备注判断（中文或英文；- 表示从标准输入读取）；可与 --answer 同用",
        "classify from call notes (Chinese or English; - reads stdin); combines with --answer",
    ),
    "notes.help.batch": (
        "批量判断一个线索表（csv/xlsx），每行加上类型、把握度、理由、推荐套餐和总价",
        "classify a lead list (csv/xlsx): each row gets segment, confidence, reasons, best bundle and total",
    ),
    "notes.help.output": (
        "批量结果写入文件（.xlsx 结尾则写 Excel；默认标准输出 CSV）",
        "write the batch result to this file (.xlsx for Excel; default: CSV on stdout)",
    ),
    "notes.help.notes_column": ("备注所在的列名（默认自动识别）", "the column holding the notes (default: detected)"),
    "notes.help.sheet": ("xlsx 的工作表名（有多个时必填）", "the xlsx sheet to read (needed when there are several)"),
    "notes.list_sep": ("、", ", "),
    "notes.reason.phrases": ("备注提到{phrases}：{segment} +{delta:g}", "the notes mention {phrases}: {segment} +{delta:g}"),
    "notes.reason.negated": ("备注里“{quote}”是否定说法，不计分", "the notes say “{quote}”, a negation: not counted"),
    "notes.reason.negated_counts": (
        "备注里“{quote}”是否定说法，反向计分：{effect}",
        "the notes say “{quote}”, a negation, which counts against: {effect}",
    ),
    "notes.reason.tags": ("备注提到{phrases}：套餐优先考虑 {tags}", "the notes mention {phrases}: bundles with {tags} first"),
    "notes.reason.nothing": (
        "备注里没有手册认得的说法，无从判断，不做猜测",
        "nothing in the notes matches a phrase in the playbook, so there is nothing to go on and no guess is made",
    ),
    "notes.reason.empty": ("备注是空的", "the notes are empty"),
    "notes.reason.unknown": (
        "判断不出客户类型：先按问卷问几个问题（tg classify），再报套餐",
        "no kind of buyer stands out: run the questionnaire (tg classify) before offering a bundle",
    ),
    "notes.reason.stopped": (
        "仅凭备注，把握度 {confidence:.0%}，已达到手册阈值 {threshold:.0%}",
        "from the notes alone, confidence {confidence:.0%} reaches the playbook's threshold {threshold:.0%}",
    ),
    "notes.reason.below": (
        "仅凭备注，把握度 {confidence:.0%}，低于手册阈值 {threshold:.0%}：结论仅供参考，电话里再确认",
        "from the notes alone, confidence {confidence:.0%} is below the playbook's threshold {threshold:.0%}: "
        "tentative, confirm on the call",
    ),
    "notes.reason.figures": ("从备注读出：{figures}", "taken from the notes: {figures}"),
    "notes.figure.headcount": ("人数 {n}（“{quote}”）", "headcount {n} (“{quote}”)"),
    "notes.figure.per_head": ("人均预算 {money}（“{quote}”）", "budget per head {money} (“{quote}”)"),
    "notes.figure.total": ("总预算 {money}（“{quote}”）", "total budget {money} (“{quote}”)"),
    "notes.stdin_tty": (
        "从终端读取备注：输入完按 Ctrl-D（Windows 上 Ctrl-Z 回车）",
        "reading notes from the terminal: end with Ctrl-D (Ctrl-Z Enter on Windows)",
    ),
    "notes.batch_conflict": (
        "--batch 不能与 {option} 同用：每行的备注和表里的人数、预算就是它的输入",
        "--batch cannot be combined with {option}: each row's notes and figures are its input",
    ),
    "notes.needs_batch": ("{option} 只能与 --batch 同用", "{option} only works with --batch"),
    "notes.batch.not_found": ("找不到文件：{path}", "file not found: {path}"),
    "notes.batch.unreadable": ("无法读取 {path}：{reason}", "cannot read {path}: {reason}"),
    "notes.batch.empty": ("{path} 是空的：没有表头", "{path} is empty: no header row"),
    "notes.batch.not_text": (
        "{path} 不像 CSV 文件（含二进制内容）；Excel 文件请用 .xlsx 扩展名",
        "{path} does not look like a CSV file (binary content); give an Excel file the .xlsx extension",
    ),
    "notes.batch.bad_encoding": (
        "{path} 的编码无法识别（试过 UTF-8 和 GB18030）",
        "cannot decode {path} (tried UTF-8 and GB18030)",
    ),
    "notes.batch.bad_csv": ("{path} 第 {line} 行无法解析：{reason}", "{path} line {line}: {reason}"),
    "notes.batch.bad_xlsx": ("{path} 不是有效的 xlsx 文件：{reason}", "{path} is not a valid xlsx file: {reason}"),
    "notes.batch.unsupported": (
        "{path}：只支持 .csv、.tsv、.txt 和 .xlsx（旧的 .xls 请先另存为 .xlsx）",
        "{path}: only .csv, .tsv, .txt and .xlsx are read (save an old .xls as .xlsx first)",
    ),
    "notes.batch.sheets": (
        "{path} 有多个工作表，请用 --sheet 指定：{sheets}",
        "{path} has several sheets; pick one with --sheet: {sheets}",
    ),
    "notes.batch.no_sheet": ("{path} 里没有工作表 {sheet!r}；有：{sheets}", "{path} has no sheet {sheet!r}; sheets: {sheets}"),
    "notes.batch.no_notes_column": (
        "{path} 里找不到备注列（找过 {looked}）：用 --notes-column 指定；现有列：{columns}",
        "no notes column in {path} (looked for {looked}): name it with --notes-column; columns: {columns}",
    ),
    "notes.batch.no_column": (
        "{path} 里没有列 {column!r}；现有列：{columns}",
        "{path} has no column {column!r}; columns: {columns}",
    ),
    "notes.batch.done": (
        "已判断 {rows} 行（{counts}），备注列：{column}",
        "classified {rows} row(s) ({counts}); notes column: {column}",
    ),
    "notes.batch.no_openpyxl": (
        "读写 .xlsx 需要 openpyxl：pip install openpyxl",
        "reading and writing .xlsx needs openpyxl: pip install openpyxl",
    ),
    "notes.batch.written": ("已写入 {path}", "written to {path}"),
    "notes.batch.cannot_write": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
}
