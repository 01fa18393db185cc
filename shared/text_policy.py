"""One character policy for every free text that can reach a certificate, a PDF, a page or an email.

What a person types (工事名, 会社名, 住所, 連絡事項 …) is printed on the 電子証書 in the IPAex fonts and
sent in emails. Accepted: the characters of JIS (Shift_JIS as Windows writes it, cp932, with its NEC and
IBM extensions such as ①, ㈱, 髙, 﨑; and JIS X 0213, e.g. 〜 and −) that both certificate fonts can
draw. Refused, named in the message:
- control characters (NUL, ESC …; a line break only where the field is several lines),
- format characters: bidirectional overrides (U+202E turns `gnp.exe` into `exe.png` on paper),
  zero-width spaces and joiners, soft hyphens, BOM,
- private-use (外字), unassigned and surrogate code points,
- characters outside JIS, such as emoji or 𠮷, which the fonts would print as a box.

Text is NFC-normalised first (a kana typed as base + combining mark becomes the one character).
"""

import unicodedata
from functools import lru_cache

# Character categories never accepted: control, format, private use, surrogate, unassigned, line/paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
_CODECS = ("cp932", "shift_jis_2004")
# In JIS but without a glyph in IPAex Gothic/Mincho (measured with fontTools over every accepted character;
# tests/unit/shared/test_text_policy.py checks the fonts again).
_NO_GLYPH = frozenset("∑⦅⦆")
LINE_BREAK = "\n"

# How a refused character that would be invisible on the page is named in a message.
_NAMES = {
    "\u0000": "NUL",
    "\t": "タブ",
    "\n": "改行",
    "\r": "改行",
    "\u001b": "ESC",
    "\u200b": "ゼロ幅スペース",
    "\u200c": "ゼロ幅非接合子",
    "\u200d": "ゼロ幅接合子",
    "\u2060": "ワードジョイナー",
    "\ufeff": "BOM",
    "\u00ad": "ソフトハイフン",
}


@lru_cache(maxsize=4096)
def accepted(char: str, *, multiline: bool = False) -> bool:
    if multiline and char == LINE_BREAK:
        return True
    if unicodedata.category(char) in _REFUSED_CATEGORIES or char in _NO_GLYPH:
        return False
    for codec in _CODECS:
        try:
            char.encode(codec)
        except UnicodeEncodeError:
            continue
        return True
    return False


def normalise(text: str, *, multiline: bool = False) -> str:
    """NFC, and Windows line breaks as one (\\r\\n → \\n) where line breaks are allowed."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def refused_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The distinct refused characters of `text` (already normalised), in order of first appearance."""
    return list(dict.fromkeys(c for c in text if not accepted(c, multiline=multiline)))


def describe(chars: list[str], *, limit: int = 5) -> str:
    """「U+202E（書式制御）」「😀」…: visible characters as themselves, invisible ones by name and code point."""
    named = []
    for char in chars[:limit]:
        code = f"U+{ord(char):04X}"
        category = unicodedata.category(char)
        if char in _NAMES:
            named.append(f"{_NAMES[char]}（{code}）")
        elif category == "Cf":
            named.append(f"書式制御文字（{code}）")
        elif category in ("Cc", "Zl", "Zp"):
            named.append(f"制御文字（{code}）")
        elif category in ("Co", "Cs", "Cn"):
            named.append(f"使用できない文字（{code}）")
        else:
            named.append(f"「{char}」（{code}）")
    more = f" ほか{len(chars) - limit}種類" if len(chars) > limit else ""
    return "、".join(named) + more


def storable(text: str) -> bool:
    """What PostgreSQL can store at all: no NUL, no lone surrogate (drafts keep anything else as typed)."""
    return "\u0000" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


class TextRefused(ValueError):
    """A text an operator or a person entered breaks the policy; the message is Japanese and names the field."""


def checked(label: str, text: str, max_length: int, *, multiline: bool = False) -> str:
    """`text` normalised, or TextRefused naming `label` and the rule (used where no form validates: the CLIs)."""
    typed = normalise(text.strip(), multiline=multiline)
    if not typed:
        raise TextRefused(f"{label}を入力してください")
    if len(typed) > max_length:
        raise TextRefused(f"{label}は{max_length}文字以内で入力してください（現在 {len(typed)}文字）")
    if refused := refused_characters(typed, multiline=multiline):
        raise TextRefused(f"{label}に使えない文字が含まれています: {describe(refused)}")
    return typed
