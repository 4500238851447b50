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
    """--lang beats TG_LANG beats the locale, then Windows' UI language; anything not Chinese
    means English."""
    for value in (explicit, os.environ.get("TG_LANG")):
        if value:
            return normalise_lang(value)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return windows_ui_lang() or "en"


_LANG_CHINESE = 0x04  # PRIMARYLANGID of every Chinese LANGID (zh-CN 0x0804, zh-TW 0x0404, zh-HK 0x0C04)


def windows_ui_lang() -> str | None:
    """The language of the Windows user interface, where no LANG is set; None elsewhere or
    when it cannot be read."""
    import sys

    if sys.platform != "win32":
        return None
    try:
        import ctypes

        langid = int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError, TypeError, ImportError):
        return None
    return "zh" if langid & 0x3FF == _LANG_CHINESE else "en"


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


def join(items) -> str:
    """A list as the language writes one: 冰箱、西服、水果 / fridges, suits, fruit."""
    return ("、" if get_lang() == "zh" else ", ").join(str(x) for x in items)


def tag_name(tag: str) -> str:
    """A bundle or answer tag (novel, practical …) as a rep reads it; an unknown tag as written."""
    key = f"tag.{tag}"
    return t(key) if key in CATALOGUE else tag


def t(key: str, **params: object) -> str:
    zh, en = CATALOGUE[key]
    text = zh if get_lang() == "zh" else en
    return text.format(**params) if params else text


_HELP_MARK = "\ue000"  # a private-use character: never in a catalogue text, and not whitespace (strip keeps it)


def both(key: str) -> str:
    """A help text, for an option or command defined before the language is known: a marker
    holding the catalogue key, which `help_text` turns into the run's language (the command
    line does so for every command it builds), so help is shown in one language only."""
    return f"{_HELP_MARK}{key}{_HELP_MARK}"


