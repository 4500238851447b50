"""Load and validate a playbook (YAML) into strict pydantic models.

A playbook is data, never code: YAML is read with the safe loader, every
mapping is checked against a model with ``extra="forbid"``, and pitch
templates may only name the placeholders in ``PLACEHOLDERS`` — checked here,
at load time, so a typo cannot reach a rep in the middle of a visit.

Problems are reported as ``file:line path: message``, one per line.
"""

from __future__ import annotations

import functools
import os
import re
import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from . import i18n
from .choices import ROLE_CODES  # noqa: F401  (Role.code's values, kept where no pydantic is loaded)
from .errors import PlaybookInvalid
from .playbook_file import default_playbook_path, resolve_playbook_path  # noqa: F401

# The question whose choice values are the occasion codes that bundles may name.
OCCASION_QUESTION = "occasion"
# Client fields an answer may fill in, and the placeholders pitch texts may use.
ClientField = Literal["headcount", "budget_per_head", "budget_total", "occasion", "industry", "city"]
NUMERIC_FIELDS = {"headcount", "budget_per_head", "budget_total"}
PLACEHOLDERS = frozenset(
    {"client", "price", "headcount", "occasion", "city", "industry", "budget_per_head", "budget_total",
     "bundle", "per_head", "total", "rival", "contact"}
)
QUESTION_TYPES = ("select", "multiselect", "number", "text", "confirm")


@dataclass(frozen=True)
class LocalText:
    """A user-visible text in both languages (a plain YAML string serves both)."""

    zh: str
    en: str

    def get(self, lang: str | None = None) -> str:
        return self.zh if (lang or i18n.get_lang()) == "zh" else self.en

    def __str__(self) -> str:  # pragma: no cover - convenience for debugging
        return self.get()

    def as_json(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


def _to_text(value: Any) -> LocalText:
    if isinstance(value, LocalText):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("text must not be empty")
        return LocalText(value, value)
    if isinstance(value, dict):
        unknown = sorted(str(k) for k in value if k not in i18n.LANGS)
        if unknown:
            raise ValueError(f"unknown language key(s) {', '.join(unknown)}: use zh and en")
        missing = [k for k in i18n.LANGS if k not in value]
        if missing:
            raise ValueError(f"missing {' and '.join(missing)} text")
        for k in i18n.LANGS:
            if not isinstance(value[k], str) or not value[k].strip():
                raise ValueError(f"{k} text must be a non-empty string")
        return LocalText(value["zh"], value["en"])
    raise ValueError("expected a text or a {zh: …, en: …} mapping")


Text = Annotated[LocalText, PlainValidator(_to_text), WithJsonSchema({"type": "string"})]
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
# Scores are sums of weights: a weight of 1e308 made one sum infinite and the confidence NaN.
Weights = dict[Code, Annotated[float, Field(ge=-1000, le=1000)]]


def template_fields(template: str) -> list[str]:
    """The placeholder names in a template; raises ValueError for anything but ``{name}``."""
    names = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"bad template braces ({exc}); write {{{{ and }}}} for literal braces") from None
    for _literal, field_name, format_spec, conversion in parsed:
        if field_name is None:
            continue
        if format_spec or conversion:
            raise ValueError(f"placeholder {{{field_name}}} may not carry a format or conversion")
        if field_name not in PLACEHOLDERS:
            raise ValueError(
                f"unknown placeholder {{{field_name}}}; allowed: "
                + ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            )
        names.append(field_name)
    return names


def fill_template(template: str, values: dict[str, str]) -> str:
    """Substitute validated placeholders by plain concatenation: no str.format, no lookups."""
    out = []
    for literal, field_name, _spec, _conv in string.Formatter().parse(template):
        out.append(literal)
        if field_name is not None:
            out.append(values[field_name])
    return "".join(out)


class Strict(BaseModel):
    # No .nan or .inf anywhere: a NaN weight made every probability NaN (and the JSON invalid).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)


class Settings(Strict):
    stop_confidence: float = Field(0.8, gt=0.34, le=1.0)
    """Stop asking once the leading segment's probability reaches this."""
    min_questions: int = Field(3, ge=1)
    temperature: float = Field(3.0, gt=0)
    """Scores become probabilities as exp(score / temperature): larger = more cautious."""
    running_share: float = Field(0.12, ge=0, lt=1)
    """A segment stays in the running while its probability is at least this."""


class Objection(Strict):
    objection: Text
    answer: Text


class Pitch(Strict):
    opening: Text
    stated_needs: list[Text] = Field(min_length=1)
    guided_needs: list[Text] = Field(min_length=1)
    objections: list[Objection] = Field(min_length=1)
    close: Text

    @model_validator(mode="after")
    def _templates(self) -> "Pitch":
        texts = [self.opening, self.close, *self.stated_needs, *self.guided_needs]
        texts += [t for o in self.objections for t in (o.objection, o.answer)]
        for text in texts:
            for lang_text in (text.zh, text.en):
                template_fields(lang_text)
        return self


class Segment(Strict):
    code: Code
    name: Text
    summary: Text
    need_points: list[Text] = Field(min_length=1)
    values: list[Text] = Field(min_length=1)
    pitch: Pitch


