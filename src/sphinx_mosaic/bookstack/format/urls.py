"""BookStack's slugs and URLs: the URL names it gives books, chapters, pages and shelves.

BookStack makes a slug with Laravel's ``Str::slug`` (separator ``-``, language
``en``), whose transliteration to ASCII comes from the voku/portable-ascii tables.
An entity whose name gives no slug gets a random one, so the only URL that
finds it on any server is a search for its exact name (:func:`entity_url`).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from text_unidecode import unidecode

_UNDERSCORES = re.compile(r"_+")
_NOT_SLUG = re.compile(r"[^-\w\s]+")
_RUNS = re.compile(r"[-\s]+")

#: Scripts BookStack's transliteration leaves out (it has no table for them), so a
#: name written only in them gets no slug: CJK ideographs, kana, hangul, bopomofo,
#: Hebrew, Thai, Khmer, Gurmukhi, Ethiopic, and full-width forms.
_UNTRANSLITERATED = (
    (0x0590, 0x05FF),  # Hebrew
    (0x0A00, 0x0A7F),  # Gurmukhi
    (0x0E00, 0x0E7F),  # Thai
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1200, 0x139F),  # Ethiopic
    (0x1780, 0x17FF),  # Khmer
    (0x3000, 0x312F),  # CJK symbols, hiragana, katakana, bopomofo
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x31F0, 0x31FF),  # katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width and half-width forms
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)


#: Cyrillic letters BookStack transliterates otherwise than Unidecode does (its results,
#: e.g. "Чаша шар жук хор цирк" -> casa-sar-zuk-xor-cirk); the rest agree.
_CYRILLIC = {
    "ё": "e",
    "ж": "z",
    "х": "x",
    "ц": "c",
    "ч": "c",
    "ш": "s",
    "щ": "shh",
    "ъ": "ie",
    "ь": "",
    "є": "je",
    "ґ": "g",
    "ў": "",
    "ћ": "c",
    "џ": "dz",
}


#: Greek as BookStack transliterates it (its results, letter by letter and for the
#: vowel pairs it reads as one sound); text-unidecode reads Greek otherwise.
# fmt: off
_GREEK = {
    "Α": "A", "Β": "B", "Γ": "G", "Δ": "D", "Ε": "E", "Ζ": "Z", "Η": "H", "Θ": "Th", "Ι": "I",
    "Κ": "K", "Λ": "L", "Μ": "M", "Ν": "N", "Ξ": "Ks", "Ο": "O", "Π": "P", "Ρ": "R", "Σ": "S",
    "Τ": "T", "Υ": "Y", "Φ": "F", "Χ": "X", "Ψ": "Ps", "Ω": "O", "α": "a", "β": "v", "γ": "gh",
    "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k", "λ": "l", "μ": "m",
    "ν": "n", "ξ": "ks", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "i",
    "φ": "f", "χ": "kh", "ψ": "ps", "ω": "o", "ά": "a", "έ": "e", "ή": "i", "ί": "i", "ό": "o",
    "ύ": "y", "ώ": "w", "Ά": "A", "Έ": "E", "Ή": "I", "Ί": "I", "Ό": "O", "Ύ": "Y", "Ώ": "W",
    "ϊ": "i", "ϋ": "y", "ΐ": "i", "ΰ": "y", "Ϊ": "I", "Ϋ": "Y",
}
_GREEK_PAIRS = {
    "ΑΥ": "AU", "Αυ": "Au", "Αύ": "Au", "ΑΎ": "AU", "ΕΙ": "I", "ΕΥ": "EF", "Ευ": "Ef",
    "Εί": "I", "Εύ": "Eu", "ΕΊ": "I", "ΕΎ": "EU", "ΟΙ": "I", "ΟΥ": "U", "Ου": "Oy", "Οί": "I",
    "Ού": "Ou", "ΟΊ": "I", "ΟΎ": "OU", "ΥΙ": "I", "Υί": "I", "ΥΊ": "I", "αυ": "au", "αύ": "au",
    "ευ": "ef", "εί": "i", "εύ": "eu", "ου": "oy", "οί": "i", "ού": "ou", "υι": "yi",
    "υί": "i", "ύι": "i", "ΎΙ": "I", "Ύι": "I",
}
# fmt: on


#: Other letters and signs BookStack reads otherwise than Unidecode does (its results):
#: currency signs become their ISO codes, fractions and the micro sign are dropped.
_OTHERS = {
    "µ": "",
    "Ŋ": "N",
    "ŋ": "n",
    "Ə": "E",
    "ə": "e",
    "Ʊ": "U",
    "¥": "YEN",
    "₽": "RUB",
    "₹": "Rs",
    "₴": "UAH",
    "₺": "TL",
    "฿": "THB",
    "₣": "Fr",
}


def _transliterated(char: str) -> bool:
    """Whether BookStack gives *char* an ASCII reading: letters and digits (not
    fractions) and currency signs, outside the scripts it has no table for."""
    category = unicodedata.category(char)
    if category[0] not in "LN" and category != "Sc":
        return False
    if unicodedata.decomposition(char).startswith("<fraction>"):
        return False
    return not any(low <= ord(char) <= high for low, high in _UNTRANSLITERATED)


def _ascii(name: str) -> str:
    """Laravel's ``Str::ascii`` (language ``en``), as near as a Python table gets.

    Letters and digits are transliterated with text-unidecode (a port of Perl's
    Text::Unidecode, the origin of BookStack's own tables too), except Greek and
    the letters of ``_CYRILLIC`` and ``_OTHERS``, read as BookStack reads them;
    other symbols, emoji and the scripts in ``_UNTRANSLITERATED`` are dropped, as
    BookStack drops them.
    """
    out: list[str] = []
    index = 0
    while index < len(name):
        pair = name[index : index + 2]
        if pair in _GREEK_PAIRS:
            out.append(_GREEK_PAIRS[pair])
            index += 2
            continue
        char = name[index]
        index += 1
        if char in _GREEK:
            out.append(_GREEK[char])
        elif char.isascii():
            out.append(char)
        elif char in _OTHERS:
            out.append(_OTHERS[char])
        elif char.lower() in _CYRILLIC:
            out.append(_CYRILLIC[char.lower()])
        elif _transliterated(char):
            out.append(unidecode(char))
        elif char.isspace():
            out.append(" ")
    return "".join(out)


def bookstack_slug(name: str) -> str:
    """The slug BookStack gives *name*: Laravel's ``Str::slug`` with language ``en``.

    Transliterate to ASCII; runs of ``_`` become ``-``; ``@`` becomes ``-at-``;
    lower case; everything but letters, digits, ``-`` and whitespace goes; runs of
    ``-`` and whitespace become one ``-``; ``-`` is trimmed from both ends.
    ``"Привет мир"`` gives ``privet-mir``; a name in Chinese gives ``""``, for
    which BookStack makes a random slug.  Checked against Laravel's own results
    for Latin, Cyrillic, Greek, CJK and emoji names (tests/bookstack/test_format.py);
    rarer scripts (Arabic, Devanagari, Georgian...) may differ in a letter.
    """
    text = _UNDERSCORES.sub("-", _ascii(name)).replace("@", "-at-").lower()
    text = _NOT_SLUG.sub("", text).replace("_", "")
    return _RUNS.sub("-", text).strip("-")


def entity_url(kind: str, name: str) -> str:
    """``/{kind}/{slug}`` as BookStack will most likely make it (``kind`` is ``books``,
    ``shelves``...); for a name that gives no slug (BookStack then picks a random one)
    a search for the name, which finds it on any server."""
    slug = bookstack_slug(name)
    return f"/{kind}/{slug}" if slug else search_url(name)


def search_url(name: str) -> str:
    """BookStack's search for the exact *name* (for an entity whose slug is random)."""
    return "/search?term=" + quote(f'"{name}"', safe="")