def help_text(value: str | None) -> str | None:
    """A help marker made by `both` in the current language; any other text as it is."""
    if isinstance(value, str) and len(value) > 2 and value[0] == value[-1] == _HELP_MARK:
        return t(value[1:-1])
    return value


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
    # --- help texts (one language per run: see both()) -------------------------
    "help.app": (
        "团购大客户销售助手：电话中判断客户类型、准备拜访话术、记录转介绍、导出到表格",
        "Sales assistant for group-purchase key accounts: classify buyers on a call, "
        "prepare visits, record referrals, export to spreadsheets",
    ),
    # --- tags of bundles and answers, as a rep reads them -------------------------
    "tag.novel": ("新颖", "novelty"),
    "tag.practical": ("实用", "practical"),
    "tag.family": ("全家可用", "for the whole family"),
    "tag.festive": ("节日气氛", "festive"),
    "tag.health": ("健康", "health"),
    "tag.premium": ("高档", "premium"),
    "tag.brand": ("品牌", "brand"),
    "tag.economy": ("实惠", "economy"),
    "tag.marketing": ("营销效果", "marketing"),
    "tag.custom_logo": ("可印标志", "custom logo"),
    "tag.service": ("服务", "service"),
    "tag.durable": ("耐用", "durable"),
    "tag.safety": ("安全", "safety"),
    "tag.tech": ("科技感", "technology"),
    # --- the pitch, made to agree with its offer ---------------------------------
    "pitch.given_before": ("往年已经发过{items}，这次不再重复。", "They have handed out {items} before; this time we repeat none of it."),
    "pitch.offer_meets": ("这次推荐{bundle}：{needs}，正是您看重的。", "This time I recommend {bundle}: {needs}, which is what you said matters."),
    "pitch.offer_gives": ("这次推荐{bundle}：{needs}。", "This time I recommend {bundle}: {needs}."),
    "pitch.offer_plain": ("这次推荐{bundle}。", "This time I recommend {bundle}."),
    "pitch.stated_met": ("{need}：{bundle}做到了", "{need}: {bundle} delivers it"),
    "pitch.stated_missed": ("{need}：{bundle}做不到，当面说明或换套餐", "{need}: {bundle} does not deliver it; say so in person or change bundle"),
    "pitch.stated_repeats": ("{bundle}里有往年发过的{items}：当面说明或换套餐", "{bundle} holds {items}, handed out before: say so in person or change bundle"),
    "pitch.guided_service": ("{bundle}附带：{service}", "{bundle} comes with: {service}"),
    "help.other_lang": ("English: {command}", "中文：{command}"),
    "help.install_completion": ("为当前 shell 安装命令补全", "Install completion for the current shell."),
    "help.show_completion": ("显示当前 shell 的命令补全脚本，可复制或自行安装",
                             "Show completion for the current shell, to copy it or customize the installation."),
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
    "help.export.what": ("clients、referrals、classifications、rewards 或 audit", "clients, referrals, classifications, rewards or audit"),
    "help.export.output": ("写入文件（默认标准输出）", "write to this file (default: stdout)"),
    "help.export.excel": ("Excel 友好：UTF-8 带 BOM、CRLF 换行", "for Excel: UTF-8 with BOM and CRLF line ends"),
    "help.export.encoding": ("输出编码，如 gb18030", "output encoding, e.g. gb18030"),
    "help.playbook_cmd": ("话术手册：检查与查看", "Playbook: check and show"),
    "help.playbook.check": ("校验话术手册（有效返回 0，无效返回 1）", "Validate a playbook (exit 0 valid, 1 invalid)"),
    "help.playbook.show": ("列出客户类型、问题和套餐", "List segments, questions and bundles"),
    "help.dbcmd": ("数据库：位置、升级、备份、恢复、检查", "Database: location, upgrades, backup, restore, check"),
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
    "classify.bad_number": ("“{question}”需要一个数字（如 300、三百人、400元），收到“{value}”",
                            "“{question}” needs a number (such as 300, 300 people, 400 yuan), got “{value}”"),
    "classify.number_range": ("“{question}”的数字应在 {low} 到 {high} 之间", "“{question}” must be between {low} and {high}"),
    "classify.bad_confirm": ("“{question}”需要回答 是 或 否，收到“{value}”", "“{question}” needs yes or no, got “{value}”"),
    "classify.bad_answers_file": ("无法读取回答文件 {path}：{reason}", "cannot read answers file {path}: {reason}"),
    "classify.answers_not_mapping": (
        "回答文件 {path} 应是“问题ID: 值”的映射",
        "answers file {path} must be a mapping of question id to value",
    ),
    "call.why": ("依据", "Why"),
    "call.offer": ("推荐", "Offer"),
    "call.more_offers": ("另有 {n} 个备选套餐：加 --full 查看", "{n} more bundle(s): --full shows them"),
    "call.say": ("怎么说", "Say"),
    "call.watch": ("注意", "Watch"),
    "call.next": ("下一步", "Next"),
    "call.full_hint": ("加 --full 看全部（需求点、完整话术、备选套餐）", "--full shows the rest (need points, the whole pitch, other bundles)"),
    "call.unread": ("备注里的“{text}”没读懂：请确认", "could not read “{text}” in the notes: confirm it"),
    "classify.next_name": ("名称", "NAME"),
    "prompt.bad_number": ("请填一个数字，如 300、三百人、400元（收到“{value}”）",
                          "type a number, such as 300, 300 people, 400 yuan (got “{value}”)"),
    "prompt.went_back": ("↩ 回到第 {index} 题", "↩ back to question {index}"),
    "prompt.back": ("（Esc 回上一题）", " (Esc: back one question)"),
    "prompt.select_hint": ("（↑↓ 或数字选择，回车确认）", "(arrows or number, Enter)"),
    "prompt.checkbox_hint": ("（↑↓ 移动，空格勾选，回车确认）", "(arrows, Space to tick, Enter)"),
    "prompt.confirm_hint": ("（y 是 / n 否）", "(y/n) "),
    "help.classify.full": ("显示全部：需求点、完整话术、三个套餐及理由", "show everything: need points, the whole pitch, three bundles and why"),
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
    "classify.reason.reached_early": (
        "把握度 {confidence:.0%}：第 {at} 题时已达到手册阈值 {threshold:.0%}（{at_confidence:.0%}），之后的问题是报价要用的",
        "confidence {confidence:.0%}: the playbook's threshold {threshold:.0%} was reached at question {at} "
        "({at_confidence:.0%}); the questions after it are the ones the offer needs",
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
    "bundle.reason.occasion": ("专为{occasion}准备", "made for {occasion}"),
    "bundle.reason.off_occasion": ("这是{made}的套餐，不适合{occasion}", "made for {made}, not for {occasion}"),
    "bundle.none_for_occasion": ("手册里没有适合{occasion}的该类型套餐。",
                                 "The playbook has no bundle of this kind for {occasion}."),
    "bundle.left_out_occasion": ("不适合{occasion}、因此未列入：{bundles}。",
                                 "Left out as not for {occasion}: {bundles}."),
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
    # --- accounts: contacts, competitors, needs, reciprocal, pitch additions ---
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
    # --- pipeline: activities, agenda, deals, stage line, hand-offs, credit ---
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
    # --- library: cases, reports, demo data ---
    # --- notes ------------------------------------------------------------------
    "notes.help.notes": (
        "按通话备注判断（中文或英文；- 表示从标准输入读取）；可与 --answer 同用",
        "classify from call notes (Chinese or English; - reads stdin); combines with --answer",
    ),
    "notes.help.batch": (
        "批量判断一个线索表（csv/xlsx/xls，- 表示标准输入），每行加上类型、把握度、理由、推荐套餐和总价",
        "classify a lead list (csv/xlsx/xls, - for stdin): each row gets segment, confidence, reasons, best bundle and total",
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
    # --- import ---------------------------------------------------------------
    "help.import": ("从表格导入数据", "Import data from spreadsheets"),
    "help.import.clients": (
        "从 CSV/TSV/XLSX/XLS 导入客户：自动识别编码和表头，按名称去重（已有客户更新），坏行报告行号和原因",
        "Import clients from CSV/TSV/XLSX/XLS: encoding and headers detected, deduplicated by name "
        "(existing clients are updated), bad rows reported with row and reason",
    ),
    "help.import.file": ("要导入的 .csv、.tsv、.xlsx 或 .xls 文件（- 表示标准输入）",
                         "the .csv, .tsv, .xlsx or .xls file to import (- for stdin)"),
    "help.import.encoding": (
        "文件编码（默认自动识别 UTF-8、带 BOM 的 UTF-8、UTF-16、GB18030；Big5 等其他编码请指定）",
        "file encoding (default: detect UTF-8, UTF-8 with BOM, UTF-16, GB18030; name others such as big5)",
    ),
    "help.import.sheet": ("XLSX 中要导入的工作表", "the XLSX sheet to import"),
    "help.import.map": (
        "指定列对应的字段，如 --map 单位全称=name；可重复；字段 ignore 表示忽略该列",
        "map a column to a field, e.g. --map 'Org name=name'; repeatable; field ignore drops the column",
    ),
    "help.import.on_duplicate": (
        "已有同名客户时：update 更新（默认）、skip 跳过、error 视为坏行",
        "when a row matches an existing client: update it (default), skip it, or treat it as an error",
    ),
    "help.import.dry_run": ("只显示将新建、更新、合并、拒绝什么，不写入", "show what would be created, updated, merged and rejected; write nothing"),
    "help.import.skip_errors": (
        "导入好行，坏行（带 reason 列）写入此 CSV，改好后可再导入",
        "import the good rows; write the bad ones, with a reason column, to this CSV to fix and re-import",
    ),
    # --- reading tables (tables.py) ---
    "tables.too_many_rows": ("{path} 超过 {limit} 行：不像客户名单，未导入任何内容",
                             "{path} has more than {limit} rows: not a list tg reads; nothing read"),
    "tables.too_many_columns": ("{path} 第 {row} 行超过 {limit} 列：不像客户名单，未导入任何内容",
                                "{path} row {row} has more than {limit} columns: not a list tg reads; nothing read"),
    "tables.too_big": ("{path} 大于 {limit}：不像客户名单", "{path} is larger than {limit}: not a list tg reads"),
    "tables.bad_workbook": ("{path} 不是有效的 Excel 工作簿：{reason}", "{path} is not a valid Excel workbook: {reason}"),
    "tables.bad_xls": ("{path} 不是有效的 .xls 文件（可能是改了扩展名的其他文件）",
                       "{path} is not a valid .xls file (another kind of file renamed?)"),
    "tables.zip_bomb": ("{path} 中的 {part} 解压后过大（上限 {limit}，或压缩比异常）：未读取",
                        "{path}: {part} unpacks to too much (over {limit}, or far more than a sheet does); not read"),
    "tables.other_encoding": ("{path} 不是 UTF-8 或 GB18030 编码，看来是 {encoding}：请加 --encoding {encoding}（或另存为 UTF-8）",
                              "{path} is neither UTF-8 nor GB18030; it looks like {encoding}: give --encoding {encoding} "
                              "(or save it as UTF-8)"),
    "tables.no_calamine": ("读取 .xls 需要 python-calamine：pip install python-calamine",
                           "reading .xls needs python-calamine: pip install python-calamine"),
    "tables.notes_too_long": ("未识别的列合计超过 {limit} 个字符，无法存入备注",
                              "the unknown columns add up to more than {limit} characters: too long for the notes"),
    "import.cannot_read": ("无法读取 {path}：{reason}", "cannot read {path}: {reason}"),
    "import.not_spreadsheet": ("{path} 不是表格文件（CSV、TSV、XLSX 或 XLS）", "{path} is not a spreadsheet (CSV, TSV, XLSX or XLS)"),
    "import.empty": ("{path} 是空文件：没有表头行", "{path} is empty: no header row"),
    "import.undecodable": (
        "{path} 既不是 UTF-8 也不是 GB18030 编码：请用 --encoding 指定",
        "{path} is neither UTF-8 nor GB18030: name its encoding with --encoding",
    ),
    "import.undecodable_as": (
        "{path} 第 {row} 行无法按 {encoding} 解码：请用 --encoding 指定正确编码",
        "{path} row {row} cannot be decoded as {encoding}: name the right encoding with --encoding",
    ),
    "import.unreadable": ("{path} 第 {row} 行无法读取：{reason}", "{path} row {row} cannot be read: {reason}"),
    "import.cell_too_big": (
        "{path} 第 {row} 行有单元格超过 {limit} 个字符：不像客户名单，未导入任何内容",
        "{path} row {row} has a cell over {limit} characters: not a client list; nothing imported",
    ),
    "import.sheets": (
        "{path} 有多个工作表（{sheets}）：用 --sheet 指定一个",
        "{path} has several sheets ({sheets}): choose one with --sheet NAME",
    ),
    "import.no_sheet": ("{path} 中没有工作表 {sheet}（有：{sheets}）", "{path} has no sheet {sheet} (sheets: {sheets})"),
    "import.no_name_column": (
        "{path} 的表头中没有客户名称列（{columns}）：用 --map 列名=name 指定",
        "{path} has no name column among its headers ({columns}): name one with --map COLUMN=name",
    ),
    "import.bad_encoding": ("未知编码 {encoding}", "unknown encoding {encoding}"),
    "import.bad_map": ("--map 需要 列名=字段 的形式，收到的是 {value}", "--map needs COLUMN=FIELD, got {value}"),
    "import.map_unknown_field": ("未知字段 {field}：可用 {fields}", "unknown field {field}: use one of {fields}"),
    "import.map_unknown_column": ("没有名为 {column} 的列（现有：{columns}）", "no column named {column} (columns: {columns})"),
    "import.rejects_is_input": ("--skip-errors 的文件不能是要导入的文件本身", "--skip-errors must name a file other than the one imported"),
    "import.cannot_write": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    "import.column_n": ("第{n}列", "column {n}"),
    "import.row": ("第 {row} 行", "row {row}"),
    "import.row_problem": ("第 {row} 行，{column}：{reason}", "row {row}, {column}: {reason}"),
    "import.reject_reason": ("第 {row} 行 · {reasons}", "row {row} · {reasons}"),
    "import.reason.no_name": ("缺少客户名称", "no name"),
    "import.reason.not_number": ("不是数字：{value}", "not a number: {value}"),
    "import.reason.not_integer": ("不是整数：{value}", "not a whole number: {value}"),
    "import.reason.negative": ("不能为负数：{value}", "cannot be negative: {value}"),
    "import.reason.not_date": ("不是日期：{value}", "not a date: {value}"),
    "import.reason.not_phone": ("不是电话号码：{value}", "not a phone number: {value}"),
    "import.reason.bad_confidence": ("把握度应在 0–1 或 0%–100% 之间：{value}", "confidence must be 0–1 or 0%–100%: {value}"),
    "import.reason.bad_segment": ("未知客户类型 {value}（可用：{codes}）", "unknown segment {value} (known: {codes})"),
    "import.reason.too_long": ("超过 {limit} 个字符", "longer than {limit} characters"),
    "import.reason.ambiguous": (
        "与多个已有客户同名（{ids}）：加上城市或电话列以区分",
        "matches several existing clients ({ids}): add a city or phone column to tell them apart",
    ),
    "import.reason.exists": ("已有此客户 #{id}（--on-duplicate error）", "already a client, #{id} (--on-duplicate error)"),
    "import.unknown_columns": (
        "未识别的列，内容已记入备注：{columns}（可用 --map 列名=字段 指定）",
        "columns not recognised, kept in notes: {columns} (map them with --map COLUMN=FIELD)",
    ),
    "import.merged_rows": ("文件内重复的行已合并：", "duplicate rows in the file were merged:"),
    "import.merge_line": ("第 {row} 行并入第 {into} 行（{name}）", "row {row} merged into row {into} ({name})"),
    "import.more": ("……另有 {count} 条", "… and {count} more"),
    "import.bad_rows": (
        "{count} 行有问题，未导入任何内容：改正后重试，或用 --skip-errors REJECTS.csv 只导入好行",
        "{count} bad row(s), nothing imported: fix them, or import the rest with --skip-errors REJECTS.csv",
    ),
    "import.rejects_written": ("被拒绝的行已写入 {path}：改好后可再导入", "rejected rows written to {path}: fix them and import it again"),
    "import.dry_prefix": ("试运行，未写入：", "dry run, nothing written: "),
    "import.summary": (
        "新建 {created}，更新 {updated}，无变化 {unchanged}，合并 {merged}，跳过 {skipped}，拒绝 {rejected}",
        "created {created}, updated {updated}, unchanged {unchanged}, merged {merged}, skipped {skipped}, "
        "rejected {rejected}",
    ),
    "import.reading": ("读取中", "reading"),
    "import.writing": ("写入中", "writing"),
    "import.contacts": ("联系人", "contact(s)"),
    "import.plan.create": ("新建", "create"),
    "import.plan.update": ("更新", "update"),
    "import.plan.same": ("无变化", "same"),
    "import.plan.merge": ("合并", "merge"),
    "import.plan.skip": ("跳过", "skip"),
    "import.plan.reject": ("拒绝", "reject"),
    "help.lib.cases": ("案例库：成功与失败的案例、谁拍板、用了什么招、教训", "the case library: wins and losses, who decided, what worked, the lesson"),
    "help.lib.cases.add": ("记一个案例；打印案例编号", "record a case; prints its id"),
    "help.lib.cases.search": ("按文字查案例（中英文都行，不分大小写），命中字段多的排前面", "find cases by text (Chinese or English, any case), most fields hit first"),
    "help.lib.cases.list": ("列出案例，最新的在前", "list cases, newest first"),
    "help.lib.case.title": ("标题：一句话说清这一单", "title: the deal in one line"),
    "help.lib.case.outcome": ("结果：won（签单）或 lost（丢单）", "outcome: won or lost"),
    "help.lib.case.segment": ("客户类型代码（office / welfare / gift …）；给了 --client 时默认取客户的", "kind of buyer (office / welfare / gift …); defaults to the client's with --client"),
    "help.lib.case.industry": ("行业；给了 --client 时默认取客户的", "industry; defaults to the client's with --client"),
    "help.lib.case.decided_by": ("谁拍的板", "who made the decision"),
    "help.lib.case.technique": ("用了什么招", "what worked (or was tried)"),
    "help.lib.case.lesson": ("经验教训", "the lesson learned"),
    "help.lib.case.client": ("关联的客户（编号或名称）", "the client it concerns (id or name)"),
    "help.lib.case.text": ("要找的文字；多个词时每个词都要出现", "text to find; with several words, each must occur"),
    "help.lib.filter.outcome": ("只看 won 或 lost", "only won or only lost"),
    "help.lib.report": ("经理报表：二八分析、销售漏斗……", "manager's reports: 80/20, funnel, …"),
    "help.lib.report.pareto": ("二八分析：前 20% 客户贡献的签单额占比、累计曲线、ABC 分类", "80/20: share of won revenue from the top 20% of clients, the cumulative curve, ABC classes"),
    "help.lib.report.funnel": ("销售漏斗：各阶段客户数和在谈金额，阶段之间的转化率", "funnel: clients and open-deal value per stage, conversion between stages"),
    "help.lib.report.top": ("表格里列出前几名客户", "how many top clients the table lists"),
    "help.lib.demo": ("往当前数据库填一套逼真、可重现的演示数据", "fill the current database with a realistic, reproducible demo data set"),
    "help.lib.demo.clients": ("客户数", "number of clients"),
    "help.lib.demo.seed": ("随机种子：同一种子得到同一套数据", "random seed: the same seed gives the same data"),
    "help.lib.demo.force": ("数据库里已有客户时也照样添加（不删除任何已有数据）", "add even when the database already has clients (nothing existing is removed)"),
    "lib.case.bad_outcome": ("未知结果 {outcome!r}：请用 {outcomes}", "unknown outcome {outcome!r}: use {outcomes}"),
    "lib.case.empty_title": ("案例标题不能为空", "a case needs a title"),
    "lib.case.added": ("已记录案例 #{id} {title}", "recorded case #{id} {title}"),
    "lib.case.no_hits": ("案例库里没有找到“{text}”", "no case matches {text!r}"),
    "lib.outcome.won": ("签单", "won"),
    "lib.outcome.lost": ("丢单", "lost"),
    "lib.field.id": ("编号", "id"),
    "lib.field.date": ("日期", "date"),
    "lib.field.outcome": ("结果", "outcome"),
    "lib.field.segment": ("类型", "segment"),
    "lib.field.industry": ("行业", "industry"),
    "lib.field.title": ("标题", "title"),
    "lib.field.decided_by": ("拍板人", "decided by"),
    "lib.field.technique": ("招数", "technique"),
    "lib.field.lesson": ("教训", "lesson"),
    "lib.field.client": ("客户", "client"),
    "lib.field.score": ("命中", "hits"),
    "lib.field.matched": ("命中字段", "matched"),
    "lib.pareto.empty": ("还没有签单的交易，无法做二八分析。", "No won deals yet: nothing to analyse."),
    "lib.pareto.title": ("二八分析（签单额）", "80/20 analysis (won revenue)"),
    "lib.pareto.headline": ("前 20% 的客户（{n} / {clients} 家）带来了 {share:.1%} 的签单额",
                            "The top 20% of clients ({n} of {clients}) bring {share:.1%} of won revenue"),
    "lib.pareto.total": ("签单总额 {total}", "Won revenue in all: {total}"),
    "lib.pareto.class_A": ("A 类 {clients} 家：{revenue}（{share:.1%}）— 重点维护，交给最强的人",
                           "A: {clients} clients, {revenue} ({share:.1%}) — your best people, regular visits"),
    "lib.pareto.class_B": ("B 类 {clients} 家：{revenue}（{share:.1%}）— 定期跟进，争取升为 A",
                           "B: {clients} clients, {revenue} ({share:.1%}) — steady follow-up, grow them into A"),
    "lib.pareto.class_C": ("C 类 {clients} 家：{revenue}（{share:.1%}）— 标准服务，控制成本",
                           "C: {clients} clients, {revenue} ({share:.1%}) — standard service, keep the cost down"),
    "lib.pareto.curve": ("累计曲线：前 x% 客户带来的签单额占比", "Cumulative curve: share of revenue from the top x% of clients"),
    "lib.pareto.top": ("签单额前 {n} 名（共 {clients} 家）", "Top {n} of {clients} clients by won revenue"),
    "lib.pareto.col.clients": ("客户", "clients"),
    "lib.pareto.col.cumulative": ("累计", "cum."),
    "lib.pareto.col.rank": ("名次", "rank"),
    "lib.pareto.col.client": ("客户", "client"),
    "lib.pareto.col.segment": ("类型", "segment"),
    "lib.pareto.col.owner": ("负责人", "owner"),
    "lib.pareto.col.revenue": ("签单额", "revenue"),
    "lib.pareto.col.share": ("占比", "share"),
    "lib.pareto.col.abc": ("分类", "ABC"),
    "lib.pareto.col.bar": ("", ""),
    "lib.funnel.title": ("销售漏斗", "Sales funnel"),
    "lib.funnel.col.stage": ("阶段", "stage"),
    "lib.funnel.col.clients": ("客户", "clients"),
    "lib.funnel.col.bar": ("", ""),
    "lib.funnel.col.open_deals": ("在谈", "open"),
    "lib.funnel.col.open_value": ("在谈金额", "value"),
    "lib.funnel.col.reached": ("曾到达", "reached"),
    "lib.funnel.col.conversion": ("转化", "to next"),
    "lib.funnel.note": ("“曾到达”：阶段记录显示走到这一阶段或更后面的客户数；“转化”：其中又走到下一阶段的比例（丢单不在主线上）。",
                        "'reached': clients whose stage history got to this stage or further; 'to next': the share of those "
                        "that got to the next stage (lost is off the line)."),
    "lib.demo.not_empty": ("数据库里已有 {count} 个客户；要在旁边再添演示数据，请加 --force（不会删除已有数据）",
                           "the database already has {count} clients; add --force to add demo data beside them "
                           "(nothing is removed)"),
    "lib.demo.done": ("已生成演示数据（种子 {seed}，用时 {seconds:.1f} 秒）：{clients} 个客户、{contacts} 个联系人、{deals} 笔交易、"
                      "{stages} 条阶段记录、{activities} 条跟进、{cases} 个案例、{referrals} 条转介绍",
                      "demo data written (seed {seed}, {seconds:.1f} s): {clients} clients, {contacts} contacts, "
                      "{deals} deals, {stages} stage entries, {activities} activities, {cases} cases, "
                      "{referrals} referrals"),
    # --- a team on one database: backup, restore, check, history ---
    "help.team.db.backup": ("用 SQLite 在线备份把数据库复制到 FILE 并校验副本", "Copy the database to FILE (SQLite online backup) and check the copy"),
    "help.team.db.backup_file": ("备份文件（不得已存在）", "the backup file (must not exist yet)"),
    "help.team.db.restore": ("用备份文件替换当前数据库（先确认，并保留当前库的副本）",
                             "Replace the database with a backup (asks first; the current one is kept)"),
    "help.team.db.restore_file": ("tg 备份文件", "a tg backup file"),
    "help.team.db.check": ("检查数据库完整性与结构版本；有问题时退出码为 1",
                           "Check integrity and schema version; exit 1 if not ok"),
    "team.db.memory": ("内存数据库无法备份、恢复或检查", "an in-memory database cannot be backed up, restored or checked"),
    "team.db.missing": ("{path} 不存在：检查路径（tg db path 显示当前数据库）",
                        "{path} does not exist: check the path (tg db path shows the database in use)"),
    "team.db.damaged": ("{path} 不是 SQLite 数据库或已损坏：用 tg db restore 从备份恢复，或用 --db 指定别的文件",
                        "{path} is not a SQLite database or is damaged: restore a backup with tg db restore, "
                        "or point --db at another file"),
    "team.db.target_exists": ("{path} 已存在：换一个文件名（备份不会覆盖已有文件）",
                              "{path} already exists: choose another name (a backup never overwrites a file)"),
    "team.db.no_folder": ("{path} 所在的文件夹不存在：先创建它", "the folder of {path} does not exist: create it first"),
    "team.db.copy_unsound": ("备份 {path} 未通过完整性检查（{problem}），已删除：数据库本身可能已损坏，运行 tg db check",
                             "the copy {path} failed its integrity check ({problem}) and was removed: "
                             "the database itself may be damaged; run tg db check"),
    "team.db.backup_failed": ("无法写入备份 {path}：{reason}；原数据库未改动",
                              "cannot write the backup {path}: {reason}; the database is unchanged"),
    "team.db.backup_done": ("已备份到 {path}（版本 {version}，完整性检查通过）",
                            "backed up to {path} (schema version {version}, integrity ok)"),
    "team.db.backup_pg": ("{url} 是 PostgreSQL：请用 pg_dump 备份，例如 pg_dump -Fc -f tg.dump 数据库名",
                          "{url} is PostgreSQL: back it up with pg_dump, e.g. pg_dump -Fc -f tg.dump DBNAME"),
    "team.db.restore_pg": ("{url} 是 PostgreSQL：请用 pg_restore 恢复 pg_dump 的备份，例如 pg_restore -c -d 数据库名 tg.dump",
                           "{url} is PostgreSQL: restore a pg_dump backup with pg_restore, e.g. "
                           "pg_restore -c -d DBNAME tg.dump"),
    "team.db.restore_not_tg": ("{path} 不是 tg 数据库，未恢复：选择 tg db backup 生成的文件",
                               "{path} is not a tg database; nothing restored: pick a file made by tg db backup"),
    "team.db.restore_unsound": ("{path} 未通过完整性检查（{problem}），未恢复：换一个备份",
                                "{path} fails its integrity check ({problem}); nothing restored: use another backup"),
    "team.db.restore_same": ("{path} 就是当前数据库", "{path} is the database in use"),
    "team.db.restore_need_yes": ("恢复会替换 {path}：加 --yes 确认", "restoring replaces {path}: add --yes to confirm"),
    "team.db.restore_confirm": ("用 {file} 替换 {path}", "Replace {path} with {file}"),
    "team.db.restore_kept": ("原数据库已保留为 {path}", "the previous database is kept as {path}"),
    "team.db.restored": ("已用 {file} 恢复 {path}（版本 {version}）", "restored {path} from {file} (schema version {version})"),
    "team.db.check_where": ("数据库：{path}", "database: {path}"),
    "team.db.check_integrity": ("完整性：{result}", "integrity: {result}"),
    "team.db.check_fk": ("外键问题：{count}", "foreign key problems: {count}"),
    "team.db.version_current": ("结构版本：{version}（最新）", "schema version: {version} (current)"),
    "team.db.version_older": ("结构版本：{version}（旧于 {known}：运行 tg db upgrade）",
                              "schema version: {version} (older than {known}: run tg db upgrade)"),
    "team.db.version_newer": ("结构版本：{version}（比本程序的 {known} 新：请升级 tg）",
                              "schema version: {version} (newer than this tg's {known}: upgrade tg)"),
    "team.db.pg_needs_upgrade": ("{path} 的结构版本是 {found}，本程序需要 {known}：先用 pg_dump 备份，再运行 tg db upgrade",
                                 "{path} has schema version {found}, this tg needs {known}: back it up with pg_dump, "
                                 "then run tg db upgrade"),
    "team.db.version_none": ("结构版本：无（空数据库）", "schema version: none (an empty database)"),
    "help.team.history": ("客户的修改记录：谁、何时、旧值 → 新值（含联系人、交易、转介绍、奖励）",
                          "A client's audit trail: who, when, old → new (its contacts, deals, referrals, rewards too)"),
    "help.team.history.client": ("客户名称或编号（已删除的客户用编号）", "client name or id (a removed client by id)"),
    "team.history.col.id": ("编号", "id"),
    "team.history.col.at": ("时间（UTC）", "when (UTC)"),
    "team.history.col.by": ("操作人", "by"),
    "team.history.col.table": ("对象", "what"),
    "team.history.col.row_id": ("对象编号", "#"),
    "team.history.col.client_id": ("客户编号", "client"),
    "team.history.col.action": ("操作", "action"),
    "team.history.col.changes": ("旧值 → 新值", "old → new"),
    "team.db.readonly": ("{path} 是只读的（文件或所在文件夹）：tg 需要写入它及旁边的 -wal/-shm 文件；修改权限，或复制到可写的位置再用 --db 指定",
                         "{path} is read-only (the file or its folder): tg writes it and its -wal/-shm files beside it; "
                         "fix the permissions, or copy it somewhere writable and point --db at the copy"),
    "team.db.full": ("{path} 所在磁盘已满，本次修改未写入（已回滚）：腾出空间后重试，再运行 tg db check",
                     "the disk holding {path} is full; this change was not written (rolled back): free some space, "
                     "try again, then run tg db check"),
    "team.db.io": ("读写 {path} 时磁盘出错，本次修改已回滚：检查磁盘，再运行 tg db check",
                   "disk I/O error on {path}; this change was rolled back: check the disk, then run tg db check"),
    # --- who sees what ---
    "help.filter.mine": ("只列出我负责的、或我经手过某个阶段的客户（我 = TG_USER，否则 PostgreSQL 的登录角色，否则系统登录名）",
                         "only clients you own or hold a stage of (you: TG_USER, else the PostgreSQL role, "
                         "else your OS login)"),
    "help.rls.setup": ("PostgreSQL 行级安全：业务员只看到自己负责或经手过某阶段的客户，经理看到全部（可重复运行；--drop 撤销）",
                       "PostgreSQL row-level security: reps see only the clients they own or hold a stage of, "
                       "managers see all (safe to rerun; --drop undoes it)"),
    "help.rls.rep": ("把这个数据库角色加入业务员组（不存在则创建为可登录角色，无密码）；可重复",
                     "add this database role to the reps' group (created as a login role without a password "
                     "if missing); repeatable"),
    "help.rls.manager": ("把这个数据库角色加入经理组（不存在则创建）；可重复",
                         "add this database role to the managers' group (created if missing); repeatable"),
    "help.rls.rep_group": ("业务员组的角色名", "the reps' group role"),
    "help.rls.manager_group": ("经理组的角色名", "the managers' group role"),
    "help.rls.drop": ("撤销：删除策略、关闭行级安全、收回两个组的权限（角色保留）",
                      "undo: drop the policies, turn row-level security off, take the two groups' grants away "
                      "(the roles are kept)"),
    "help.rls.sql": ("只打印要执行的 SQL，不执行", "print the SQL instead of running it"),
    "rls.pg_only": ("行级安全只用于 PostgreSQL：{url} 是 SQLite 文件，只属于它的主人（权限 0600），没有别人需要隔开",
                    "row-level security is for PostgreSQL only: {url} is a SQLite file, private to its owner "
                    "(mode 0600), with nobody else to keep apart"),
    "rls.bad_role": ("不能用“{name}”作数据库角色名：须为 1–63 字节，不含控制字符或 $，不以 pg_ 开头，也不是保留名",
                     "cannot use \"{name}\" as a database role: 1–63 bytes, no control characters or $, "
                     "not starting with pg_, not a reserved name"),
    "rls.same_group": ("业务员组和经理组不能同名（{name}）", "the reps' and the managers' groups need two names ({name} twice)"),
    "rls.group_member": ("{name} 是组角色本身：--rep/--manager 给的是某个人的角色",
                         "{name} is one of the groups: --rep and --manager take a person's role"),
    "rls.drop_with_members": ("--drop 不能与 --rep/--manager 同用", "--drop takes no --rep or --manager"),
    "rls.no_schema": ("连接 {url} 没有当前模式（schema）：检查 search_path",
                      "the connection to {url} has no current schema: check its search_path"),
    "rls.failed": ("未能设置行级安全（{path}），未做任何改动：{reason}；请用表的所有者或超级用户运行（创建角色还需 CREATEROLE）",
                   "could not set up row-level security ({path}); nothing was changed: {reason}; run it as the "
                   "tables' owner or a superuser (creating roles also needs CREATEROLE)"),
    "rls.done": ("行级安全已在模式 {schema} 的 {count} 张表上生效（{url}）",
                 "row-level security is on for {count} tables in schema {schema} ({url})"),
    "rls.reps": ("业务员（组 {group}）只看到自己负责或经手过某阶段的客户：{members}",
                 "reps (group {group}) see only the clients they own or hold a stage of: {members}"),
    "rls.managers": ("经理（组 {group}）看到全部：{members}", "managers (group {group}) see everything: {members}"),
    "rls.no_members": ("（暂无成员：用 --rep / --manager 添加）", "(no members yet: add them with --rep / --manager)"),
    "rls.created": ("已创建可登录角色（无密码）：{roles}；用 ALTER ROLE … PASSWORD 设密码，或按 pg_hba.conf 认证",
                    "created login roles (no password): {roles}; give each one with ALTER ROLE … PASSWORD, or "
                    "authenticate them through pg_hba.conf"),
    "rls.bypass": ("注意：{role} 在 {group} 组中，却能看到全部行（{why}）",
                   "warning: {role} is in {group} but sees every row ({why})"),
    "rls.why.super": ("超级用户", "superuser"),
    "rls.why.bypassrls": ("BYPASSRLS", "BYPASSRLS"),
    "rls.why.owner": ("是表的所有者或其成员", "owner of the tables, or a member of the owner"),
    "rls.dropped": ("已撤销模式 {schema} 中 {count} 张表的行级安全（{url}）；组 {groups} 的权限已收回，角色保留（不用时可 DROP ROLE）",
                    "row-level security is off for {count} tables in schema {schema} ({url}); the groups {groups} "
                    "lost their grants; the roles are kept (DROP ROLE them when unused)"),
    "rls.refused": ("数据库的行级安全拒绝了这次修改（{path}）：业务员只能写自己负责或经手过某阶段的客户；"
                    "转交客户请用 tg handoff；若设置了 TG_USER，它须与数据库角色同名",
                    "the database's row-level security refused this change ({path}): a rep writes only clients "
                    "they own or hold a stage of; pass a client on with tg handoff; TG_USER, if set, must be "
                    "your database role"),
    "rls.no_schema_access": ("{path} 上没有你能用的模式（schema）：检查 URL 中的 search_path，或请管理员运行 tg db setup-rls --rep 你的角色",
                             "no schema you may use at {path}: check the search_path in the URL, or ask whoever "
                             "runs the server for tg db setup-rls --rep YOUR_ROLE"),
    "rls.rm_refused": ("#{id} {name} 未删除：数据库的行级安全只允许它的负责人或经理删除客户",
                       "#{id} {name} was not removed: the database's row-level security lets only its owner "
                       "or a manager remove a client"),
    "rls.denied": ("数据库拒绝访问（{path}）：{reason}；请管理员运行 tg db setup-rls --rep 你的角色",
                   "the database denied access ({path}): {reason}; ask whoever runs the server for "
                   "tg db setup-rls --rep YOUR_ROLE"),
    # --- classify --batch --save ---
    "bsave.help.save": (
        "同时把各行导入为客户（与 tg import clients 一样去重：已有客户更新），并保存每个客户的判断结果；"
        "输出加上 client_id 和 client_status 两列",
        "also import the rows as clients (deduplicated as tg import clients does: existing clients are "
        "updated) and save each one's classification; the output gains client_id and client_status",
    ),
    "bsave.needs_save": ("{option} 只能与 --save 同用", "{option} only works with --save"),
    "bsave.save_and_no_save": ("--save 与 --no-save 不能同用", "--save and --no-save contradict each other"),
    "bsave.bad_rows": (
        "{problem}（共 {count} 行有问题，未保存任何内容：改正后重试，或用 --skip-errors REJECTS.csv 只保存好行）",
        "{problem} ({count} bad row(s), nothing saved: fix them, or save the rest with --skip-errors REJECTS.csv)",
    ),
    "bsave.summary": ("{summary}；记录判断 {history} 条", "{summary}; {history} classification(s) recorded"),
    # --- hostile input ---
    "hostile.stdin_not_utf8": ("标准输入中的备注不是 UTF-8 文本：请先转成 UTF-8（例如 iconv -f GB18030 -t UTF-8）",
                               "the notes on stdin are not UTF-8 text: convert them first "
                               "(e.g. iconv -f GB18030 -t UTF-8)"),
    "hostile.arg_not_utf8": ("{option} 含有不是 UTF-8 的字节：请用 UTF-8 终端或先转换编码",
                             "{option} holds bytes that are not UTF-8: use a UTF-8 terminal or convert the text first"),
    "hostile.more_problems": ("……另有 {count} 处问题", "… and {count} more problem(s)"),
    "hostile.argv_not_utf8": ("命令行里有不是 UTF-8 的字节，未写入任何内容：请用 UTF-8 终端，或先转换编码",
                              "the command line holds bytes that are not UTF-8; nothing was written: use a UTF-8 "
                              "terminal or convert the text first"),
    # --- robustness: lone surrogates, bad escapes, row-level security re-applied on upgrade ---
    "robust.surrogate": ("含有单独的代理码位（\\udcff 这类转义），不是有效的 Unicode 文本，无法保存或显示",
                         "holds a lone surrogate (an escape such as \\udcff), which is not valid Unicode text and "
                         "can be neither stored nor shown"),
    "robust.answers_surrogate": (
        "回答文件 {path} 的 {where} 含有单独的代理码位（\\udcff 这类转义），不是有效的 Unicode 文本；未写入任何内容",
        "answers file {path}: {where} holds a lone surrogate (an escape such as \\udcff), which is not valid "
        "Unicode text; nothing was written",
    ),
    "robust.bad_escape": ("转义不是有效的 Unicode 字符（如单独的代理码位 \\udcff，或大于 \\U0010FFFF）",
                          "an escape that is not a valid Unicode character (a lone surrogate such as \\udcff, "
                          "or above \\U0010FFFF)"),
    "robust.rls_reapplied": ("已重新应用行级安全（{count} 张表，组 {groups}），与 {command} 的效果相同",
                             "row-level security re-applied ({count} tables, groups {groups}), as {command} would"),
    "robust.rls_reapply_failed": (
        "警告：升级已完成，但未能重新应用行级安全（{reason}）：请以表的所有者或超级用户运行 {command}",
        "warning: upgraded, but row-level security could not be re-applied ({reason}): run {command} as the "
        "tables' owner or a superuser",
    ),
    "robust.rls_groups_unknown": (
        "警告：此处设置过行级安全，但其策略没有指明唯一的销售组和经理组（{roles}）：请运行 "
        "tg db setup-rls --rep-group 销售组 --manager-group 经理组",
        "warning: row-level security was set up here, but its policies do not name one rep group and one manager "
        "group ({roles}): run tg db setup-rls --rep-group REP_GROUP --manager-group MANAGER_GROUP",
    ),
    # --- stage and owner ---
    "client.stage_moved": ("阶段：{before} → {after}（已记入阶段流水）", "stage: {before} → {after} (recorded on the stage line)"),
    # Click's usage errors (cli.usage.usage_message). English is Click's own wording; these English
    # texts are said only if a caller asks for them in English.
    "usage.usage": ("用法：", "Usage: "),
    "usage.hint": ("运行 '{command} {option}' 查看帮助。", "Try '{command} {option}' for help."),
    "usage.error": ("错误：{message}", "Error: {message}"),
    "usage.no_such_command": ("没有 {name!r} 这个命令", "No such command {name!r}."),
    "usage.did_you_mean": ("；是不是要用 {names}？", " Did you mean {names}?"),
    "usage.extra_args": ("多余的参数：{args}", "Got unexpected extra argument(s) ({args})"),
    "usage.missing_command": ("缺少命令", "Missing command."),
    "usage.no_such_option": ("没有 {option} 这个选项", "No such option: {option}"),
    "usage.possible_options": ("（相近的有：{options}）", " (Possible options: {options})"),
    "usage.missing_argument": ("缺少参数 {param}", "Missing argument {param}."),
    "usage.missing_option": ("缺少选项 {param}", "Missing option {param}."),
    "usage.missing_parameter": ("缺少 {param}", "Missing parameter {param}."),
    "usage.choose_from": ("（可选：{choices}）", " Choose from: {choices}"),
    "usage.bad_value": ("{param} 的值无效：{detail}", "Invalid value for {param}: {detail}"),
    "usage.not_integer": ("{value} 不是整数", "{value} is not a valid integer"),
    "usage.not_number": ("{value} 不是数字", "{value} is not a valid number"),
    "usage.not_bool": ("{value} 不是是/否值（yes/no、true/false、1/0）", "{value} is not a valid boolean"),
    "usage.at_least": ("{value} 太小，最小为 {limit}", "{value} is less than the minimum {limit}"),
    "usage.at_most": ("{value} 太大，最大为 {limit}", "{value} is more than the maximum {limit}"),
    "usage.above": ("{value} 须大于 {limit}", "{value} must be greater than {limit}"),
    "usage.below": ("{value} 须小于 {limit}", "{value} must be less than {limit}"),
    "usage.not_a_choice": ("{value} 不在可选值之内：{choices}", "{value} is not one of {choices}"),
    "usage.takes_no_value": ("选项 {option} 不带值", "Option {option!r} does not take a value."),
    "usage.needs_value": ("选项 {option} 后面要跟 {count} 个值", "Option {option!r} requires {count} argument(s)."),
    # --- big imports and exports ---
    "import.reason.too_large": ("{value} 这个数字太大（超过 15 位）", "{value} is too large a number (more than 15 digits)"),
    "export.split_gone": ("导出 {path} 的第二个进程意外结束，导出未完成", "the second process exporting {path} stopped "
                          "unexpectedly; the export is incomplete"),
    "import.writer_gone": ("写入 {path} 的进程意外结束，未写入任何内容", "the process writing to {path} stopped unexpectedly; "
                           "nothing was written"),
}

# The catalogue, the offer and the buyers' rules keep their texts beside each other in a file of
# their own, merged here: one catalogue for the program, one file to read for that part.
from .i18n_offer import MESSAGES as _OFFER_MESSAGES  # noqa: E402

CATALOGUE.update({k: v for k, v in _OFFER_MESSAGES.items() if k not in CATALOGUE})
