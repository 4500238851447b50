"""A realistic, reproducible demo data set. Pure: returns rows, writes nothing.

``generate`` yields ``(table, rows)`` batches (plain dicts keyed by column name) in an order
that satisfies every foreign key, a few thousand clients at a time, so 100 000 clients need
no more memory than one batch; ``tg demo`` writes them with Core ``executemany`` in one
transaction. The same seed, client count, playbook and day give the same rows.

The shape follows the method: three kinds of buyer; organisations of very different sizes
(so won revenue is Pareto-shaped — a few big clients bring most of it); a stage line whose
stages are owned by different people (lead team, account managers, service); contacts with
roles and relationship strength; rivals with their weak points; stated and guided needs;
follow-ups due; won and lost cases with lessons; and referrals from happy clients, each
referred client credited to one earlier client (so never to itself, never in a cycle).

Example::

    for table, rows in generate(playbook, clients=300, seed=7, today=date(2026, 1, 5)):
        print(table, len(rows))
"""

from __future__ import annotations

import random
from decimal import Decimal
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator, Sequence

from .names import name_key
from .playbook import Bundle, Playbook
from .recommend import quote

BATCH = 2000  # clients per batch
DEMO_USER = "demo"

# (zh, en) pairs: a Chinese organisation gets the Chinese text, an English one the English text.
T = tuple[str, str]

CITIES: list[tuple[str, str, int]] = [  # zh, en, weight
    ("杭州", "Hangzhou", 14), ("宁波", "Ningbo", 9), ("温州", "Wenzhou", 6), ("绍兴", "Shaoxing", 5),
    ("嘉兴", "Jiaxing", 4), ("湖州", "Huzhou", 3), ("金华", "Jinhua", 4), ("台州", "Taizhou", 4),
    ("上海", "Shanghai", 10), ("苏州", "Suzhou", 7), ("南京", "Nanjing", 6), ("无锡", "Wuxi", 4),
    ("合肥", "Hefei", 4), ("福州", "Fuzhou", 3), ("厦门", "Xiamen", 3), ("广州", "Guangzhou", 5),
    ("深圳", "Shenzhen", 5), ("北京", "Beijing", 4),
]
NUMERALS = "一二三四五六七八九"
DISTRICTS = ["东城", "西城", "南湖", "北仑", "高新", "经开", "滨江", "新城", "城关", "江北", "鼓楼", "临港"]
BANKS = ["工商银行", "建设银行", "农业银行", "中国银行", "交通银行", "招商银行", "兴业银行", "浦发银行"]
INSURERS = ["中国人寿", "平安人寿", "太平洋保险", "泰康人寿", "人保财险", "新华保险"]
FACTORIES = ["第一棉纺", "第二棉纺", "第一机床", "钢铁", "化纤", "电机", "汽车配件", "造船", "水泥", "卷烟"]
BRANDS = ["恒信", "华盛", "东方", "新锐", "联创", "永达", "天成", "瑞丰", "海纳", "嘉禾"]
BUSINESS = [("科技", "科技"), ("电子", "制造"), ("物流", "物流"), ("建设", "建筑"), ("食品", "制造"),
            ("纺织", "制造"), ("医药", "医疗")]
EN_NAMES = ["Bright Star", "Evergreen", "Harbour", "Silk Road", "Lakeside", "Pacific", "Golden Bridge", "Jade River",
            "Summit", "Blue Ocean"]
EN_KINDS = [("Electronics Co., Ltd.", "制造", 500), ("International School", "教育", 120), ("Grand Hotel", "酒店", 300),
            ("Logistics Co., Ltd.", "物流", 400), ("Pharma Ltd.", "医疗", 350), ("Trading Co., Ltd.", "贸易", 80)]


@dataclass(frozen=True)
class Kind:
    """A kind of organisation: how it is named, its industry, size and why it tends to buy."""

    code: str
    industry: str
    headcount: int  # a typical size; real ones spread widely around it
    segments: tuple[float, float, float]  # weights for office, welfare, gift
    weight: int
    boss: T  # the decision-maker's usual title


