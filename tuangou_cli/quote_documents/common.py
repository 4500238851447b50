"""What every renderer shares: labels in the quote's language, the optional libraries."""

from __future__ import annotations

from .. import i18n
from ..errors import TgError


def label(doc, key: str) -> str:
    """A document label in the quote's own language (not the run's: a quote made in Chinese
    stays Chinese when an English-speaking colleague prints it again)."""
    zh, en = i18n.CATALOGUE[key]
    return zh if doc.lang == "zh" else en


def need(module: str, package: str):
    """Import an optional library of the docs extra, or say in one line how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise TgError(i18n.t("quote.needs_extra", package=package)) from None
