"""The one character policy: what a certificate and an email can carry, named when refused."""

import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from shared import text_policy

FONTS = [
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"),
]


def test_every_accepted_character_has_a_glyph_in_both_certificate_fonts():
    """Over every code point the policy accepts (about 11,000): none would print as a box."""
    accepted = [chr(cp) for cp in range(0x20, 0x30000) if text_policy.accepted(chr(cp))]
    assert len(accepted) > 10_000
    for font in FONTS:
        cmap = TTFont(font, fontNumber=0)["cmap"].getBestCmap()
        missing = [c for c in accepted if ord(c) not in cmap]
        assert missing == [], f"{font.name} has no glyph for {''.join(missing[:20])}"


@pytest.mark.parametrize("char", list("髙﨑①㈱〜−～－ｱ漢あア。「」・ーＡ1a "))
def test_characters_of_real_names_are_accepted(char):
    assert text_policy.accepted(char)


@pytest.mark.parametrize(
    "char", ["\u0000", "\u001b", "\t", "\n", "\u202e", "\u200b", "\ufeff", "\u00ad", "\ue000", "😀", "𠮷", "\u2028", "∑"]
)
def test_what_a_certificate_cannot_print_is_refused(char):
    assert not text_policy.accepted(char)


def test_line_breaks_only_in_fields_of_several_lines():
    assert text_policy.refused_characters("一行目\n二行目") == ["\n"]
    assert text_policy.refused_characters("一行目\n二行目", multiline=True) == []
    assert text_policy.normalise("a\r\nb\rc", multiline=True) == "a\nb\nc"


def test_refused_characters_are_named_so_a_person_can_find_them():
    refused = text_policy.refused_characters("gnp\u202e.exe\u200b😀\u0000")
    assert text_policy.describe(refused) == "書式制御文字（U+202E）、ゼロ幅スペース（U+200B）、「😀」（U+1F600）、NUL（U+0000）"
    many = text_policy.refused_characters("😀😁😂🤣😃😄😅")
    assert text_policy.describe(many).endswith(" ほか2種類")


def test_text_is_composed_before_it_is_judged():
    decomposed = "か\u3099"  # か + combining voiced mark, as some IMEs and macOS file names send it
    assert text_policy.normalise(decomposed) == "が" and unicodedata.is_normalized("NFC", text_policy.normalise(decomposed))
    assert text_policy.refused_characters(text_policy.normalise(decomposed)) == []
