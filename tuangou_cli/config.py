"""The config file: language, user, database and playbook in a TOML file in the platform's config dir.

Each setting has the environment variable it stands for (``language`` is ``TG_LANG`` …). A run
starts by copying the file's settings into the environment where that variable is not set, so
every reader of ``TG_*`` keeps working unchanged and the order of precedence is: a command-line
option, then the environment, then the file, then tg's default.

The file is ``$TG_CONFIG`` when that is set, else ``config.toml`` in the platform's config
directory (``~/.config/tg`` on Linux, ``~/Library/Application Support/tg`` on macOS,
``%APPDATA%\\tg`` on Windows). It is read with tomllib and written by ``dumps`` here: the file
holds only flat string settings, and a dozen lines (tested for round trips through tomllib) are
less to trust than another dependency.

Example:

    >>> loads(dumps({"language": "en", "user": "li.na"}))
    {'language': 'en', 'user': 'li.na'}
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import i18n
from .errors import TgError, UsageError

# setting -> the environment variable it stands for
SETTINGS: dict[str, str] = {"language": "TG_LANG", "user": "TG_USER", "database": "TG_DB", "playbook": "TG_PLAYBOOK",
                            "digest.webhook": "TG_DIGEST_WEBHOOK", "digest.to": "TG_DIGEST_TO"}
PATHS = ("database", "playbook")  # values where ~ means the home directory
SECRETS = ("digest.webhook",)  # whoever has a robot's URL can post to its group: never shown whole

_problem: TgError | None = None  # what apply_config() found wrong with the file, reported by check()
FILLED: set[str] = set()  # the variables apply_config() set from the file (not the user's own)


def config_path() -> Path:
    explicit = os.environ.get("TG_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_path

    return user_config_path("tg", appauthor=False) / "config.toml"


def known(key: str) -> str:
    if key not in SETTINGS:
        raise UsageError(i18n.t("config.unknown_key", name=key, keys=", ".join(SETTINGS)))
    return key


def check_value(key: str, value: str) -> str:
    """The value as it is stored; a UsageError for an unknown setting or a value it cannot take."""
    known(key)
    if not isinstance(value, str):
        raise UsageError(i18n.t("config.not_text", name=key))
    value = value.strip()
    if not value or any(not ch.isprintable() for ch in value):
        raise UsageError(i18n.t("config.bad_value", name=key, value=value))
    if key == "language":
        value = i18n.normalise_lang(value)
    elif key == "digest.webhook":
        from .webhook import check_url

        value = check_url(value)
    elif key == "digest.to":
        from .webhook import check_platform

        value = check_platform(value)
    return value


def shown(key: str, value: str | None) -> str | None:
    """A setting's value as tg prints it: a secret one as its scheme and host only."""
    if value is None or key not in SECRETS:
        return value
    from .webhook import host_of

    return f"{value.split(':', 1)[0]}://{host_of(value)}/***"


def _flat(data: dict, prefix: str = "") -> dict:
    """TOML tables as dotted settings: [digest] webhook = … is digest.webhook."""
    out = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, name + "."))
        else:
            out[name] = value
    return out


def loads(text: str, where: str = "config.toml") -> dict[str, str]:
    """The settings in a config file's text, checked; a TgError naming the file (and the line, for
    TOML that does not parse) when it is wrong."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TgError(i18n.t("config.bad_file", path=where, reason=str(exc))) from None
    out = {}
    for key, value in _flat(data).items():
        try:
            out[key] = check_value(key, value)
        except UsageError as exc:
            raise TgError(i18n.t("config.bad_file", path=where, reason=exc.message)) from None
    return out


def _quote(value: str) -> str:
    """A TOML basic string."""
    out = ['"']
    for ch in value:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def dumps(settings: dict[str, str]) -> str:
    lines = [f"# {i18n.t('config.file_header')}"]
    # A dotted name is quoted: bare, TOML would read digest.webhook as a table.
    lines += [f"{_quote(key) if '.' in key else key} = {_quote(settings[key])}" for key in SETTINGS if key in settings]
    return "\n".join(lines) + "\n"


def read(path: Path | None = None) -> dict[str, str]:
    """The file's settings ({} when there is no file)."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise TgError(i18n.t("config.cannot_read", path=path, reason=exc.strerror or exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TgError(i18n.t("config.bad_file", path=path, reason="not UTF-8")) from None
    return loads(text, str(path))


def write(settings: dict[str, str], path: Path | None = None) -> Path:
    """Replace the file with ``settings``: written beside it, private (0600), renamed into place."""
    import tempfile

    path = path or config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with open(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(dumps(settings))
            os.replace(name, path)
        finally:
            if os.path.exists(name):
                os.unlink(name)
    except OSError as exc:
        raise TgError(i18n.t("config.cannot_write", path=path, reason=exc.strerror or exc)) from None
    return path


def apply_config() -> None:
    """Put the file's settings into the environment where their variable is not set. Never raises:
    a broken file is remembered and reported by check(), so that `tg config` can still mend it."""
    global _problem
    _problem = None
    FILLED.clear()
    try:
        path = config_path()
        if not path.exists():
            return
        settings = read(path)
    except TgError as exc:
        _problem = exc
        return
    except Exception as exc:  # an unusable TG_CONFIG path (a NUL in it, too long)…
        _problem = TgError(i18n.t("config.cannot_read", path=os.environ.get("TG_CONFIG", "?"), reason=exc))
        return
    for key, value in settings.items():
        var = SETTINGS[key]
        if not os.environ.get(var):
            os.environ[var] = os.path.expanduser(value) if key in PATHS else value
            FILLED.add(var)


def check(command: str | None) -> None:
    """Raise what was wrong with the config file, unless the command is `tg config` itself."""
    if _problem is not None and command != "config":
        raise _problem


@dataclass(frozen=True)
class Setting:
    key: str
    value: str | None
    source: str  # "environment" | "file" | "unset"
    variable: str


def effective(key: str, path: Path | None = None) -> Setting:
    """What a run would use for ``key``, and where it comes from (a variable apply_config filled
    from the file is the file's)."""
    var = SETTINGS[known(key)]
    from_file = read(path).get(key)
    env = os.environ.get(var)
    if env and var not in FILLED:
        return Setting(key, env, "environment", var)
    if from_file:
        return Setting(key, from_file, "file", var)
    return Setting(key, None, "unset", var)


def set_value(key: str, value: str, path: Path | None = None) -> tuple[str, Path]:
    settings = read(path)
    settings[key] = check_value(key, value)
    return settings[key], write(settings, path)


def unset_value(key: str, path: Path | None = None) -> tuple[bool, Path]:
    known(key)
    path = path or config_path()
    settings = read(path)
    if key not in settings:
        return False, path
    del settings[key]
    return True, write(settings, path)