class Effect(Strict):
    """What an answer does: adds weights to segments, asks for bundle tags, fills client fields."""

    weights: Weights = {}
    tags: list[Code] = []
    sets: dict[ClientField, str | float] = {}

    @field_validator("sets")
    @classmethod
    def _typed(cls, sets: dict) -> dict:
        for key, value in sets.items():
            if key in NUMERIC_FIELDS:
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not (0 <= value < 1e12):
                    raise ValueError(f"sets.{key} must be a number from 0 up")
                if key == "headcount" and value != int(value):
                    raise ValueError("sets.headcount must be a whole number")
            elif not isinstance(value, str):
                raise ValueError(f"sets.{key} must be a text")
        return sets


class Choice(Effect):
    value: Annotated[str, Field(min_length=1, max_length=60)]
    label: Text


class NumberRange(Effect):
    min: float | None = None
    max: float | None = None

    def contains(self, x: float) -> bool:
        return (self.min is None or x >= self.min) and (self.max is None or x < self.max)


class KeywordRule(Effect):
    match: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)


class Signal(KeywordRule):
    """A phrase rule for free-text call notes (``tg classify --notes``).

    Any phrase of ``match`` found in the notes adds ``weights`` once per rule, asks for
    ``tags`` and fills ``sets``. A phrase with a negation just before it in the same clause
    ("不是发福利", "no tender") adds ``negated`` instead — nothing unless given. A rule with
    no weights and no tags only shields its phrases from shorter ones (福利院 is not 福利).
    """

    negated: Weights = {}
    recipient: Code | None = None
    """Who ends up with the goods (own_staff, own_use, customers, partners, residents …): a rule
    naming the recipients outweighs what the goods are (notes.py)."""
    occasion: Code | None = None
    """The occasion code the phrase names (mid_autumn, dragon_boat …), for the ask."""
    item: bool = False
    """The phrases name goods (冰箱, 打印机, mooncakes): the ask's item, and what was given before."""
    why: bool = True
    """False when the phrases say how they buy (人均, per head) but not who receives it or why."""
    owner_unclear: bool = False
    """The phrases name people by their trade (环卫工人, 官兵, 律师们) without saying whose they are:
    the buyer's own staff (welfare) or people it gives to (gifts). Alone, they leave the call unsure."""


class Question(Strict):
    id: Code
    type: Literal["select", "multiselect", "number", "text", "confirm"]
    text: Text
    help: Text | None = None
    field: ClientField | None = None
    """number/text answers are stored in this client field."""
    always: bool = False
    """Asked even once the segment is clear: it fills in what the bundle needs."""
    segments: list[Code] = []
    """An `always` question asked only when one of these kinds of buyer leads (what an office
    wants to buy is not asked of a welfare buyer); empty: asked of every buyer."""
    by_segment: dict[Code, Text] = {}
    """The question as put to the leading kind of buyer (how many units for an office, how
    many people for welfare, how many pieces for gifts); `text` for the others."""
    choices: list[Choice] = []
    ranges: list[NumberRange] = []
    keywords: list[KeywordRule] = []
    yes: Effect | None = None
    no: Effect | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _shape(self) -> "Question":
        kind = self.type
        if kind in ("select", "multiselect"):
            if len(self.choices) < 2:
                raise ValueError(f"a {kind} question needs at least 2 choices")
            values = [c.value for c in self.choices]
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise ValueError(f"duplicate choice value(s): {', '.join(dupes)}")
        elif self.choices:
            raise ValueError(f"choices are only for select/multiselect, not {kind}")
        if self.ranges and kind != "number":
            raise ValueError("ranges are only for number questions")
        if self.keywords and kind != "text":
            raise ValueError("keywords are only for text questions")
        if (self.yes or self.no) and kind != "confirm":
            raise ValueError("yes/no effects are only for confirm questions")
        if kind == "confirm" and not (self.yes or self.no):
            raise ValueError("a confirm question needs a yes or a no effect")
        if self.field in NUMERIC_FIELDS and kind != "number":
            raise ValueError(f"field {self.field} needs a number question")
        if self.field and kind in ("select", "multiselect", "confirm"):
            raise ValueError("select/confirm answers fill fields through 'sets', not 'field'")
        return self

    def outcomes(self) -> list[Effect]:
        """Every distinct effect an answer can have (for choosing the next question)."""
        if self.type in ("select", "multiselect"):
            return list(self.choices)
        if self.type == "number":
            return list(self.ranges)
        if self.type == "text":
            return [*self.keywords, Effect()]
        return [e or Effect() for e in (self.yes, self.no)]

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


class Item(Strict):
    name: Text
    unit_price: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
    per_set: int = Field(1, ge=1)
    category: Text | None = None
    """The catalogue category path of the item (办公设备/打印机): what makes a bundle "contain a printer"."""
    unit: Text | None = None
    """The unit it is counted in (台, 盒 …)."""


class Tier(Strict):
    min_sets: int = Field(ge=2)
    discount_pct: float = Field(gt=0, lt=90)


