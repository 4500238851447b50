"""Messages of 查重 on the import roads, the batch's progress bar and the bounds on notes."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "trust.reason.held_elsewhere": ("已是公司的客户，由其他业务员负责：请联系经理",
                                    "already a client of the company, held by another rep: ask your manager"),
    "batch.classifying": ("分类中", "classifying"),
}
