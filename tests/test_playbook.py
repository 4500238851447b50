"""The playbook: the shipped one is complete, bad ones are refused with file:line path: message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuangou_cli.errors import PlaybookInvalid
from tuangou_cli.playbook import (
    QUESTION_TYPES,
    default_playbook_path,
    fill_template,
    load_playbook,
    parse_playbook,
    template_fields,
)

from .conftest import MINI


def test_shipped_playbook_has_what_the_method_needs():
    pb = load_playbook()
    assert [s.code for s in pb.segments] == ["office", "welfare", "gift"]
    assert len(pb.questions) >= 10
    assert {q.type for q in pb.questions} == set(QUESTION_TYPES)
    assert len(pb.bundles) >= 12
    for seg in pb.segments:
        assert sum(seg.code in b.segments for b in pb.bundles) >= 4, seg.code
        for text in (seg.name, seg.pitch.opening, seg.pitch.close):
            assert text.zh != text.en, "every text exists in Chinese and in English"
    for b in pb.bundles:
        assert b.items and b.set_price > 0


def test_default_path_found_outside_repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_playbook_path().is_file()


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = Path(MINI).read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "pb.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def _problems(path: Path) -> list[str]:
    with pytest.raises(PlaybookInvalid) as info:
        load_playbook(path)
    return info.value.details


def test_missing_field_reports_file_line_and_path(tmp_path):
    p = _broken(tmp_path, '      close: {zh: "总价{total}", en: "Total {total}"}\n', "")
    problems = _problems(p)
    assert len(problems) == 1
    # The line is the deepest node that exists: the pitch mapping that lacks 'close'.
    assert problems[0] == f"{p}:15 segments[0].pitch.close: field required"


def test_unknown_placeholder_is_a_load_time_error(tmp_path):
    p = _broken(tmp_path, '"您好，{client}"', '"您好，{client_name}"')
    (problem,) = _problems(p)
    assert "segments[0].pitch" in problem and "unknown placeholder {client_name}" in problem


@pytest.mark.parametrize("template", ["{client.__class__}", "{client[0]}", "{client!r}", "{client:>10}", "{0}", "{"])
def test_templates_cannot_reach_into_objects(template):
    with pytest.raises(ValueError):
        template_fields(template)


def test_fill_template_is_plain_substitution():
    assert fill_template("{client} 有 {headcount} 人 {{x}}", {"client": "{total}", "headcount": "5"}) == "{total} 有 5 人 {x}"


def test_unknown_key_and_unknown_segment(tmp_path):
    p = _broken(tmp_path, "weights: {office: 4}}", "weights: {offic: 4}, colour: red}")
    problems = _problems(p)
    assert any("colour: extra inputs are not permitted" in x for x in problems)
    assert all(x.startswith(f"{p}:") for x in problems)


def test_weights_on_unknown_segment(tmp_path):
    p = _broken(tmp_path, "weights: {office: 4}}", "weights: {offic: 4}}")
    (problem,) = _problems(p)
    assert "weighs unknown segment(s): offic" in problem


def test_yaml_syntax_error_has_line(tmp_path):
    p = tmp_path / "pb.yaml"
    p.write_text("version: 1\nsegments: [\n", encoding="utf-8")
    with pytest.raises(PlaybookInvalid) as info:
        load_playbook(p)
    assert f"{p}:" in info.value.message and "YAML" in info.value.message


def test_yes_no_keys_stay_strings():
    pb = load_playbook(MINI)
    spec = pb.question("spec")
    assert spec.yes.weights == {"office": 3.0} and spec.no.weights == {"office": -1.0}


def test_a_playbook_cannot_run_code(tmp_path):
    p = tmp_path / "pb.yaml"
    p.write_text("!!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(PlaybookInvalid):
        load_playbook(p)


def test_text_needs_both_languages(tmp_path):
    p = _broken(tmp_path, "name: {zh: 办公类, en: Office}", "name: {zh: 办公类}")
    (problem,) = _problems(p)
    assert "segments[0].name: missing en text" in problem


def test_tiers_must_rise():
    text = Path(MINI).read_text(encoding="utf-8").replace(
        "tiers: [{min_sets: 100, discount_pct: 10}]",
        "tiers: [{min_sets: 100, discount_pct: 10}, {min_sets: 50, discount_pct: 12}]")
    with pytest.raises(PlaybookInvalid) as info:
        parse_playbook(text, "x.yaml")
    assert "tiers must rise" in info.value.details[0]


@pytest.mark.no_db
def test_cli_check_exit_codes(tg, tmp_path):
    ok = tg("playbook", "check", MINI)
    assert ok.exit_code == 0 and "valid" in ok.stderr
    bad = _broken(tmp_path, "type: confirm", "type: yesno")
    r = tg("playbook", "check", str(bad))
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    assert f"{bad}:" in r.stderr and "questions[1].type" in r.stderr
    missing = tg("playbook", "check", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 1 and "not found" in missing.stderr


@pytest.mark.no_db
def test_cli_show_json(tg):
    data = tg.json("playbook", "show", "--format", "json")
    assert [s["code"] for s in data["segments"]] == ["office", "welfare", "gift"]
    assert {q["type"] for q in data["questions"]} == set(QUESTION_TYPES)
    selects = [q for q in data["questions"] if q["type"] == "select"]
    assert all(c["value"] for q in selects for c in q["choices"])
    assert len({b["code"] for b in data["bundles"]}) == len(data["bundles"]) >= 12
    json.dumps(data)


@pytest.mark.no_db
def test_cli_show_table(tg):
    r = tg("playbook", "show")
    assert r.exit_code == 0 and "office" in r.stdout


@pytest.mark.parametrize("sets, needle", [("{headcount: lots}", "sets.headcount must be a number"),
                                          ("{budget_per_head: -5}", "sets.budget_per_head must be a number"),
                                          ("{occasion: 5}", "sets.occasion must be a text")])
def test_sets_values_are_typed(tmp_path, sets, needle):
    p = _broken(tmp_path, "weights: {office: 4}}", f"weights: {{office: 4}}, sets: {sets}}}")
    (problem,) = _problems(p)
    assert needle in problem


def test_shipped_stage_line_roles_and_positioning():
    pb = load_playbook()
    assert sum(s.credit for s in pb.stages) == 100
    assert {s.outcome for s in pb.stages} >= {"won", "lost"}
    assert {r.code for r in pb.roles} == {"decision-maker", "purchaser", "user", "influencer", "gatekeeper"}
    assert pb.positioning and all("{rival}" in p.say.en for p in pb.positioning)


STAGES = """
stages:
  - {code: lead, name: 线索, credit: 40}
  - {code: won, name: 签单, outcome: won, credit: 50}
  - {code: lost, name: 丢单, outcome: lost}