class Quantity(Strict):
    rule: Literal["per_person", "per_group", "fixed"] = "per_person"
    group_size: int | None = Field(None, ge=2)
    sets: int | None = Field(None, ge=1)
    min_sets: int = Field(1, ge=1)

    @model_validator(mode="after")
    def _rule(self) -> "Quantity":
        if self.rule == "per_group" and self.group_size is None:
            raise ValueError("rule per_group needs group_size")
        if self.rule == "fixed" and self.sets is None:
            raise ValueError("rule fixed needs sets")
        return self


class Bundle(Strict):
    code: Code
    name: Text
    description: Text
    segments: list[Code] = Field(min_length=1)
    tags: list[Code] = []
    items: list[Item] = Field(min_length=1)
    quantity: Quantity = Quantity()
    tiers: list[Tier] = []
    services: list[Text] = []
    occasions: list[Code] = []
    """The occasions it is made for: choice values of the ``occasion`` question. Empty: any
    occasion. A bundle whose occasions leave out the client's is not offered (recommend.py)."""

    @field_validator("tiers")
    @classmethod
    def _increasing(cls, tiers: list[Tier]) -> list[Tier]:
        for a, b in zip(tiers, tiers[1:]):
            if b.min_sets <= a.min_sets or b.discount_pct <= a.discount_pct:
                raise ValueError("tiers must rise in both min_sets and discount_pct")
        return tiers

    @property
    def set_price(self) -> Decimal:
        return sum((i.unit_price * i.per_set for i in self.items), Decimal(0))


class Stage(Strict):
    """One station of the stage line (流程式作业)."""

    code: Code
    name: Text
    skippable: bool = False
    """May a hand-off jump over this stage?"""
    credit: int = Field(0, ge=0, le=100)
    """Share (%) of won revenue credited to whoever owned the client in this stage."""
    rot_days: int | None = Field(None, ge=1)
    """An account left untouched longer than this in this stage shows up in the agenda."""
    outcome: Literal["won", "lost"] | None = None


class Role(Strict):
    """How to approach a contact by the part they play in the purchase."""

    code: Literal["decision-maker", "purchaser", "user", "influencer", "gatekeeper"]
    name: Text
    approach: Text


class Positioning(Strict):
    """A 'why us over the rival' line: applies when the segment matches and the rival is weak there."""

    segments: list[Code] = []
    """Empty: any segment."""
    weak_at: list[Annotated[str, Field(min_length=1)]] = []
    """Phrases looked for in the rival's recorded weakness and offer; empty: any rival."""
    say: Text

    @model_validator(mode="after")
    def _template(self) -> "Positioning":
        for text in (self.say.zh, self.say.en):
            template_fields(text)
        return self


class Incentive(Strict):
    """What a referrer earns when the client they introduced places its first won order."""

    code: Code
    kind: Literal["discount", "resources", "gift", "commission"]
    name: Text
    percent: float | None = Field(None, gt=0, le=50)
    """Share of the converted deal."""
    amount: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)] | None = None
    """A fixed value instead (a gift, a voucher)."""
    cap_per_referral: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)] | None = None
    cap_per_referrer_year: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)] | None = None
    earn_on: Literal["won", "collected"] = "won"
    """won: due when the deal is won; collected: earned as the order's money comes in, in
    proportion, and reversed (new ledger rows) when it is refunded."""

    @model_validator(mode="after")
    def _one_value(self) -> "Incentive":
        if (self.percent is None) == (self.amount is None):
            raise ValueError("give exactly one of percent or amount")
        return self


class ReferralRules(Strict):
    conversion_window_days: int = Field(180, ge=1)
    """A referred client's first won deal must come within this many days of the introduction."""
    default_incentive: Code | None = None
    incentives: list[Incentive] = []

    @model_validator(mode="after")
    def _known_default(self) -> "ReferralRules":
        codes = [i.code for i in self.incentives]
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate incentive code(s)")
        if self.default_incentive and self.default_incentive not in codes:
            raise ValueError(f"default_incentive {self.default_incentive} is not one of the incentives")
        return self

    def incentive(self, code: str | None) -> Incentive | None:
        wanted = code or self.default_incentive
        return next((i for i in self.incentives if i.code == wanted), None)


# --- the catalogue's vocabulary, the terms of sale and the buyers' rules -----------------------

OWNERSHIP = ("government", "party", "public_institution", "soe", "private", "union")


class CategoryDef(Strict):
    """A catalogue category (a path, 办公设备/打印机) and the words buyers name it by."""

    path: Text
    words: list[Annotated[str, Field(min_length=1)]] = []


class CatalogSection(Strict):
    categories: list[CategoryDef] = []
    # Whether a database without a catalogue of its own offers (and is seeded with) the shipped
    # default products as well as the playbook's bundles; false for a company whose playbook
    # bundles are all it sells until it imports its price list.
    shipped_products: bool = True

    def category(self, path: str) -> CategoryDef | None:
        return next((c for c in self.categories if path in (c.path.zh, c.path.en)), None)


class OccasionDef(Strict):
    """An occasion code (as products name them) and the product occasions an ask for it accepts."""

    code: Code
    name: Text
    accepts: list[Code] = []
    """Products made for these occasions suit it too (a union event takes Women's Day goods)."""


