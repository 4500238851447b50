"""Finding a font that has Chinese characters, for the PDF.

A PDF embeds its font, so tg needs one with CJK glyphs on the machine: the usual places of
Noto Sans/Serif CJK and WenQuanYi on Linux, Microsoft YaHei, SimHei and SimSun on Windows,
PingFang and Heiti on macOS; then whatever fontconfig knows for Chinese; or ``--font FILE``.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import i18n
from ..errors import TgError, UsageError

LINUX = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian, Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch: noto-fonts-cjk
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora: google-noto-sans-cjk-fonts
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
]
WINDOWS = ["msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc", "Deng.ttf"]
MACOS = [
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
]
SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@dataclass(frozen=True)
class FontChoice:
    path: Path
    index: int  # the face within a collection (.ttc): the Simplified Chinese one when there is one


def candidates() -> list[Path]:
    if sys.platform.startswith("win"):
        root = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        return [d / name for name in WINDOWS for d in (root, local)]
    if sys.platform == "darwin":
        return [Path(p) for p in MACOS]
    home = Path.home()
    return [Path(p) for p in LINUX] + [home / ".local/share/fonts" / Path(p).name for p in LINUX[:1] + LINUX[5:7]]


def _fontconfig() -> Path | None:
    """Whatever fontconfig lists for Chinese (a distribution's other paths, a user's fonts)."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return None
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    files = [f for f in files if f.lower().endswith(SUFFIXES)]
    # Regular weights first: a Bold or Light face would be the whole document's.
    files.sort(key=lambda f: (any(w in f for w in ("Bold", "Light", "Thin", "Black", "Medium")), f))
    return Path(files[0]) if files else None


def face_index(path: Path) -> int:
    """The Simplified Chinese face of a collection (Noto CJK holds JP, KR, SC, TC, HK); else 0."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    try:
        collection = TTCollection(str(path), lazy=True)
    except Exception:
        return 0
    for i, font in enumerate(collection.fonts):
        name = font["name"].getDebugName(1) or ""
        if name.endswith(" SC") or "YaHei" in name or name.startswith(("PingFang SC", "SimSun")):
            return i
    return 0


def find_font(explicit: str | None = None) -> FontChoice:
    """The font for a PDF: ``explicit`` (``--font``) or TG_FONT, else the first one found."""
    return _find(explicit or os.environ.get("TG_FONT"), tuple(candidates()))


@functools.lru_cache(maxsize=8)
def _find(chosen: str | None, _places: tuple) -> FontChoice:
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise UsageError(i18n.t("quote.font_missing", path=path))
        if path.suffix.lower() not in SUFFIXES:
            raise UsageError(i18n.t("quote.font_kind", path=path))
        return FontChoice(path, face_index(path))
    for path in candidates():
        if path.is_file():
            return FontChoice(path, face_index(path))
    found = _fontconfig()
    if found is not None:
        return FontChoice(found, face_index(found))
    raise TgError(i18n.t("quote.no_cjk_font", install=install_hint()))


def install_hint() -> str:
    if sys.platform.startswith("win"):
        return i18n.t("quote.font_hint_windows")
    if sys.platform == "darwin":
        return i18n.t("quote.font_hint_macos")
    return i18n.t("quote.font_hint_linux")


# --- the cached base font ----------------------------------------------------------------------
# fpdf2 reads the whole face it is given and subsets it again for every PDF: with Noto Sans CJK
# (65,000 glyphs in a 20 MB collection) that is 1.5-3 s a document, most of a quote's time. So
# the first PDF made with a font cuts the face down, once, to the characters of GB 2312 (the
# 6,763 common hanzi and its symbols), ASCII and Latin-1, general and CJK punctuation and the
# full-width forms, and keeps it in the user's cache dir (0700); fpdf2 then reads ~2 MB
# instead (0.3 s). A document with a character outside that set (a rare hanzi in a buyer's
# name) is made from the full font, so nothing is ever missing. TG_NO_CACHE turns the cache off.

BASE_VERSION = "1"


def base_characters() -> set[str]:
    chars = {chr(c) for r in ((0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2200), (0x3000, 0x3040),
                              (0xFF00, 0xFFF0)) for c in range(*r)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def _cache_paths(choice: FontChoice) -> tuple[Path, Path] | None:
    import hashlib

    try:
        from platformdirs import user_cache_path

        st = choice.path.stat()
        key = hashlib.sha256(f"{choice.path.resolve()}|{choice.index}|{st.st_size}|{st.st_mtime_ns}|{BASE_VERSION}"
                             .encode("utf-8", "surrogateescape")).hexdigest()[:32]
        root = user_cache_path("tg", appauthor=False)
    except OSError:
        return None
    return root / f"font-{key}.otf", root / f"font-{key}.chars"


def build_base(choice: FontChoice, font_file: Path, chars_file: Path, chars: set[str] | None = None) -> None:
    """Cut ``choice`` down to ``chars`` (the base set) and save it with the list of what it covers."""
    import tempfile

    from fontTools import subset
    from fontTools.ttLib import TTFont

    wanted = base_characters() if chars is None else chars
    font = TTFont(str(choice.path), fontNumber=choice.index, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    covered = "".join(sorted(ch for ch in wanted if ord(ch) in font.getBestCmap()))
    options = subset.Options()
    options.layout_features = []  # a quotation needs no ligatures or vertical forms
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    options.hinting = True  # keeping hints is less work than removing them
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in covered])
    subsetter.subset(font)
    font_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for target, write in ((font_file, lambda f: font.save(f)), (chars_file, lambda f: f.write(covered.encode()))):
        fd, tmp = tempfile.mkstemp(dir=font_file.parent, prefix=".font-")
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, target)


def embeddable(choice: FontChoice, text: str, *, notice=None) -> FontChoice:
    """The font fpdf2 should read for a document holding ``text``: the cached base font when it has
    every character (built now if need be), else the full one."""
    if os.environ.get("TG_NO_CACHE"):
        return choice
    paths = _cache_paths(choice)
    if paths is None:
        return choice
    font_file, chars_file = paths
    needed = {ch for ch in text if not ch.isspace()}
    try:
        if not (font_file.is_file() and chars_file.is_file() and os.stat(font_file).st_uid == os.getuid()):
            if notice is not None:
                notice(i18n.t("quote.font_preparing", font=choice.path.name))
            build_base(choice, font_file, chars_file)
        covered = set(chars_file.read_text("utf-8"))
    except Exception:  # a read-only home, a font fontTools cannot cut: the full font still works
        return choice
    return FontChoice(font_file, 0) if needed <= covered else choice
