"""The message catalogue: every user-visible string exists in both languages, once."""

import pytest

pytestmark = pytest.mark.no_db


def test_every_message_has_chinese_and_english():
    from tuangou_cli import i18n

    # A deliberately blank pair (a bar chart's column has no header) is blank in both languages.
    bad = [key for key, pair in i18n.CATALOGUE.items()
           if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
                   and bool(pair[0].strip()) == bool(pair[1].strip()))]
    assert bad == []


def test_the_offer_messages_do_not_shadow_others():
    # i18n merges the offer's catalogue without overwriting: a key in both would silently show
    # the other text.
    from tuangou_cli import i18n
    from tuangou_cli.i18n_offer import MESSAGES

    source = open(i18n.__file__, encoding="utf-8").read()
    head = source[:source.index("from .i18n_offer import")]
    assert [k for k in MESSAGES if f'"{k}":' in head] == []