class Terms(Strict):
    """What a total includes besides the goods, said beside every total."""

    delivery_included: bool = True
    delivery: Text | None = None
    """How delivery is charged, in a few words (市内送货上门，含运费)."""


class Ownership(Strict):
    """How to tell a kind of buyer (government, SOE, a union …) from the record."""

    code: Literal["government", "party", "public_institution", "soe", "private", "union"]
    name: Text
    industries: list[Annotated[str, Field(min_length=1)]] = []
    """The industry answer values and stored industry texts that mean this kind."""
    name_has: list[Annotated[str, Field(min_length=1)]] = []
    # Words a rep's notes use for the buyer's own side (局里, 我们机关): who is buying, not whom
    # they give to (给税务局送礼 names a recipient, so a name word in the notes does not count).
    notes_has: list[Annotated[str, Field(min_length=1)]] = []
    """Words in the client's name that mean this kind (局, 委员会, 工会 …)."""


class RuleCheck(Strict):
    """One rule: whom it concerns and what, ``block`` (never offered or booked) or ``warn``."""

    code: Code
    action: Literal["block", "warn"]
    applies_to: Literal["offer", "reward"] = "offer"
    buyers: list[Literal["government", "party", "public_institution", "soe", "private", "union"]] = []
    segments: list[Code] = []
    industries: list[Annotated[str, Field(min_length=1)]] = []
    recipients: list[Annotated[str, Field(min_length=1)]] = []
    """Words naming who receives the goods (医院, 科室 …): the rule concerns gifts to them."""
    categories: list[Annotated[str, Field(min_length=1)]] = []
    """Category paths (of the catalog section); a path covers everything below it."""
    tags: list[Code] = []
    occasions: list[Code] = []
    outside_occasions: list[Code] = []
    """Applies when the occasion is not one of these (or is not known)."""
    per_head_over: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] | None = None
    total_over: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] | None = None
    reward_kinds: list[Literal["discount", "resources", "gift", "commission"]] = []
    reason: Text
    instead: Text | None = None
    """What to do instead, said with the reason."""

    @model_validator(mode="after")
    def _shape(self) -> "RuleCheck":
        if self.reward_kinds and self.applies_to != "reward":
            raise ValueError("reward_kinds are only for rules with applies_to: reward")
        if self.applies_to == "reward" and (self.categories or self.tags or self.per_head_over is not None):
            raise ValueError("a reward rule names buyers and reward_kinds, not categories, tags or amounts per head")
        return self


class RulesSection(Strict):
    about: Text | None = None
    """Where the rules come from and that they are a starting point."""
    ownership: list[Ownership] = []
    checks: list[RuleCheck] = []


class QuoteTerms(Strict):
    """How our quotations (报价单) are numbered, priced and worded."""

    number_prefix: Annotated[str, Field(pattern=r"^[A-Z]{1,6}$")] = "Q"
    """Quote numbers read PREFIX-YEAR-SEQUENCE: Q-2026-0012."""
    valid_days: int = Field(30, ge=1, le=365)
    vat_rate: Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] = Decimal(13)
    """VAT in percent for lines whose product names no rate of its own."""
    prices_include_vat: bool = True
    """List prices are 含税 (VAT included), as Chinese price lists usually are."""
    approval_above_pct: float = Field(5, ge=0, lt=90)
    """An extra discount above this (percent, on top of the tiers) needs a manager's approval."""
    delivery_terms: Text
    payment_terms: Text
    docx_template: Annotated[str, Field(min_length=1)] | None = None
    """A Word template of the support centre's (docxtpl tags), relative to the playbook file;
    none: the one shipped with tg."""


class Company(Strict):
    """Our own header on quotations and orders. A company replaces the shipped example."""

    name: Text
    address: Text
    tax_id: Annotated[str, Field(min_length=1)]
    """Our unified social credit code (统一社会信用代码), which is also our taxpayer number."""
    bank: Text
    account: Annotated[str, Field(pattern=r"^[0-9][0-9 ]{5,38}[0-9]$")]
    contact: Text
    phone: Annotated[str, Field(pattern=r"^[0-9+()\- ]{5,30}$")]
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")] | None = None
    quotes: QuoteTerms

    @field_validator("tax_id")
    @classmethod
    def _credit_code(cls, value: str) -> str:
        from .credit_code import normalise, problem

        reason = problem(normalise(value))
        if reason is not None:
            raise ValueError(reason)
        return normalise(value)


class DigestRules(Strict):
    """The daily digest (tg digest) and the follow-up calendar (tg agenda --format ics)."""

    escalation_days: int = Field(3, ge=0)
    """A follow-up overdue more than this many days is listed for the manager too."""
    reminder_time: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] = "09:00"
    """When a follow-up's calendar event starts on its day (HH:MM, the team's time zone)."""
    event_minutes: int = Field(30, ge=5, le=24 * 60)
    """How long a follow-up's calendar event lasts."""
    alarm_minutes: int = Field(15, ge=0, le=7 * 24 * 60)
    """The calendar's reminder alarm, this many minutes before the event."""
    time_zone: Annotated[str, Field(min_length=1, max_length=64)] = "Asia/Shanghai"
    """The IANA time zone of reminder_time (calendars shift it for a rep travelling elsewhere)."""

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Shanghai)") from None
        return value