KINDS = [
    Kind("hospital", "医疗", 700, (0.55, 0.4, 0.05), 12, ("院长", "Hospital Director")),
    Kind("bank", "银行", 250, (0.15, 0.3, 0.55), 11, ("行长", "Branch President")),
    Kind("tax", "政府", 150, (0.3, 0.62, 0.08), 8, ("局长", "Director")),
    Kind("government", "政府", 180, (0.55, 0.4, 0.05), 9, ("主任", "Director")),
    Kind("union", "工会", 900, (0.05, 0.85, 0.10), 12, ("工会主席", "Union Chair")),
    Kind("school", "教育", 160, (0.4, 0.52, 0.08), 10, ("校长", "Principal")),
    Kind("insurer", "保险", 220, (0.1, 0.3, 0.6), 8, ("总经理", "General Manager")),
    Kind("company", "制造", 350, (0.35, 0.35, 0.3), 14, ("总经理", "General Manager")),
    Kind("telecom", "通信", 400, (0.2, 0.4, 0.4), 5, ("总经理", "General Manager")),
    Kind("english", "", 300, (0.35, 0.35, 0.3), 8, ("总经理", "General Manager")),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["建国", "丽华", "伟", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
         "刚", "桂英", "志强", "海燕", "文博", "晓东", "雪梅", "国庆", "春燕", "子涵", "浩然"]
EN_GIVEN = ["David", "Linda", "Michael", "Grace", "Kevin", "Helen", "Jason", "Vivian", "Eric", "Cindy", "Tony",
            "Amy"]

ROLE_TITLES: dict[str, list[T]] = {
    "purchaser": [("采购科长", "Purchasing Manager"), ("办公室主任", "Office Manager"),
                  ("后勤处长", "Facilities Head")],
    "user": [("工会委员", "Staff Representative"), ("行政专员", "Admin Officer"), ("部门主任", "Department Head")],
    "influencer": [("办公室副主任", "Deputy Office Manager"), ("人事科长", "HR Manager"),
                   ("行长助理", "Assistant to the President")],
    "gatekeeper": [("秘书", "Secretary"), ("办公室文员", "Office Clerk")],
}
STRENGTH_NOTES: list[T] = [
    ("投标后请吃了顿饭，聊得很投机", "dinner after the tender went well"),
    ("节前上门拜访，送了样品", "visited before the holiday and left samples"),
    ("帮他们联系了同行参观", "arranged a visit to a peer organisation for them"),
    ("换了对接人，要重新建立关系", "new contact person: starting the relationship over"),
    ("交付及时，对方很满意", "on-time delivery, they were pleased"),
    ("电话里态度冷淡", "cool on the phone"),
]

RIVALS: list[tuple[T, T, T, T]] = [  # name, offer, strength, weakness
    (("京东企业购", "JD Enterprise"), ("全品类一站式，次日达", "one-stop catalogue, next-day delivery"),
     ("物流快、发票规范", "fast logistics, clean invoices"), ("不做定制，售后要走平台", "no customisation; after-sales via the platform")),
    (("苏宁政企", "Suning B2B"), ("家电套餐打包价", "bundled price on appliances"),
     ("家电品类全", "wide range of appliances"), ("礼品和服务类弱", "weak on gifts and services")),
    (("得力集团", "Deli Group"), ("办公用品年度协议价", "annual contract prices on office supplies"),
     ("办公品牌知名", "well-known office brand"), ("只卖货，不上门服务", "sells goods only, no on-site service")),
    (("晨光科力普", "M&G Colipu"), ("办公采购平台对接", "procurement platform integration"),
     ("系统对接方便", "easy system integration"), ("福利和礼品选择少", "few welfare or gift options")),
    (("本地礼品公司", "a local gift shop"), ("报价低、能赊账", "low quote, credit terms"),
     ("价格便宜、关系熟", "cheap and well connected"), ("品质不稳定，交期常拖", "uneven quality, late deliveries")),
    (("天猫企业购", "Tmall Business"), ("大促价格", "festival sale prices"),
     ("品牌多、价格透明", "many brands, transparent prices"), ("没有专人跟进", "no dedicated account rep")),
]

NEEDS: dict[str, tuple[list[T], list[T]]] = {  # segment → (stated, guided)
    "office": (
        [("预算内，价格要能过审计", "within budget, a price that survives the audit"),
         ("品牌要有名，质量有保障", "a known brand with a quality record"),
         ("三年保修，坏了上门", "three-year warranty with on-site repair"),
         ("参数满足招标文件", "specs that meet the tender document")],
        [("给使用部门做一次上手培训", "a hands-on training session for the users"),
         ("旧设备回收抵价", "trade-in for the old equipment"),
         ("每季度上门巡检", "a quarterly on-site check")],
    ),
    "welfare": (
        [("人均预算 {budget} 元以内", "under {budget} a head"),
         ("春节前送到各部门", "delivered to every department before the Spring Festival"),
         ("往年没发过的新东西", "something they have not handed out before")],
        [("按部门分装、附领导署名贺卡", "packed per department with a card signed by the leadership"),
         ("员工可在两款中自选", "staff choose between two items"),
         ("一年内坏了包换", "free replacement within a year")],
    ),
    "gift": (
        [("印单位 logo，体面大方", "your logo on it, and it must look good"),
         ("单价控制在预算内", "unit price inside the budget"),
         ("活动前两周到货", "delivered two weeks before the campaign")],
        [("礼盒设计配合活动主题", "box design that carries the campaign's theme"),
         ("代发到每位客户手中", "shipped to each recipient for them"),
         ("附赠活动海报设计", "campaign poster design included")],
    ),
}
ACTIVITIES: dict[str, list[T]] = {
    "call": [("电话确认了预算和时间", "called to confirm budget and timing"),
             ("打电话约拜访时间", "called to book a visit")],
    "visit": [("上门拜访，见了采购和使用部门", "visited; met purchasing and the users"),
              ("带样品上门，现场演示", "visited with samples and a live demo")],
    "letter": [("给领导寄了方案信", "sent a proposal letter to the leadership")],
    "email": [("发了报价单和方案对比", "e-mailed the quote and a comparison"),
              ("发了同行的采购案例", "e-mailed a peer organisation's case")],
    "meeting": [("参加了对方的比选会", "attended their supplier comparison meeting")],
}
NEXT_ACTIONS: list[T] = [("送样品", "bring samples"), ("回电确认数量", "call back to confirm quantities"),
                         ("发正式报价", "send the formal quote"), ("约领导见面", "meet the decision-maker"),
                         ("节后回访", "follow up after the holiday"), ("确认交付时间", "confirm the delivery date")]
LOST_REASONS: list[T] = [
    ("价格比对手高 8%", "8% above the rival's price"),
    ("对手和领导关系更熟", "the rival knew the decision-maker better"),
    ("预算被砍，今年不发了", "budget cut: nothing this year"),
    ("拍板人换了，新领导有自己的供应商", "new decision-maker with a supplier of their own"),
    ("交期赶不上活动", "could not deliver before their event"),
    ("样品没通过使用部门试用", "samples failed the users' trial"),
]
TECHNIQUES: dict[str, list[T]] = {
    "office": [("价格略高，但加送使用人员培训和上门巡检，服务打动了采购", "priced a little higher, but added user training and on-site checks; the service won purchasing over"),
               ("先让使用部门试用一周，再由他们向领导推荐", "let the users try it for a week; they recommended it to the boss"),
               ("给出三年总拥有成本对比，而不是只比单价", "compared three-year cost of ownership, not unit price")],
    "welfare": [("给领导写信：往年冰箱、西服、水果都发过了，今年发什么？", "wrote to the leadership: fridges, suits and fruit already given — what next?"),
                ("准备两款让员工投票，领导拍板更轻松", "offered two items for staff to vote on, so the decision was easy"),
                ("按部门分装并附领导署名贺卡", "packed per department with a card signed by the leadership")],
    "gift": [("把礼品和对方的促销主题绑在一起讲", "tied the gift to their campaign's theme"),
             ("提供代发到客户手中的服务，省了对方人手", "shipped to each recipient for them, saving their staff the work"),
             ("礼盒印上对方 logo，先做一个样盒给领导看", "put their logo on the box and showed the boss a sample first")],
}
LESSONS_WON: list[T] = [
    ("拍板人看重的是附加价值，不是最低价", "the decision-maker wanted added value, not the lowest price"),
    ("让使用人替我们说话，比我们自己说有用", "users speaking for us beat anything we said"),
    ("提前把同行的案例送到领导手上", "get a peer's case into the boss's hands early"),
]
LESSONS_LOST: list[T] = [
    ("没摸清谁真正拍板，一直在和经办人谈", "never found the real decision-maker; kept talking to the purchaser"),
    ("只比价格，没拿出和对手不一样的东西", "competed on price only, with nothing the rival lacked"),
    ("跟进太慢，对手先送了样品", "followed up too slowly; the rival brought samples first"),
]
INCENTIVES: list[T] = [("下次采购多让一档折扣", "one more discount tier on the next order"),
                       ("共享对方的员工活动资源", "shared use of the referred client's staff events"),
                       ("年底送一份定制礼盒", "a custom gift box at year end")]
RECIPROCAL: dict[str, list[tuple[T, int]]] = {
    "bank": [(("员工工资卡代发", "payroll accounts for our staff"), 0), (("企业信用卡 20 张", "20 corporate credit cards"), 40_000)],
    "insurer": [(("员工团体意外险", "group accident cover for our staff"), 60_000), (("车辆保险", "vehicle insurance"), 25_000)],
    "telecom": [(("集团流量套餐", "a group mobile data plan"), 30_000)],
}
CLASSIC_CASES = [  # the two the method is known by, written fresh
    dict(title=("略高于同行的报价仍中标：加送司机商务礼仪培训", "Won above the rivals' price by adding etiquette training for the drivers"),
         outcome="won", segment="office", industry="政府", decided_by=("办公室主任", "office manager"),
         technique=("三家都卖同款车，我们多给了一样别人没有的：司机的商务礼仪培训。奔驰的价格，宾利的服务。",
                    "Three dealers, same cars; we added what no one else had — business etiquette training for the drivers."),
         lesson=("品牌、性能、价格相近时，附加价值决定胜负", "when brand, specs and price are alike, added value decides")),
    dict(title=("税务局年终福利：一百多台挂烫机", "Tax bureau year-end benefit: 100+ garment steamers"),
         outcome="won", segment="welfare", industry="政府", decided_by=("局领导", "the bureau's leadership"),
         technique=("得知对方在考虑发西服，给领导寄信：冰箱、西服、水果都发过了，接下来发什么？从家庭形象讲挂烫机的实用和新意。",
                    "Heard they were considering suits; wrote to the leaders asking what comes after fridges, suits and fruit, and made the case for a steamer as practical and new."),
         lesson=("福利类只定预算不定品类：先提出主张的供应商定义了品类", "welfare buyers fix the budget, not the product: the first supplier with an idea defines it")),
]

SEGMENT_ORDER = ("office", "welfare", "gift")
STAGE_WEIGHTS = {"lead": 28, "qualify": 14, "propose": 13, "negotiate": 9, "won": 8, "deliver": 13, "lost": 15}
TEAMS = {  # the assembly line: who owns which stage
    "early": ["li.na", "zhao.lei"],
    "middle": ["zhang.wei", "wang.fang", "sun.li"],
    "service": ["chen.jie", "zhou.min"],
}
STAGE_TEAM = {"lead": "early", "qualify": "early", "deliver": "service"}
REFERRAL_STATUS = {"lead": "introduced", "qualify": "contacted", "propose": "meeting", "negotiate": "meeting",
                   "won": "won", "deliver": "won", "lost": "lost"}
ACTIVITY_TYPES = ["call", "call", "visit", "email", "letter", "meeting"]


@dataclass
class Plan:
    """What the playbook gives the generator: segments, bundles per segment, the stage line."""

    segments: list[str]
    bundles: dict[str, list[Bundle]]
    line: list[str]  # stages a client moves along, in order (won on it, lost off it)
    won: str | None
    lost: str | None
    skippable: set[str]
    version: str

    @classmethod
    def from_playbook(cls, pb: Playbook) -> "Plan":
        segments = [s.code for s in pb.segments]
        bundles = {s: [b for b in pb.bundles if s in b.segments] for s in segments}
        line = [s.code for s in pb.stages if s.outcome != "lost"] or ["lead"]
        won = next((s.code for s in pb.stages if s.outcome == "won"), None)
        lost = next((s.code for s in pb.stages if s.outcome == "lost"), None)
        skippable = {s.code for s in pb.stages if s.skippable}
        return cls(segments, bundles, line, won, lost, skippable, pb.version)


@dataclass
class Start:
    """The highest id already used per table: demo rows continue after it (``--force``)."""

    ids: dict[str, int] = field(default_factory=dict)

    def after(self, table: str) -> int:
        return self.ids.get(table, 0) + 1


def _pick(rng: random.Random, pool: Sequence[T], en: bool) -> str:
    return rng.choice(pool)[1 if en else 0]


class _Gen:
    def __init__(self, pb: Playbook, clients: int, seed: int, today: date, start: Start):
        self.plan = Plan.from_playbook(pb)
        self.incentive = pb.referrals.incentive(None)  # the playbook's default reward rule
        self.names: dict[int, str] = {}  # client id → name, for the rewards ledger
        self.earned: dict[tuple[int, int], Decimal] = {}  # (referrer, year) → rewards so far, for the cap
        self.n = clients
        self.rng = random.Random(seed)
        self.now = datetime.combine(today, time(9, 0), tzinfo=timezone.utc)
        self.today = today
        self.next_id = {t: start.after(t) for t in ("client", "contact", "deal", "referral")}
        self.first_client = self.next_id["client"]
        self.happy: list[tuple[int, int | None]] = []  # won clients (id, decision-maker contact) to refer from
        self.cases: list[dict] = []
        self.case_cap = min(max(10, clients // 10), 500)
        kinds = KINDS
        self.kind_weights = [k.weight for k in kinds]
        self.city_weights = [c[2] for c in CITIES]
        stage_codes = self.plan.line + ([self.plan.lost] if self.plan.lost else [])
        self.stage_codes = stage_codes
        self.stage_weights = [STAGE_WEIGHTS.get(c, 10) for c in stage_codes]

    # --- one organisation ----------------------------------------------------------------
    def org(self) -> tuple[Kind, str, str, str, bool]:
        rng = self.rng
        kind = rng.choices(KINDS, self.kind_weights)[0]
        city, city_en, _ = rng.choices(CITIES, self.city_weights)[0]
        district = rng.choice(DISTRICTS)
        n = rng.choice(NUMERALS)
        industry = kind.industry
        if kind.code == "hospital":
            name = rng.choice([f"{city}市人民医院", f"{city}市第{n}人民医院", f"{city}市中医院",
                               f"{city}市妇幼保健院", f"{city}市{district}区人民医院"])
        elif kind.code == "bank":
            name = rng.choice([f"{city}银行", f"{rng.choice(BANKS)}{city}分行",
                               f"{rng.choice(BANKS)}{city}{district}支行", f"{city}农村商业银行"])
        elif kind.code == "tax":
            name = rng.choice([f"{city}市{district}区税务局", f"{city}市税务局"])
        elif kind.code == "government":
            name = rng.choice([f"{city}市{district}区人民政府办公室", f"{city}市公安局{district}分局",
                               f"{city}市教育局", f"{city}市{district}区市场监督管理局"])
        elif kind.code == "union":
            name = f"{city}{rng.choice(FACTORIES)}厂工会"
        elif kind.code == "school":
            name = rng.choice([f"{city}市第{n}中学", f"{city}市实验小学", f"{city}职业技术学院",
                               f"{city}市{district}区第{n}小学"])
        elif kind.code == "insurer":
            name = f"{rng.choice(INSURERS)}{city}分公司"
        elif kind.code == "company":
            biz, industry = rng.choice(BUSINESS)
            name = f"{city}{rng.choice(BRANDS)}{biz}有限公司"
        elif kind.code == "telecom":
            name = rng.choice([f"中国移动{city}分公司", f"中国电信{city}分公司", f"中国联通{city}分公司"])
        else:
            suffix, industry, _size = rng.choice(EN_KINDS)
            name = f"{city_en} {rng.choice(EN_NAMES)} {suffix}"
            return kind, name, city, industry, True
        return kind, name, city, industry, False

    def person(self, en: bool) -> tuple[str, str]:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        if en:
            return f"{rng.choice(EN_GIVEN)} {surname}", surname
        return surname + rng.choice(GIVEN), surname

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def reward(self, referral_id: int, referrer: int, deal: dict | None, status: str, created: datetime,
               by: str) -> dict:
        """The ledger entry the programme would have written: pending until the first won deal,
        then due (or, for older ones, already granted), priced by the default rule and its caps."""
        from .store.referrals import reward_amount

        rule = self.incentive
        row = dict(referral_id=referral_id, referrer_id=referrer, referrer_name=self.names.get(referrer, "?"),
                   deal_id=None, kind=rule.kind, description=f"{rule.name.get('zh')}", amount=0.0,
                   status="voided" if status == "lost" else "pending", reverses_id=None, reason=None,
                   created_at=created, created_by=by, due_at=None, granted_at=None, granted_by=None,
                   voided_at=None, voided_by=None)
        if deal is None:
            return row
        amount = reward_amount(rule, Decimal(str(deal["amount"])))
        year = deal["closed_at"].year
        if rule.cap_per_referrer_year is not None:
            so_far = self.earned.get((referrer, year), Decimal(0))
            amount = max(Decimal(0), min(amount, rule.cap_per_referrer_year - so_far))
        self.earned[(referrer, year)] = self.earned.get((referrer, year), Decimal(0)) + amount
        granted = (self.now - deal["closed_at"]).days > 30
        row.update(deal_id=deal["id"], amount=float(amount), status="granted" if granted else "due",
                   due_at=deal["closed_at"], granted_at=deal["closed_at"] + timedelta(days=30) if granted else None,
                   granted_by=by if granted else None)
        return row

    # --- the whole set, in batches -------------------------------------------------------
    def batches(self) -> Iterator[tuple[str, list[dict]]]:
        for first in range(0, self.n, BATCH):
            tables: dict[str, list[dict]] = {t: [] for t in (
                "client", "contact", "contact_strength", "competitor", "need", "deal", "stage_entry", "activity",
                "classification", "referral", "referral_event", "reciprocal", "reward")}
            for _ in range(first, min(first + BATCH, self.n)):
                self.client(tables)
            for table, rows in tables.items():
                if rows:
                    yield table, rows
        yield "case_study", self.case_rows()

    def client(self, out: dict[str, list[dict]]) -> None:
        rng, plan = self.rng, self.plan
        cid = self.next_id["client"]
        self.next_id["client"] += 1
        kind, name, city, industry, en = self.org()
        weights = dict(zip(SEGMENT_ORDER, kind.segments))
        segment = rng.choices(plan.segments, [weights.get(s, 0.3) for s in plan.segments])[0]
        # Sizes spread like real organisations: most modest, a few very large (Pareto tail).
        headcount = max(12, int(kind.headcount * rng.uniform(0.25, 0.6) * min(rng.paretovariate(1.25), 60)))
        bundles = plan.bundles.get(segment) or []
        primary = None
        if bundles:
            primary = rng.choices(bundles, [3 if b.segments[0] == segment else 1 for b in bundles])[0]
        first_quote = quote(primary, headcount) if primary else None
        budget_per_head = None
        if first_quote is not None and rng.random() < 0.85:
            budget_per_head = float(round(float(first_quote.per_head) * rng.uniform(1.0, 1.3), -1) or 10)
        budget_total = round(budget_per_head * headcount, -2) if budget_per_head and rng.random() < 0.3 else None
        occasion = None
        if segment == "welfare":
            occasion = _pick(rng, [("春节", "Spring Festival"), ("中秋", "Mid-Autumn"), ("端午", "Dragon Boat"),
                                   ("年终", "year end"), ("工会活动", "union event")], en)
        elif segment == "gift":
            occasion = _pick(rng, [("客户答谢", "customer thank-you"), ("周年庆", "anniversary"),
                                   ("开业促销", "opening promotion")], en)

        # The stage line: which stage now, the path that led there, who owned each stage.
        current = rng.choices(self.stage_codes, self.stage_weights)[0]
        if current == plan.lost:
            stop = plan.line.index(plan.won) if plan.won in plan.line else len(plan.line)
            upto = plan.line[: rng.randint(1, max(1, stop))]
            path = upto + [current]
        else:
            path = plan.line[: plan.line.index(current) + 1]
        path = [s for i, s in enumerate(path)
                if i == 0 or s == current or s not in plan.skippable or rng.random() > 0.3]
        team = {k: rng.choice(v) for k, v in TEAMS.items()}
        owners = []
        for s in path:
            if s in (plan.won, plan.lost):
                owners.append(owners[-1] if owners else team["middle"])
            else:
                owners.append(team[STAGE_TEAM.get(s, "middle")])
        age = rng.uniform(20, 720)
        created = self.days_ago(age)
        gaps = sorted(rng.uniform(0, age * 0.85) for _ in range(len(path) - 1))
        entered = [created] + [created + timedelta(days=g) for g in gaps]
        for i, s in enumerate(path):
            out["stage_entry"].append(dict(
                client_id=cid, stage=s, owner=owners[i], entered_at=entered[i],
                left_at=entered[i + 1] if i + 1 < len(path) else None, created_by=owners[i]))
        owner = owners[-1]

        out["client"].append(dict(
            id=cid, name=self.names.setdefault(cid, name), name_key=name_key(name), industry=industry, city=city, headcount=headcount,
            budget_per_head=budget_per_head, budget_total=budget_total, occasion=occasion, segment=segment,
            confidence=round(rng.uniform(0.55, 0.98), 2), stage=current, owner=owner, notes=None, parent_id=None,
            created_at=created, updated_at=entered[-1], created_by=owners[0], updated_by=owner))
        probs = {s: round(rng.uniform(0.01, 0.2), 2) for s in plan.segments}
        probs[segment] = round(1 - sum(v for k, v in probs.items() if k != segment), 2)
        out["classification"].append(dict(
            client_id=cid, segment=segment, confidence=probs[segment], answers={}, scores=probs,
            playbook_version=plan.version, created_at=created, created_by=owners[0]))

        # Contacts: the decision-maker first, then others by role; strength with its history.
        stage_pos = path.index(current)
        won = plan.won is not None and plan.won in path
        lost = current == plan.lost
        # How far along the line the account got (for a lost one: before it was lost).
        reached = max(plan.line.index(s) for s in path if s in plan.line)
        proposed = next((i for i, s in enumerate(path) if s in plan.line and plan.line.index(s) >= 2), None)
        n_contacts = 1 + min(3, int(rng.random() * (2 + headcount / 400)))
        roles = ["decision-maker"] + rng.sample(list(ROLE_TITLES), min(n_contacts - 1, len(ROLE_TITLES)))
        boss_id = None
        boss_name = ""
        for role in roles:
            contact_id = self.next_id["contact"]
            self.next_id["contact"] += 1
            person, surname = self.person(en)
            title = kind.boss[1 if en else 0] if role == "decision-maker" else _pick(rng, ROLE_TITLES[role], en)
            strength = max(1, min(5, rng.randint(1, 3) + (2 if won else 0) + (stage_pos > 1) - (1 if lost else 0)))
            when = created + timedelta(days=rng.uniform(0, max(1.0, (self.now - created).days * 0.5)))
            out["contact"].append(dict(
                id=contact_id, client_id=cid, name=person, title=title, phone=f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}",
                role=role, strength=strength, created_at=created, created_by=owners[0],
                updated_at=when, updated_by=owner))
            history = [max(1, strength - 1), strength] if rng.random() < 0.5 else [strength]
            for j, value in enumerate(history):
                out["contact_strength"].append(dict(
                    contact_id=contact_id, strength=value, note=_pick(rng, STRENGTH_NOTES, en),
                    created_at=when - timedelta(days=20 * (len(history) - 1 - j)), created_by=owner))
            if role == "decision-maker":
                boss_id = contact_id
                boss_name = person if en else f"{surname}{title}"

        # Rivals and needs once the account is past the first call.
        if stage_pos > 0 or rng.random() < 0.3:
            for rival in rng.sample(RIVALS, rng.choice([0, 1, 1, 2])):
                price = None
                if first_quote is not None and rng.random() < 0.6:
                    # per head, as `tg competitors add --price` records it
                    price = round(float(first_quote.per_head) * rng.uniform(0.85, 1.05), 1)
                out["competitor"].append(dict(
                    client_id=cid, name=rival[0][1 if en else 0], offer=rival[1][1 if en else 0], price=price,
                    strength=rival[2][1 if en else 0], weakness=rival[3][1 if en else 0],
                    created_at=entered[min(1, len(entered) - 1)], created_by=owner))
        stated, guided = NEEDS.get(segment, NEEDS["office"])
        for kind_code, pool, k in (("stated", stated, rng.randint(1, 2)), ("guided", guided, rng.randint(0, 2))):
            for text in rng.sample(pool, min(k, len(pool))):
                value = text[1 if en else 0].replace("{budget}", f"{budget_per_head or 300:g}")
                out["need"].append(dict(client_id=cid, kind=kind_code, text=value,
                                        source="classify" if kind_code == "stated" else "manual",
                                        created_at=created, created_by=owners[0]))

        # Deals: open while proposing or negotiating; won (often more than once) after a win; lost with why.
        revenue_deals = []
        if primary is not None and first_quote is not None:
            def deal(bundle: Bundle, status: str, opened: datetime, closed: datetime | None,
                     reason: str | None = None) -> None:
                qt = quote(bundle, headcount)
                deal_id = self.next_id["deal"]
                self.next_id["deal"] += 1
                out["deal"].append(dict(
                    id=deal_id, client_id=cid, bundle_code=bundle.code, quantity=qt.sets, amount=float(qt.total),
                    status=status, lost_reason=reason, closed_at=closed, created_at=opened, created_by=owner,
                    updated_at=closed, updated_by=owner if closed else None))
                revenue_deals.append((bundle, qt, status))

            opened = entered[proposed] if proposed is not None else entered[-1]
            if lost and reached >= 2:
                deal(primary, "lost", opened, entered[-1], _pick(rng, LOST_REASONS, en))
            elif won:
                won_at = entered[path.index(plan.won)]
                deal(primary, "won", opened, won_at)
                repeats = rng.choices([0, 1, 2, 3], [50, 30, 13, 7])[0] + (1 if headcount > 2000 else 0)
                for _ in range(repeats):
                    later = won_at + timedelta(days=rng.uniform(1, max(2.0, (self.now - won_at).days)))
                    deal(rng.choice(bundles), "won", later, later)
            elif not lost and reached >= 2:
                deal(primary, "open", opened, None)

        # Activities: the history, and a follow-up due (some already overdue).
        for j in range(rng.randint(1, 4)):
            kind_a = rng.choice(ACTIVITY_TYPES)
            when = created + timedelta(days=(self.now - created).days * (j + 1) / 5)
            last = j == 0
            due = None
            nxt = None
            done = True
            if last and current not in (plan.lost,):
                nxt = _pick(rng, NEXT_ACTIONS, en)
                due = self.today + timedelta(days=rng.randint(-10, 14))
                done = False
            out["activity"].append(dict(
                client_id=cid, type=kind_a, text=_pick(rng, ACTIVITIES[kind_a], en), next_action=nxt, due=due,
                done=done, created_at=min(when, self.now), created_by=owner))

        # Referrals: a good share of clients were introduced by an earlier, happy client.
        if self.happy and rng.random() < 0.15:
            referrer, contact_id = rng.choice(self.happy)
            rid = self.next_id["referral"]
            self.next_id["referral"] += 1
            status = REFERRAL_STATUS.get(current, "introduced")
            first_won = next((d for d in out["deal"] if d["client_id"] == cid and d["status"] == "won"), None)
            converted = status == "won" and first_won is not None
            out["referral"].append(dict(
                id=rid, referrer_id=referrer, referred_id=cid, contact_id=contact_id,
                incentive=_pick(rng, INCENTIVES, en), status=status, note=None, credited=True,
                incentive_code=self.incentive.code if self.incentive else None,
                status_at=entered[-1], converted_at=first_won["closed_at"] if converted else None,
                converted_value=first_won["amount"] if converted else None,
                created_at=created, created_by=owners[0]))
            if self.incentive is not None:
                out["reward"].append(self.reward(rid, referrer, first_won if converted else None, status,
                                                 created, owners[0]))
            out["referral_event"].append(dict(referral_id=rid, status="introduced", note=None, at=created,
                                              by=owners[0]))
            if status != "introduced":
                out["referral_event"].append(dict(referral_id=rid, status=status, note=None, at=entered[-1],
                                                  by=owner))

        if won:
            self.happy.append((cid, boss_id))
            options = RECIPROCAL.get(kind.code)
            if options and rng.random() < 0.5:
                (what, amount) = rng.choice(options)
                out["reciprocal"].append(dict(
                    client_id=cid, we_buy=what[1 if en else 0], amount=float(amount or rng.randint(5, 50) * 1000),
                    on=(entered[-1] + timedelta(days=10)).date() if entered[-1] + timedelta(days=10) < self.now
                    else self.today, created_at=entered[-1], created_by=owner))

        # The case library: some wins and losses written up, with technique and lesson.
        closing = [d for d in revenue_deals if d[2] in ("won", "lost")]
        if closing and len(self.cases) < self.case_cap and rng.random() < 0.3:
            bundle, qt, status = closing[0]
            bname = bundle.name.get("en" if en else "zh")
            if status == "won":
                title = (f"{name}: {bname}, {qt.sets} sets" if en else f"{name}：{bname} {qt.sets} 套")
                technique = _pick(rng, TECHNIQUES.get(segment, TECHNIQUES["office"]), en)
                lesson = _pick(rng, LESSONS_WON, en)
            else:
                reason = out["deal"][-1]["lost_reason"] if out["deal"] else ""
                title = (f"{name}: lost {bname} ({reason})" if en else f"{name}：丢了{bname}（{reason}）")
                technique = None
                lesson = _pick(rng, LESSONS_LOST, en)
            self.cases.append(dict(title=title, outcome=status, segment=segment, industry=industry,
                                   decided_by=boss_name, technique=technique, lesson=lesson, client_id=cid,
                                   created_at=entered[-1], created_by=owner))

    def case_rows(self) -> list[dict]:
        rows = []
        for i, c in enumerate(CLASSIC_CASES):
            if c["segment"] not in self.plan.segments:
                continue
            rows.append(dict(title=c["title"][0], outcome=c["outcome"], segment=c["segment"], industry=c["industry"],
                             decided_by=c["decided_by"][0], technique=c["technique"][0], lesson=c["lesson"][0],
                             client_id=None, created_at=self.days_ago(900 - i), created_by=DEMO_USER))
        return rows + self.cases


def generate(pb: Playbook, *, clients: int, seed: int, today: date,
             start: Start | None = None) -> Iterator[tuple[str, list[dict]]]:
    """Yield ``(table, rows)`` batches, parents before children. Pure and reproducible."""
    return _Gen(pb, clients, seed, today, start or Start()).batches()
