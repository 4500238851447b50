"""The only module that imports questionary.

Prompts use ``unsafe_ask`` so Ctrl-C raises KeyboardInterrupt (``ask`` would
swallow it and return None), and they go to the terminal on stderr when
stdout is redirected, so ``tg classify --format json > out.json`` still shows
its questions.
"""

from __future__ import annotations

import sys
from typing import Any

from .errors import TgError, one_line
from .playbook import Question


def is_interactive() -> bool:
    """Someone can answer: stdin is a terminal (tests monkeypatch this)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


_tty = None


def _io_kwargs() -> dict[str, Any]:
    """Where prompts go: stdout if it is the terminal, else stderr, else the terminal itself."""
    global _tty
    if sys.stdout.isatty():
        return {}
    from prompt_toolkit.output import create_output

    if sys.stderr.isatty():
        return {"output": create_output(stdout=sys.stderr)}
    if sys.stdin.isatty():  # `tg classify -f json > out.json 2> log`: ask on the terminal
        try:
            _tty = _tty or open("/dev/tty", "w", encoding="utf-8")
            return {"output": create_output(stdout=_tty)}
        except OSError:
            pass
    return {}


def ask_question(q: Question, index: int) -> Any:
    """Ask one playbook question; returns a raw answer for classify.parse_answer."""
    import questionary

    from .classify import parse_answer

    message = f"{index}. {q.text.get()}"
    if q.help:
        message += f"  ({q.help.get()})"
    io = _io_kwargs()
    if q.type == "select":
        choices = [questionary.Choice(title=c.label.get(), value=c.value) for c in q.choices]
        return questionary.select(message, choices=choices, use_shortcuts=len(choices) <= 36, **io).unsafe_ask()
    if q.type == "multiselect":
        choices = [questionary.Choice(title=c.label.get(), value=c.value) for c in q.choices]
        return questionary.checkbox(message, choices=choices, **io).unsafe_ask()
    if q.type == "confirm":
        return questionary.confirm(message, default=False, **io).unsafe_ask()

    def validate(text: str) -> bool | str:
        if q.type == "text":
            return True
        try:
            parse_answer(q, text)
            return True
        except TgError as exc:
            return exc.message

    return questionary.text(message, validate=validate, **io).unsafe_ask()


def ask_text(message: str, default: str = "") -> str:
    import questionary

    return questionary.text(message, default=default, **_io_kwargs()).unsafe_ask()


def ask_confirm(message: str, default: bool = False) -> bool:
    import questionary

    return bool(questionary.confirm(message, default=default, **_io_kwargs()).unsafe_ask())


def ask_pick(message: str, options: list[tuple[str, Any]]) -> Any:
    import questionary

    choices = [questionary.Choice(title=title, value=value) for title, value in options]
    return questionary.select(message, choices=choices, **_io_kwargs()).unsafe_ask()


def say(message: str) -> None:
    """A progress line for the person at the terminal (stderr: never mixed into data), with
    control characters and bidi marks shown as escapes (errors.one_line), as cli.output.say does."""
    print(one_line(message), file=sys.stderr, flush=True)