class ReclaimRule(Strict):
    """When a client of one class goes back to the lead pool: after this many days without an
    activity, without an open deal, or months without a win, counted from the later of the
    owner taking it and the last such event. A rule left out does not apply."""

    no_activity_days: int | None = Field(None, ge=1, le=3650)
    no_open_deal_days: int | None = Field(None, ge=1, le=3650)
    no_win_months: int | None = Field(None, ge=1, le=120)

    def shortest_days(self) -> int | None:
        days = [d for d in (self.no_activity_days, self.no_open_deal_days,
                            self.no_win_months * 28 if self.no_win_months else None) if d]
        return min(days) if days else None


class PoolExempt(Strict):
    """Clients the sweep leaves with their owner, whatever the rules say."""

    open_deal: bool = True
    won_within_months: int | None = Field(12, ge=1, le=120)
    pending_payment: bool = True
    """A payment still due (once payments are recorded: store.pool.pending_payments)."""


class PoolRules(Strict):
    """The lead pool (公海): clients without an owner, the reclaim rules per customer class (A/B/C
    of the 80/20 report), warnings, the wait before a previous owner may claim again, and caps."""

    reclaim: dict[Literal["A", "B", "C"], ReclaimRule] = {}
    exempt: PoolExempt = PoolExempt()
    warn_days: int = Field(7, ge=0, le=365)
    """The owner sees a warning in the agenda this many days before a reclaim."""
    reclaim_wait_days: int = Field(30, ge=0, le=3650)
    """A previous owner (released or reclaimed) may not claim the client again for this long."""
    claims_per_day: int = Field(5, ge=1, le=10_000)
    max_held: int = Field(200, ge=1, le=1_000_000)
    """Clients one rep may hold at most (claims stop there; assignments by a manager do not)."""

    @model_validator(mode="after")
    def _warn_before_reclaim(self) -> "PoolRules":
        for cls, rule in self.reclaim.items():
            shortest = rule.shortest_days()
            if shortest is not None and self.warn_days >= shortest:
                raise ValueError(f"warn_days ({self.warn_days}) must be shorter than class {cls}'s shortest "
                                 f"reclaim ({shortest} days): the warning would come with the client")
        return self


class Season(Strict):
    """A festival welfare buyers order for every year, and when its ordering window opens."""

    occasion: Code
    lead_days: int = Field(ge=1, le=180)
    """The window opens this many days before the festival (中秋 6–8 weeks, 春节 from 腊月)."""
    dates: dict[int, date]
    """The festival's day per year (a lunar date: the calendar is data, not code)."""
    novelty: Text | None = None
    """What to say about changing last year's order (welfare buyers want something new)."""

    @field_validator("dates")
    @classmethod
    def _years(cls, value: dict[int, date]) -> dict[int, date]:
        for year, day in value.items():
            if day.year != year:
                raise ValueError(f"the {year} date {day.isoformat()} is not in {year}")
        if len(value) < 2:
            raise ValueError("give the festival's date for at least two years")
        return dict(sorted(value.items()))


class OrdersSection(Strict):
    """From won to cash: how stage credit is earned, and the seasons that come back."""

    credit_on: Literal["won", "collected"] = "won"
    """The stage credit split (tg report credit) on won deals, or on the money collected."""
    seasons: list[Season] = []

    def season(self, occasion: str | None) -> "Season | None":
        return next((s for s in self.seasons if s.occasion == occasion), None)


