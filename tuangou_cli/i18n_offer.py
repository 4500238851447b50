"""Texts of the catalogue, the offer and the buyers' rules, in Chinese and English (merged into
i18n.CATALOGUE; keys already there keep their text)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "quote.ruled_out": ("{code} 不能报给这家客户：{rule}；未写入任何内容", "{code} cannot be quoted to this buyer: {rule}; nothing was written"),
    "offer.sum_terms": ("（{terms}）", " ({terms})"),
    "pitch.unknown_offering": ("未知套餐或产品代码 {code!r}：tg catalog list 列出全部代码",
                               "unknown bundle code {code!r}: tg catalog list shows every code"),
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
MESSAGES.update({
    # --- the offer ---
    "offer.terms": ("{vat}，{delivery}", "{vat}, {delivery}"),
    "offer.terms.vat_in": ("含税 {rate:g}%", "incl. {rate:g}% VAT"),
    "offer.terms.vat_free": ("免税", "no VAT"),
    "offer.terms.vat_out": ("未税，另加 {rate:g}% 税", "plus {rate:g}% VAT"),
    "offer.terms.delivery_in": ("含运费", "delivered"),
    "offer.terms.delivery_out": ("运费另计", "delivery extra"),
    "offer.min_order": ("起订 {min} {unit}，需要 {needed}：按 {min} {unit}计 {total}",
                        "minimum {min} {unit}; {needed} needed: {total} for {min}"),
    "offer.or_choose": ("；或选 {bundle}（{total}）", ", or choose {bundle} ({total})"),
    "offer.not_in_catalogue": ("{item}不在我们的产品目录里：请单独报价，或问支持中心",
                               "{item}: not in our catalogue — quote it separately or ask the support centre"),
    "offer.unread": ("笔记里的“{text}”像是{what}，但没读懂：请问清楚", "the notes say \u201c{text}\u201d, which looks like "
                     "{what} but could not be read: ask"),
    "offer.looks.quantity": ("数量", "a quantity"),
    "offer.looks.budget": ("预算", "a budget"),
    "offer.left_out_given": ("对方以前发过{given}，因此未列入：{bundles}。", "they gave {given} before, so left out: {bundles}."),
    "offer.left_out_rules": ("按规定不能提供、因此未列入：{bundles}。", "left out under the buyer's rules: {bundles}."),
    "offer.reason.asked": ("正是对方要的：{category}", "what they asked for: {category}"),
    "offer.reason.priced": ("{qty} {order_unit}，{price}/{unit}，合计 {total}（{terms}）",
                            "{qty} {order_unit} at {price}/{unit}, total {total} ({terms})"),
    "offer.reason.within_cap": ("{amount} 不超过{basis}预算 {budget}", "{amount} within the {basis} budget of {budget}"),
    "offer.reason.near_target": ("{amount} 接近{basis}预算 {budget}", "{amount} near the {basis} budget of about {budget}"),
    "offer.reason.no_budget": ("预算未知：问清预算再定档次", "budget unknown: ask it to pick the tier"),
    "offer.reason.tier": ("批量价：满 {qty} {unit}减 {pct:g}%", "volume price: {pct:g}% off from {qty} {unit}"),
    "offer.reason.no_quantity": ("{what}未知，暂不计算总价", "{what} unknown, so no total yet"),
    "offer.reason.lead": ("货期约 {days} 天", "lead time about {days} days"),
    "offer.what.per_unit": ("数量", "quantity"),
    "offer.what.per_head": ("人数", "headcount"),
    "offer.what.per_piece": ("份数", "number of pieces"),
    "offer.basis.per_unit": ("每{unit}", "per {unit}"),
    "offer.basis.per_head": ("人均", "per-head"),
    "offer.basis.per_piece": ("每份", "per-piece"),
    "offer.basis.total": ("总", "total"),
    "offer.none_fit": ("没有符合{basis}预算 {budget} 的方案；最便宜的是 {bundle}，{price}/{unit}，合计 {total}。",
                       "Nothing fits a {basis} budget of {budget}; the cheapest is {bundle} at {price}/{unit}, {total} in all."),
    "offer.none_fit_min": ("原因是起订量：{bundle} 起订 {min} {unit}，只需要 {needed}；按起订量合计 {total}。"
                           "可以问对方能否按起订量下单，或换一个起订量更低的品种。",
                           "The minimum order is the reason: {bundle} has a minimum of {min} {unit} and {needed} are "
                           "needed; {total} at the minimum. Ask whether they can take the minimum, or choose an item "
                           "with a lower one."),
    "offer.deal_over_budget": ("注意：金额 {amount} 超过客户已知预算 {budget}", "note: {amount} is above the client's "
                               "known budget of {budget}"),
    # --- the rules ---
    "rule.block": ("不可提供：{reason}", "not allowed: {reason}"),
    "rule.warn": ("注意：{reason}", "check: {reason}"),
    "rule.instead": ("；建议{instead}", "; instead, {instead}"),
})
MESSAGES.update({
    # --- tg catalog ---
    "help.catalog": ("产品目录：导入价目表、查看、搜索、导出、调价", "the catalogue: import a price list, list, search, "
                     "show, export, change a price"),
    "help.catalog.import": ("导入价目表（csv/xlsx，中英文表头均可）；按编码去重，一次事务", "import a price list (csv/xlsx, "
                            "Chinese or English headers); deduplicated by code, one transaction"),
    "help.catalog.file": ("价目表文件", "the price list file"),
    "help.catalog.dry_run": ("只检查并显示将做的改动，不写入", "check and show what would change; write nothing"),
    "help.catalog.skip_errors": ("把有问题的行写入此文件，其余照常导入", "write rows with problems to this file and import "
                                 "the rest"),
    "help.catalog.replace": ("以此表替换目录：表中没有的产品设为停售", "replace the catalogue: products not in the file "
                             "become inactive"),
    "help.catalog.list": ("列出产品（或 --bundles 套餐）", "list products (or --bundles)"),
    "help.catalog.category": ("只看此类别（如 办公设备/打印机，或 办公设备）", "only this category (e.g. "
                              "\"Office equipment/Printers\", or \"Office equipment\")"),
    "help.catalog.segment": ("只看适合此客户类型的", "only those for this segment"),
    "help.catalog.bundles": ("列出套餐而非产品", "list bundles instead of products"),
    "help.catalog.all": ("包括停售的产品", "include inactive products"),
    "help.catalog.search": ("按编码、品名、规格、类别或标签搜索产品", "search products by code, name, spec, category or tag"),
    "help.catalog.query": ("要找的词（多个词须全部出现）", "words to find (all must appear)"),
    "help.catalog.show": ("显示一个产品（含价格历史）或套餐", "show one product (with its price history) or bundle"),
    "help.catalog.code": ("产品或套餐编码", "product or bundle code"),
    "help.catalog.export": ("导出目录为 CSV（与导入格式相同）", "export the catalogue as CSV (the import format)"),
    "help.catalog.output": ("写入此文件（默认标准输出）", "write to this file (default: stdout)"),
    "help.catalog.set_price": ("修改产品单价；旧价保留在价格历史中，已存的成交保持原价", "change a product's price; the old "
                               "price stays in its history and saved deals keep theirs"),
    "help.catalog.price": ("新单价（元）", "the new unit price (yuan)"),
    "help.catalog.excl_vat": ("新价格不含税", "the new price excludes VAT"),
    "catalog.imported": ("已导入 {path}：新增 {new}，更新 {updated}（其中调价 {repriced}），未变 {unchanged}，停售 {deactivated}",
                         "imported {path}: {new} new, {updated} updated ({repriced} repriced), {unchanged} unchanged, "
                         "{deactivated} made inactive"),
    "catalog.dry_run_done": ("试运行 {path}（未写入）：将新增 {new}，更新 {updated}（其中调价 {repriced}），未变 {unchanged}，"
                             "停售 {deactivated}", "dry run of {path} (nothing written): {new} new, {updated} updated "
                             "({repriced} repriced), {unchanged} unchanged, {deactivated} made inactive"),
    "catalog.rejected": ("{count} 行有问题，已写入 {path}", "{count} rows with problems written to {path}"),
    "catalog.more_problems": ("（另有 {count} 处问题）", " (and {count} more problems)"),
    "catalog.nothing_written": ("；未写入任何内容", "; nothing was written"),
    "catalog.no_products": ("{path} 里没有可导入的产品", "{path} holds no products to import"),
    "catalog.no_header": ("{path}：前 10 行里找不到同时有品名和单价的表头", "{path}: no header with a name and a price "
                          "column in the first 10 rows"),
    "catalog.file_not_found": ("找不到文件 {path}", "no such file: {path}"),
    "catalog.mixed_encoding": ("{path} 的编码前后不一致，无法读取", "{path} mixes encodings and cannot be read"),
    "catalog.reject_column": ("问题", "problem"),
    "catalog.row": ("第几行", "row"),
    "catalog.unknown_product": ("目录里没有编码为 {code} 的产品或套餐", "no product or bundle {code} in the catalogue"),
    "catalog.repriced": ("{code} 单价：{old} → {new}（旧价保留在价格历史中）", "{code}: {old} → {new} (the old price is kept in "
                         "its history)"),
    "catalog.exported": ("已导出 {count} 个产品到 {path}", "exported {count} products to {path}"),
    "catalog.cannot_write": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    "catalog.bundle_total": ("{name}：每套 {price}，起订 {min} 套", "{name}: {price} a set, minimum {min} sets"),
    "catalog.incl_vat": ("（含税）", " (incl. VAT)"),
    "catalog.excl_vat": ("（不含税）", " (excl. VAT)"),
    "catalog.yes": ("是", "yes"),
    "catalog.no": ("否", "no"),
    "catalog.col.code": ("编码", "code"),
    "catalog.col.name": ("品名", "name"),
    "catalog.col.spec": ("规格", "spec"),
    "catalog.col.category": ("类别", "category"),
    "catalog.col.unit": ("单位", "unit"),
    "catalog.col.unit_price": ("单价", "unit price"),
    "catalog.col.vat_rate": ("税率", "VAT rate"),
    "catalog.col.min_order": ("起订量", "min order"),
    "catalog.col.lead_days": ("货期（天）", "lead days"),
    "catalog.col.tiers": ("阶梯价", "tiers"),
    "catalog.col.segments": ("客户类型", "segments"),
    "catalog.col.occasions": ("场合", "occasions"),
    "catalog.col.tags": ("标签", "tags"),
    "catalog.col.active": ("在售", "active"),
    "catalog.col.field": ("项目", "field"),
    "catalog.col.value": ("内容", "value"),
    "catalog.col.at": ("时间", "from"),
    "catalog.col.by": ("操作人", "by"),
    "catalog.col.source": ("来源", "source"),
    "catalog.col.count": ("每套数量", "per set"),
    "catalog.col.set_price": ("每套价格", "set price"),
    "catalog.col.min_sets": ("起订套数", "min sets"),
    "catalog.col.lines": ("组成", "lines"),
})
MESSAGES.update({
    "catalog.bad_lines": ("套餐组成 {value!r} 应写作 编码×数量;编码×数量", "bundle lines {value!r} should read CODE×N;CODE×N"),
    "catalog.unknown_line": ("套餐组成里有目录中没有的产品：{codes}", "the bundle names products not in the catalogue: {codes}"),
})
MESSAGES.update({
    "catalog.bad_category": ("类别 {value!r} 不是类别名称，应写作 大类/小类（如 办公设备/打印机）",
                             "category {value!r} is not a category name: write 大类/小类 (e.g. 办公设备/打印机)"),
})
