"""The only module that imports questionary.

Prompts use ``unsafe_ask`` so Ctrl-C raises KeyboardInterrupt (``ask`` would
swallow it and return None), and they go to the terminal on stderr when
stdout is redirected, so ``tg classify --format json > out.json`` still shows
its questions.
"""

from __future__ import annotations

import sys
from typing import Any

from .errors import TgError
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


def _with_back(question: Any, can_go_back: bool) -> Any:
    """Esc (or "<" on a choice) goes back one question; the prompt is erased once answered, so
    the line that stays is ours (show_answered), in the run's language."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    from .classify_client import BACK

    app = question.application
    app.erase_when_done = True
    if can_go_back:
        keys = KeyBindings()

        @keys.add("escape", eager=True)
        def _back(event: Any) -> None:
            event.app.exit(result=BACK)

        app.key_bindings = merge_key_bindings([app.key_bindings, keys]) if app.key_bindings else keys
    return question


def ask_question(q: Question, index: int, can_go_back: bool = False) -> Any:
    """Ask one playbook question; a raw answer for classify.parse_answer, or classify_client.BACK.

    A number or yes/no answer that cannot be read is asked again with the problem said beside
    the question, in words (not on the last row of the screen, where a rep does not look)."""
    import questionary

    from . import i18n
    from .classify import parse_answer
    from .classify_client import BACK

    message = f"{index}. {q.text.get()}"
    if q.help:
        message += f"（{q.help.get()}）" if i18n.get_lang() == "zh" else f"  ({q.help.get()})"
    back = i18n.t("prompt.back") if can_go_back else ""
    io = _io_kwargs()
    if q.type in ("select", "multiselect"):
        choices = [questionary.Choice(title=c.label.get(), value=c.value) for c in q.choices]
        if q.type == "select":
            hint = i18n.t("prompt.select_hint") + back
            question = questionary.select(message, choices=choices, use_shortcuts=len(choices) <= 36,
                                          instruction=hint, **io)
        else:
            question = questionary.checkbox(message, choices=choices, instruction=i18n.t("prompt.checkbox_hint") + back,
                                            **io)
        return _with_back(question, can_go_back).unsafe_ask()
    problem, typed = "", ""
    while True:
        hint = (f"⚠ {problem}" if problem else "") + back
        if q.type == "confirm":
            question = questionary.confirm(message, default=False, instruction=(i18n.t("prompt.confirm_hint") + hint),
                                           auto_enter=True, **io)
        else:
            question = questionary.text(message, default=typed, instruction=hint.strip() or None, **io)
        raw = _with_back(question, can_go_back).unsafe_ask()
        if raw is BACK or q.type == "text":
            return raw
        if q.type == "text" or isinstance(raw, bool):
            return raw
        if raw.strip() == "<" and can_go_back:
            return BACK
        try:
            parse_answer(q, raw)
            return raw
        except TgError as exc:
            from .notes import parse_number

            # Beside the question, the problem need not name it again.
            unread = q.type == "number" and parse_number(raw) is None
            problem, typed = (i18n.t("prompt.bad_number", value=raw) if unread else exc.message), raw


def back_line(index: int) -> str:
    from . import i18n

    return i18n.t("prompt.went_back", index=index)


def answered_line(step: Any) -> str:
    """The line an answered question leaves: its number, the question, the answer and who leads."""
    from . import i18n
    from .classify import answer_label

    return (f"✔ {step.index}. {step.question.text.get()} {answer_label(step.question, step.answer)}   → "
            + i18n.t("classify.leading", segment=step.leading, confidence=step.confidence))


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