class Playbook(Strict):
    version: Annotated[str, Field(min_length=1)]
    title: Text
    currency: str = "¥"
    settings: Settings = Settings()
    segments: list[Segment] = Field(min_length=2)
    questions: list[Question] = Field(min_length=1)
    bundles: list[Bundle] = Field(min_length=1)
    stages: list[Stage] = []
    roles: list[Role] = []
    positioning: list[Positioning] = []
    referrals: ReferralRules = ReferralRules()
    signals: list[Signal] = []
    """Phrases that classify free-text call notes (optional)."""
    catalog: CatalogSection = CatalogSection()
    occasions: list[OccasionDef] = []
    terms: Terms = Terms()
    rules: RulesSection = RulesSection()
    company: Company | None = None
    """Our header and terms on quotations (optional: tg quote needs it)."""
    digest: DigestRules = DigestRules()
    pool: PoolRules = PoolRules()
    """The lead pool's reclaim rules and caps (none given: nothing is ever reclaimed)."""
    orders: OrdersSection = OrdersSection()

    @model_validator(mode="after")
    def _cross_references(self) -> "Playbook":
        problems = []
        codes = [s.code for s in self.segments]
        known = set(codes)
        for label, items in (("segment code", codes), ("question id", [q.id for q in self.questions]),
                             ("bundle code", [b.code for b in self.bundles])):
            dupes = sorted({c for c in items if items.count(c) > 1})
            if dupes:
                problems.append(f"duplicate {label}(s): {', '.join(dupes)}")
        for q in self.questions:
            for effect in q.outcomes():
                bad = sorted(set(effect.weights) - known)
                if bad:
                    problems.append(f"question {q.id} weighs unknown segment(s): {', '.join(bad)}")
        occasions = self.occasion_codes()
        for b in self.bundles:
            bad = sorted(set(b.segments) - known)
            if bad:
                problems.append(f"bundle {b.code} names unknown segment(s): {', '.join(bad)}")
            bad = sorted(set(b.occasions) - set(occasions))
            if bad and not occasions:
                problems.append(f"bundle {b.code} names occasion(s) {', '.join(bad)}, but the playbook has no "
                                f"select question with id {OCCASION_QUESTION} whose choices they could be")
            elif bad:
                problems.append(f"bundle {b.code} names unknown occasion(s): {', '.join(bad)} "
                                f"(the {OCCASION_QUESTION} question's choices: {', '.join(occasions)})")
        if self.stages:
            stage_codes = [s.code for s in self.stages]
            dupes = sorted({c for c in stage_codes if stage_codes.count(c) > 1})
            if dupes:
                problems.append(f"duplicate stage code(s): {', '.join(dupes)}")
            total = sum(s.credit for s in self.stages)
            if total != 100:
                problems.append(f"stage credit weights must sum to 100, not {total}")
            if not {"won", "lost"} <= {s.outcome for s in self.stages}:
                problems.append("stages need one with outcome won and one with outcome lost")
        roles = [r.code for r in self.roles]
        if len(set(roles)) != len(roles):
            problems.append("each role may appear once")
        for rule in self.positioning:
            bad = sorted(set(rule.segments) - known)
            if bad:
                problems.append(f"positioning names unknown segment(s): {', '.join(bad)}")
        problems += _signal_problems(self.signals, known)
        if self.occasions:
            named = {o.code for o in self.occasions}
            for season in self.orders.seasons:
                if season.occasion not in named:
                    problems.append(f"season {season.occasion} is no occasion of the occasions section")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def segment(self, code: str) -> Segment | None:
        return next((s for s in self.segments if s.code == code), None)

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def bundle(self, code: str) -> Bundle | None:
        return next((b for b in self.bundles if b.code == code), None)

    def occasion_codes(self) -> list[str]:
        """The choice values of the ``occasion`` question: the codes a bundle's occasions may use."""
        q = self.question(OCCASION_QUESTION)
        return [c.value for c in q.choices] if q is not None and q.type == "select" else []

    def offer_problems(self) -> list[tuple[list, str]]:
        """Cross-references of the catalog, occasions and rules sections: (path, problem)."""
        problems: list[tuple[list, str]] = []
        known = {s.code for s in self.segments}
        paths = [c.path.zh for c in self.catalog.categories]
        for i, c in enumerate(self.catalog.categories):
            if paths.count(c.path.zh) > 1:
                problems.append((["catalog", "categories", i, "path"], f"duplicate category {c.path.zh}"))
        codes = [o.code for o in self.occasions]
        for i, o in enumerate(self.occasions):
            if codes.count(o.code) > 1:
                problems.append((["occasions", i, "code"], f"duplicate occasion {o.code}"))
        rule_codes = [r.code for r in self.rules.checks]
        for i, r in enumerate(self.rules.checks):
            at = ["rules", "checks", i]
            if rule_codes.count(r.code) > 1:
                problems.append(([*at, "code"], f"duplicate rule code {r.code}"))
            for c in r.categories:
                if not any(c == p or p.startswith(c.rstrip("/") + "/") for p in paths):
                    problems.append(([*at, "categories"], f"unknown category {c} (the catalog section's: "
                                                          f"{', '.join(paths) or 'none'})"))
            bad = sorted(set(r.segments) - known)
            if bad:
                problems.append(([*at, "segments"], f"unknown segment(s): {', '.join(bad)}"))
            if codes:
                bad = sorted((set(r.occasions) | set(r.outside_occasions)) - set(codes))
                if bad:
                    problems.append(([*at, "occasions"], f"unknown occasion(s): {', '.join(bad)}"))
        return problems

    def occasion_def(self, code: str) -> OccasionDef | None:
        return next((o for o in self.occasions if o.code == code), None)

    def stage(self, code: str) -> Stage | None:
        return next((s for s in self.stages if s.code == code), None)

    def role(self, code: str) -> Role | None:
        return next((r for r in self.roles if r.code == code), None)


def _signal_problems(signals: list[Signal], known: set[str]) -> list[str]:
    import unicodedata

    problems, seen = [], {}
    for i, sig in enumerate(signals):
        bad = sorted((set(sig.weights) | set(sig.negated)) - known)
        if bad:
            problems.append(f"signals[{i}] weighs unknown segment(s): {', '.join(bad)}")
        for phrase in sig.match:
            key = " ".join(unicodedata.normalize("NFKC", phrase).casefold().split())
            if not key:
                problems.append(f"signals[{i}] has a blank phrase")
            elif key in seen and seen[key] != i:
                problems.append(f"phrase {phrase!r} is in signals[{seen[key]}] and signals[{i}]")
            seen.setdefault(key, i)
    return problems


