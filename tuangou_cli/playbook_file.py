"""Where the playbook is, and its YAML read as plain data for a quick reader (shell completion).

Apart from playbook.py, which validates the playbook with pydantic: importing that costs about
a third of a second, more than a Tab press may take. Nothing here imports pydantic.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def default_playbook_path() -> Path:
    """The playbook shipped inside the package; in a source checkout, the repo's top-level one."""
    here = Path(__file__).resolve().parent
    packaged = here / "playbooks.yaml"
    return packaged if packaged.is_file() else here.parent / "playbooks.yaml"


def resolve_playbook_path(explicit: str | os.PathLike | None) -> Path:
    chosen = explicit or os.environ.get("TG_PLAYBOOK")
    return Path(chosen).expanduser() if chosen else default_playbook_path()


def read_unchecked(explicit: str | os.PathLike | None = None) -> dict[str, Any]:
    """The playbook's top-level mapping as YAML gives it, unvalidated (any entry may be missing
    or of another shape: the reader checks what it uses). Raises on a missing, oversized or
    unparsable file, as load_playbook does."""
    import yaml

    from .limits import PLAYBOOK_BYTES, read_file

    raw = read_file(resolve_playbook_path(explicit), PLAYBOOK_BYTES, what="playbook")
    data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data if isinstance(data, dict) else {}
