"""Click's usage errors (bad option, missing argument, value out of range) in the user's language.

Kept apart from ``errors`` (the project's exceptions, which import nothing of tg) because it
needs the i18n catalogue, which itself raises ``errors.UsageError``.
"""

from __future__ import annotations

# --- Click's usage errors in the user's language -------------------------------------------------
#
# Click (vendored by Typer as typer._click) words its usage errors in English. cli.TgGroup catches
# them and, for a Chinese user, says them again from the exception's parts: the option's name and
# the close ones, the parameter, the value and the rule it broke. Click words a few with no parts
# to speak of (no such command, extra arguments, missing command); tg's command classes raise
# those with their parts (cli.NoSuchCommand, cli.ExtraArguments, cli.MissingCommand).


def usage_message(exc: Exception) -> str:
    """The message of a Click usage error in the current language, built from its attributes.

    Anything not recognised keeps Click's own words.
    """
    from typer._click import exceptions as ce

    from .. import i18n

    t = i18n.t
    if getattr(exc, "command_name", None) is not None:  # cli.NoSuchCommand
        message = t("usage.no_such_command", name=exc.command_name)
        if exc.possibilities:
            message += t("usage.did_you_mean", names=", ".join(exc.possibilities))
        return message
    if getattr(exc, "extra_args", None):  # cli.ExtraArguments
        return t("usage.extra_args", args=" ".join(str(a) for a in exc.extra_args))
    if getattr(exc, "missing_command", False):  # cli.MissingCommand
        return t("usage.missing_command")
    if isinstance(exc, ce.NoSuchOption):
        message = t("usage.no_such_option", option=exc.option_name)
        if exc.possibilities:
            message += t("usage.possible_options", options=", ".join(sorted(exc.possibilities)))
        return message
    if isinstance(exc, ce.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        key = {"argument": "usage.missing_argument", "option": "usage.missing_option"}.get(kind,
                                                                                           "usage.missing_parameter")
        message = t(key, param=_param_hint(exc))
        choices = _choices(exc.param)
        if choices:
            message += t("usage.choose_from", choices=", ".join(choices))
        return message
    if isinstance(exc, ce.BadParameter):
        return t("usage.bad_value", param=_param_hint(exc), detail=_bad_value(exc))
    if isinstance(exc, ce.BadOptionUsage):
        option = _option(getattr(exc, "parse_ctx", None), exc.option_name)
        if option is not None and (getattr(option, "is_flag", False) or getattr(option, "count", False)):
            return t("usage.takes_no_value", option=exc.option_name)
        if option is not None:
            return t("usage.needs_value", option=exc.option_name, count=option.nargs)
    return exc.format_message()


def _param_hint(exc) -> str:
    hint = exc.param_hint
    if hint is None:
        return exc.param.get_error_hint() if exc.param is not None else ""
    return hint if isinstance(hint, str) else " / ".join(repr(x) for x in hint)


def _choices(param) -> list[str]:
    """The values a choice parameter takes (an Enum's values or a Literal's), else none."""
    from enum import Enum

    choices = getattr(getattr(param, "type_descriptor", None), "choices", None) or ()
    return [str(c.value if isinstance(c, Enum) else c) for c in choices]


def _bad_value(exc) -> str:
    """What was wrong with the value, from the validation error Typer raised it from (pydantic's
    error type, input and limits); a message of our own, or one not recognised, as it stands."""
    from .. import i18n

    cause = exc.__cause__
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if not errors:
        return exc.message
    error = errors[0]
    kind, value, limits = error.get("type"), error.get("input"), error.get("ctx") or {}
    shown = repr(value) if isinstance(value, str) else str(value)
    simple = {"int_parsing": "usage.not_integer", "int_type": "usage.not_integer",
              "int_from_float": "usage.not_integer", "float_parsing": "usage.not_number",
              "float_type": "usage.not_number", "bool_parsing": "usage.not_bool",
              "bool_type": "usage.not_bool"}
    if kind in simple:
        return i18n.t(simple[kind], value=shown)
    bounds = {"greater_than_equal": ("usage.at_least", "ge"), "less_than_equal": ("usage.at_most", "le"),
              "greater_than": ("usage.above", "gt"), "less_than": ("usage.below", "lt")}
    if kind in bounds and bounds[kind][1] in limits:
        key, limit = bounds[kind]
        return i18n.t(key, value=shown, limit=limits[limit])
    choices = _choices(exc.param)
    if choices:
        return i18n.t("usage.not_a_choice", value=shown, choices=", ".join(choices))
    return exc.message


def _option(ctx, name: str):
    """The option of ``ctx``'s command that answers to ``name`` (--headcount, -f), if any."""
    if ctx is None:
        return None
    for param in ctx.command.get_params(ctx):
        if name in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
            return param
    return None