# --- locating and loading ----------------------------------------------------------



def load_playbook(path: str | os.PathLike | None = None) -> Playbook:
    from .limits import PLAYBOOK_BYTES, read_file

    p = resolve_playbook_path(path)
    try:
        raw = read_file(p, PLAYBOOK_BYTES, what="playbook")  # the size first: /dev/zero is no playbook
    except FileNotFoundError:
        raise PlaybookInvalid(i18n.t("playbook.not_found", path=p)) from None
    except OSError as exc:
        raise PlaybookInvalid(i18n.t("playbook.unreadable", path=p, reason=_short(exc))) from None
    cached = _read_cache(raw)
    if cached is not None:
        return cached
    try:
        # As read_text() would give it: universal newlines.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise PlaybookInvalid(i18n.t("playbook.unreadable", path=p, reason=_short(exc))) from None
    playbook = parse_playbook(text, str(p))
    _write_cache(raw, playbook)
    return playbook


# --- the validated-playbook cache ----------------------------------------------------------
# Parsing and validating the YAML costs ~40 ms (YAML import, pydantic schema build), a
# noticeable share of `tg pitch`. The validated result is pickled in the user's private
# cache dir, keyed by a SHA-256 of the playbook's bytes and by this module's own file (its
# models are what is pickled), so any edit to either is a miss. Only files tg wrote itself are
# read back (dir 0700, file 0600); a damaged or unreadable entry is ignored and rebuilt.
#
# Why the bytes and not the file's stat (size, mtime, inode, ctime): most kernels stamp files
# from a coarse clock (a few ms; FAT keeps 2 s), so an in-place, same-size rewrite within one
# tick leaves all four unchanged, and stat-then-read can pair a key with other bytes than those parsed. Hashing the
# very bytes that are parsed has neither hole. Measured with timeit on the shipped 64 KB
# playbook: a stat 3.5 us, reading it 10 us, SHA-256 of it 36 us (BLAKE2b 80 us); the whole key
# ~45 us by stat, ~90 us by hash; a cache hit, mostly unpickling, ~1 ms. So ~45 us more per
# run: below what benchmarks/bench.py can resolve (its runs vary by milliseconds).


def _cache_file(raw: bytes) -> Path | None:
    import hashlib

    try:
        from platformdirs import user_cache_path

        here = Path(__file__).stat()
        key = hashlib.sha256(raw)
        key.update(f"|{here.st_size}|{here.st_mtime_ns}".encode())
        return user_cache_path("tg", appauthor=False) / f"playbook-{key.hexdigest()[:32]}.pickle"
    except OSError:
        return None


def _read_cache(raw: bytes) -> Playbook | None:
    import pickle

    if os.environ.get("TG_NO_CACHE"):
        return None
    target = _cache_file(raw)
    if target is None:
        return None
    try:
        with open(target, "rb") as f:
            if os.fstat(f.fileno()).st_uid != os.getuid():
                return None
            value = pickle.load(f)
        return value if isinstance(value, Playbook) else None
    except Exception:  # missing, truncated, or from another pydantic version: just rebuild
        return None


def _write_cache(raw: bytes, playbook: Playbook) -> None:
    import pickle
    import tempfile

    if os.environ.get("TG_NO_CACHE"):
        return
    target = _cache_file(raw)
    if target is None:
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".playbook-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(playbook, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only home only costs speed, never correctness


@functools.cache
def yaml_loader() -> type:
    """Safe loading with YAML 1.2 booleans: only true/false are booleans.

    YAML 1.1 reads yes/no/on/off as booleans, which would turn a confirm
    question's ``yes:`` key into True and a choice value ``no`` into False.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    bool_tag = "tag:yaml.org,2002:bool"
    loader = type("YamlLoader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != bool_tag]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

    def construct_object(self, node, deep=False):
        # A scalar its tag cannot hold (!!timestamp 2001-13-45, !!bool maybe, a 5000-digit
        # integer) raises ValueError/KeyError from inside PyYAML: made a YAML error at its line.
        try:
            return base.construct_object(self, node, deep)
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            value = node.value if isinstance(node.value, str) else ""
            reason = f"cannot read {value[:40] + ('…' if len(value) > 40 else '')!r} as {node.tag}"
            raise yaml.constructor.ConstructorError(None, None, f"{reason}: {exc}", node.start_mark) from None

    loader.construct_object = construct_object
    return loader


# libyaml's word for an escape that is no character: "\udcff" (a surrogate) or "\U00110000".
BAD_ESCAPE = "found invalid Unicode character escape code"


def load_yaml(text: str) -> Any:
    import yaml

    loader = yaml_loader()(text)
    try:
        return loader.get_single_data()
    except (ValueError, RecursionError) as exc:
        # Only the pure-Python loader (no libyaml) gets here: chr() of an escape above U+10FFFF
        # raises ValueError in its scanner, and deep nesting recurses. Made YAML errors at the mark.
        problem = BAD_ESCAPE if isinstance(exc, ValueError) else "too deeply nested"
        mark = loader.get_mark() if hasattr(loader, "get_mark") else None
        raise yaml.scanner.ScannerError(None, None, problem, mark) from None
    finally:
        loader.dispose()


def yaml_problem(exc: Exception) -> tuple[int, str]:
    """The line and the reason of a YAML error, for one line of message."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else 1
    problem = getattr(exc, "problem", None)
    if problem == BAD_ESCAPE:
        return line, i18n.t("robust.bad_escape")
    return line, problem or str(exc).splitlines()[0]


