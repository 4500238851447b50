"""Texts of the catalogue, the offer and the buyers' rules, in Chinese and English (merged into
i18n.CATALOGUE; keys already there keep their text)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- reading a price list ---
    "catalog.bad_cell": ("{path}：第 {row} 行，{column} 列：{reason}", "{path}: row {row}, column {column}: {reason}"),
    "catalog.missing_column": ("缺少{field}列（表头可写作 {names}）", "no {field} column (headers such as {names})"),
    "catalog.no_name": ("品名为空", "the name is empty"),
    "catalog.no_price": ("单价为空", "the price is empty"),
    "catalog.bad_price": ("{value!r} 不是有效的单价", "{value!r} is not a price"),
    "catalog.negative_price": ("单价不能为负（{value}）", "a price is not negative ({value})"),
    "catalog.price_fen": ("单价最多精确到分（{value}）", "a price has at most 2 decimals ({value})"),
    "catalog.bad_number": ("{what} {value!r} 不是整数", "{what} {value!r} is not a whole number"),
    "catalog.what.min_order": ("起订量", "the minimum order"),
    "catalog.what.lead_days": ("货期", "the lead time"),
    "catalog.min_order_zero": ("起订量至少为 1（{value}）", "a minimum order is at least 1 ({value})"),
    "catalog.bad_rate": ("{value!r} 不是有效的税率", "{value!r} is not a tax rate"),
    "catalog.rate_range": ("税率须在 0 到 100% 之间（{value}）", "a tax rate is between 0 and 100% ({value})"),
    "catalog.bad_bool": ("{value!r} 不是 是/否", "{value!r} is not yes or no"),
    "catalog.bad_segment": ("未知客户类型 {value!r}（可用：{known}）", "unknown segment {value!r} (known: {known})"),
    "catalog.bad_tiers": ("阶梯价 {value!r} 应写作 数量:折扣% ，如 50:3;200:6", "tiers {value!r} should read min_qty:discount_pct, "
                          "e.g. 50:3;200:6"),
    "catalog.tiers_rise": ("阶梯价 {value!r} 的数量和折扣都须递增", "tiers {value!r} must rise in both quantity and discount"),
    "catalog.duplicate_code": ("编码 {code} 与第 {row} 行重复", "code {code} is also on row {row}"),
    "catalog.bad_code": ("编码 {value!r} 只能用大写字母、数字和 - _", "code {value!r} may use only upper-case letters, "
                         "digits, - and _"),
}
