"""Every command has help in each language, one language at a time, and the README documents
every command."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from tuangou_cli.cli import COMMANDS, app, load

pytestmark = pytest.mark.no_db  # help texts and the README: no database

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: typer.Typer, prefix: tuple[str, ...]):
    for info in group.registered_commands:
        yield (*prefix, info.name)
    for sub in group.registered_groups:
        yield from commands(sub.typer_instance, (*prefix, sub.name))


def all_commands():
    for name in COMMANDS:
        target = load(name)
        if isinstance(target, typer.Typer):
            yield from commands(target, (name,))
        else:
            yield (name,)


ALL = sorted(all_commands())


def test_there_are_commands():
    assert ("classify",) in ALL and ("clients", "list") in ALL


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("cmd", ALL, ids=" ".join)
def test_every_command_has_help_in_one_language(tg, cmd):
    en = tg("--lang", "en", *cmd, "--help")
    zh = tg("--lang", "zh", *cmd, "--help")
    assert en.exit_code == 0 and zh.exit_code == 0
    assert not chinese(en.stdout.replace(en.stdout.splitlines()[-1], "")), "English help has no Chinese"
    # (the test runner's program name is "root", not "tg")
    assert en.stdout.splitlines()[-1] == f"中文：root --lang zh {' '.join(cmd)} --help"
    assert zh.stdout.startswith("用法：") and "Options:" not in zh.stdout and "\ue000" not in zh.stdout
    assert zh.stdout.splitlines()[-1] == f"English: root --lang en {' '.join(cmd)} --help"
    body = [line for line in zh.stdout.splitlines()[1:-1] if line.strip()]
    assert body and chinese(zh.stdout), "the Chinese help is in Chinese"
    lines = en.stdout.splitlines()
    english_description = lines[lines.index("") + 1].strip()
    assert english_description and english_description not in zh.stdout, "no English half in the Chinese help"
    assert "..." not in zh.stdout.replace("[参数]...", ""), "nothing cut short"


def test_help_language_follows_the_environment_and_a_commands_own_lang(tg, monkeypatch):
    monkeypatch.setenv("TG_LANG", "zh")
    assert tg("clients", "--help").stdout.startswith("用法：")
    assert tg("--help").stdout.startswith("用法：")
    monkeypatch.setenv("TG_LANG", "en")
    assert tg("pitch", "--lang", "zh", "--help").stdout.startswith("用法：")
    assert tg("--lang", "en", "--help").stdout.startswith("Usage: ")


@pytest.mark.parametrize("langid, lang", [(0x0804, "zh"), (0x0404, "zh"), (0x0409, "en"), (0x0809, "en")])
def test_windows_ui_language_when_no_locale_is_set(monkeypatch, langid, lang):
    import ctypes
    import sys
    from types import SimpleNamespace

    from tuangou_cli import i18n

    for var in ("TG_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    kernel32 = SimpleNamespace(GetUserDefaultUILanguage=lambda: langid)
    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(kernel32=kernel32), raising=False)
    assert i18n.detect_lang() == lang
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert i18n.detect_lang() == "en", "a locale that is set wins"


def test_windows_ui_language_that_cannot_be_read_means_english(monkeypatch):
    import ctypes
    import sys

    from tuangou_cli import i18n

    for var in ("TG_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(ctypes, "windll", raising=False)
    assert i18n.detect_lang() == "en"
    monkeypatch.setattr(sys, "platform", "linux")
    assert i18n.windows_ui_lang() is None


@pytest.mark.parametrize("cmd", ALL, ids=" ".join)
def test_every_command_is_in_the_readme(cmd):
    assert f"tg {' '.join(cmd)}" in README



def _layout() -> str:
    start = README.index("\n## Layout")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def _modules_a_newcomer_looks_for():
    """Every module of the package, but for the command modules (the Layout's `cli/` line says
    there is one per command group) and the migration steps themselves."""
    package = Path(__file__).parent.parent / "tuangou_cli"
    commands = {f"cli/{module.rsplit('.', 1)[-1]}.py" for module, _, _ in COMMANDS.values()}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if path.name == "__init__.py" or rel.startswith("migrations/versions/") or rel in commands:
            continue
        yield rel


def _folder_block(layout: str, folder: str) -> str:
    """The Layout's entry for a folder (``store/``): its own line and the lines indented under it."""
    lines = layout.splitlines()
    for n, line in enumerate(lines):
        if line.lstrip().startswith(f"{folder}/ "):  # the folder's own entry, not one of its files
            indent = len(line) - len(line.lstrip())
            block = [line]
            for more in lines[n + 1:]:
                if more.strip() and len(more) - len(more.lstrip()) <= indent:
                    break
                block.append(more)
            return "\n".join(block)
    return ""


@pytest.mark.parametrize("module", list(_modules_a_newcomer_looks_for()))
def test_every_module_is_in_the_readme_layout(module):
    """The Layout names each module where a newcomer reads it: a top-level module by its file
    name, one in a folder by its path or by its name in the folder's own entry."""
    import re

    layout = _layout()
    folder, _, name = module.rpartition("/")
    if not folder:
        assert name in set(re.findall(r"(?<![\w/])\w+\.py", layout)), f"{module} is not in the README's Layout section"
        return
    in_folder = set(re.findall(r"(?<![\w/])\w+\.py", _folder_block(layout, folder)))
    assert module in set(re.findall(r"[\w/]+\.py", layout)) or name in in_folder, \
        f"{module} is not in the README's Layout section, under {folder}/"