# --- lone surrogates ---------------------------------------------------------------
# A code point in U+D800..U+DFFF is half of a UTF-16 pair, not a character: text holding one
# cannot be encoded, so it could be stored but never printed or exported (UnicodeEncodeError).
# A file's UTF-8 never decodes to one; escapes do: JSON's "\udcff" (unpaired; a pair such as
# "\ud83c\udf81" is joined into one character) and the pure-Python YAML loader's "\udcff"
# (libyaml refuses it: BAD_ESCAPE). Whatever reads JSON or YAML from a user checks its result.
SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_at(data: Any, text: str | None = None) -> list | None:
    """The path (keys and indexes) to the first text in loaded JSON/YAML data, key or value,
    that holds a surrogate code point; None when there is none. Shared and recursive YAML
    nodes (anchors and aliases) are visited once. Given the ``text`` the data was loaded from,
    the walk (2-3 ms for the shipped playbook) is skipped when it has no \\u or \\U escape
    and no surrogate of its own: nothing else makes one."""
    if text is not None and "\\u" not in text and "\\U" not in text and not SURROGATE.search(text):
        return None
    stack: list[tuple[tuple, Any]] = [((), data)]
    seen: set[int] = set()
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            if SURROGATE.search(node):
                return list(path)
        elif isinstance(node, (dict, list)):
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, dict):
                for key in node:
                    if isinstance(key, str) and SURROGATE.search(key):
                        return [*path, key]
                items = list(node.items())
            else:
                items = list(enumerate(node))
            stack.extend(((*path, k), v) for k, v in reversed(items))  # document order
    return None


def shown_path(path: list) -> str:
    """``a.b[2]``, a surrogate in a key written as its escape (``\\udcff``) so it can be printed."""
    return _dotted([p.encode("utf-8", "backslashreplace").decode("utf-8") if isinstance(p, str) else p
                    for p in path]) or "(top)"


def parse_playbook(text: str, source: str = "playbooks.yaml") -> Playbook:
    import yaml

    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        line, reason = yaml_problem(exc)
        raise PlaybookInvalid(i18n.t("playbook.yaml_error", path=source, line=line, reason=reason)) from None
    where = lone_surrogate_at(data, text)
    if where is not None:
        line = _line_of(_compose(text), where)
        raise PlaybookInvalid(i18n.t("playbook.invalid", path=source, count=1),
                              details=[f"{source}:{line} {shown_path(where)}: {i18n.t('robust.surrogate')}"])
    if not isinstance(data, dict):
        raise PlaybookInvalid(
            i18n.t("playbook.invalid", path=source, count=1),
            details=[f"{source}:1 (top): expected a mapping with version, segments, questions, bundles"],
        )
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as exc:
        details = describe_errors(exc, text, source)
        raise PlaybookInvalid(i18n.t("playbook.invalid", path=source, count=exc.error_count()),
                              details=details) from None
    problems = playbook.offer_problems()
    if problems:
        root = _compose(text)
        details = [f"{source}:{_line_of(root, loc)} {_dotted(loc)}: {msg}" for loc, msg in problems[:MAX_PROBLEMS]]
        raise PlaybookInvalid(i18n.t("playbook.invalid", path=source, count=len(problems)), details=details)
    return playbook


MAX_PROBLEMS = 50  # problems listed; a file with 100,000 stray keys gets a screenful, then a count


def describe_errors(exc: ValidationError, text: str, source: str) -> list[str]:
    """``file:line path: message`` for each pydantic error, the line found in the YAML node tree."""
    root = _compose(text)
    lines = []
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    more = len(errors) - MAX_PROBLEMS
    for err in errors[:MAX_PROBLEMS]:
        loc = [p for p in err["loc"] if not _is_union_tag(p)]
        line = _line_of(root, loc)
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        msg = msg[:1].lower() + msg[1:]
        lines.append(f"{source}:{line} {_dotted(loc) or '(top)'}: {msg}")
    if more > 0:
        lines.append(i18n.t("hostile.more_problems", count=more))
    return lines


def _compose(text: str) -> Any:
    """The YAML node tree (for line numbers); None if it cannot be built."""
    import yaml

    try:
        return yaml.compose(text, Loader=yaml_loader())
    except (yaml.YAMLError, ValueError, RecursionError):
        return None


def _is_union_tag(part: Any) -> bool:
    # pydantic puts the union member ('str', 'float', 'function-plain[…]') in loc.
    return isinstance(part, str) and (part in ("str", "float", "int") or "[" in part)


def _dotted(loc: list) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(root: Any, loc: list) -> int:
    """Walk the composed YAML nodes along loc; the deepest node reached gives the line."""
    import yaml

    node = root
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    nxt, line = value, key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            break
        node = nxt
    return line


def _short(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc).splitlines()[0]