"""


def test_stage_credit_must_sum_to_100():
    text = Path(MINI).read_text(encoding="utf-8") + STAGES
    with pytest.raises(PlaybookInvalid) as info:
        parse_playbook(text, "x.yaml")
    assert "credit weights must sum to 100, not 90" in info.value.details[0]
    fixed = parse_playbook(text.replace("credit: 50", "credit: 60"), "x.yaml")
    assert fixed.stage("won").outcome == "won"


def test_positioning_template_checked():
    text = Path(MINI).read_text(encoding="utf-8") + "positioning:\n  - say: \"beat {rivals}\"\n"
    with pytest.raises(PlaybookInvalid) as info:
        parse_playbook(text, "x.yaml")
    assert "unknown placeholder {rivals}" in info.value.details[0]


# --- the validated-playbook cache ------------------------------------------------------------------------


def test_cache_sees_a_same_size_rewrite_that_keeps_the_mtime(tmp_path, monkeypatch):
    """An edit within the filesystem's timestamp granularity (here: the mtime forced back to the
    nanosecond) that keeps the size is still a miss: the cache is keyed by the bytes themselves."""
    import os

    from tuangou_cli import playbook as pbmod

    monkeypatch.delenv("TG_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    parsed = []
    real_parse = pbmod.parse_playbook
    monkeypatch.setattr(pbmod, "parse_playbook", lambda *a, **k: parsed.append(1) or real_parse(*a, **k))

    path = tmp_path / "pb.yaml"
    path.write_text(default_playbook_path().read_text(encoding="utf-8"), encoding="utf-8")
    assert load_playbook(path).segment("office").name.en == "Office procurement"
    assert load_playbook(path).segment("office").name.en == "Office procurement"
    assert len(parsed) == 1, "the second load is a cache hit"
    assert list((tmp_path / "cache" / "tg").glob("playbook-*.pickle"))

    before = os.stat(path)
    with open(path, "r+b") as f:  # rewritten in place: same inode, same size
        data = f.read().replace(b"en: Office procurement}", b"en: Office acquisition}", 1)
        assert len(data) == before.st_size
        f.seek(0)
        f.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)

    assert load_playbook(path).segment("office").name.en == "Office acquisition"
    assert len(parsed) == 2
    assert load_playbook(path).segment("office").name.en == "Office acquisition"
    assert len(parsed) == 2


def test_cache_keeps_universal_newlines_and_reports_bad_bytes(tmp_path, monkeypatch):
    """Reading bytes (for the key) parses as read_text() did: CRLF is a line break; bytes that are
    not UTF-8 are one line naming the file."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    text = default_playbook_path().read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert load_playbook(crlf) == parse_playbook(text)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"version: \xff\n")
    with pytest.raises(PlaybookInvalid, match="cannot read playbook"):
        load_playbook(bad)


def test_the_shipped_playbook_reads_the_same_without_libyaml(monkeypatch):
    """PyYAML without its C extension (some platforms, some builds) reads the same playbook: no
    plain scalar ending in '?' inside a {zh: …, en: …} mapping, which only libyaml accepts."""
    import yaml

    from tuangou_cli.playbook import default_playbook_path, parse_playbook, yaml_loader

    text = default_playbook_path().read_text(encoding="utf-8")
    with_c = parse_playbook(text)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    yaml_loader.cache_clear()
    try:
        assert parse_playbook(text) == with_c
    finally:
        yaml_loader.cache_clear()
