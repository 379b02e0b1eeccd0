"""ASCII forms of person names for e-mail addresses (lowercase a-z), script by script.

anyascii does most scripts; Indic, Arabic and Thai scripts, Greek digraphs, German umlauts
and common Korean surnames get the spellings people use (संजय → sanjay, فاطمة → fatma,
สมชาย → somchai, μπ → b, Müller → mueller, 김 → kim).
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii
from pythainlp.transliterate import romanize as romanize_thai

#: Conventional spellings of common Korean surnames (anyascii gives Revised Romanization).
# fmt: off
KOREAN_SURNAMES: dict[str, str] = {
    "김": "kim", "이": "lee", "박": "park", "최": "choi", "정": "jung", "강": "kang",
    "조": "cho", "윤": "yoon", "장": "jang", "임": "lim", "한": "han", "오": "oh",
    "서": "seo", "신": "shin", "권": "kwon", "황": "hwang", "안": "ahn", "송": "song",
    "류": "ryu", "유": "yoo", "홍": "hong", "전": "jeon", "고": "ko", "문": "moon",
    "양": "yang", "손": "son", "배": "bae", "백": "baek", "허": "heo", "노": "noh",
    "남": "nam", "심": "shim", "하": "ha", "곽": "kwak", "성": "sung", "차": "cha",
    "주": "joo", "우": "woo", "구": "koo", "민": "min", "진": "jin", "나": "na",
    "지": "ji", "엄": "eom", "채": "chae", "원": "won", "천": "cheon", "방": "bang",
    "공": "kong", "현": "hyun", "변": "byun", "염": "yeom", "여": "yeo", "추": "choo",
    "도": "do", "소": "so", "석": "seok", "선": "sun", "설": "seol", "마": "ma",
    "길": "gil", "연": "yeon", "위": "wi", "표": "pyo", "명": "myung", "기": "ki",
    "반": "ban", "왕": "wang", "금": "keum", "옥": "ok", "육": "yook", "인": "in",
    "맹": "maeng", "제": "je", "모": "mo", "탁": "tak", "국": "kook", "어": "eo",
    "은": "eun", "편": "pyeon", "용": "yong", "예": "ye", "경": "kyung", "봉": "bong",
    "사": "sa", "부": "boo", "황보": "hwangbo", "남궁": "namgung", "선우": "sunwoo",
    "제갈": "jegal", "독고": "dokgo", "사공": "sagong",
}
# fmt: on

GERMAN_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

#: Greek digraphs as ELOT 743 / common e-mail usage spells them (applied to unaccented lowercase).
GREEK_DIGRAPHS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("γγ", "ng"), ("μπ", "b"))

#: Brahmic scripts whose final inherent vowel is silent (Hindi "राम" → ram, not rama).
SCHWA_DELETING_SCRIPTS = ("DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA")
#: Consonants whose usual romanization differs from anyascii's (keyed by Unicode letter name).
BRAHMIC_CONSONANTS = {"SHA": "sh", "SSA": "sh", "CA": "ch", "CHA": "chh", "LLLA": "zh"}


def romanize_brahmic(text: str) -> str:
    """Romanize Indic scripts with the inherent vowel: संजय → sanjay, लता → lata.

    anyascii drops the inherent vowel (संजय → smjy); this walks consonants, vowel signs
    and viramas instead, and deletes a word's final inherent vowel in Indo-Aryan scripts
    unless the word ends in a conjunct (इन्द्र → indra).
    """
    out: list[str] = []
    pending = False  # a consonant was written whose inherent vowel is not yet decided
    conjunct = False  # the pending consonant follows a virama

    def flush(final: bool, script: str) -> None:
        nonlocal pending
        if pending and not (
            final and script in SCHWA_DELETING_SCRIPTS and not conjunct and len(out) > 1
        ):
            out.append("a")
        pending = False

    script = ""
    chars = [c for c in text if unicodedata.category(c) != "Cf"]  # drop ZWJ/ZWNJ
    for i, ch in enumerate(chars):
        name = unicodedata.name(ch, "")
        script = name.split(" ")[0] if name else script
        nxt = chars[i + 1] if i + 1 < len(chars) else " "
        if "VIRAMA" in name or "AL-LAKUNA" in name:
            pending, conjunct = False, True
        elif "VOWEL SIGN" in name:
            pending = False
            out.append("ri" if "VOCALIC R" in name else anyascii(ch))
        elif "NUKTA" in name:
            continue
        elif "ANUSVARA" in name or "CANDRABINDU" in name:
            flush(False, script)
            out.append("m" if anyascii(nxt)[:1] in ("p", "b", "m") else "n")
        elif "VISARGA" in name:
            flush(False, script)
            out.append("h")
        elif unicodedata.category(ch) == "Lo":
            base = anyascii(ch)
            if re.search(r"[aeiou]", base):  # independent vowel
                flush(False, script)
                out.append(base)
                continue
            was_conjunct = bool(out) and not pending and conjunct
            flush(False, script)
            letter = name.split(" LETTER ")[-1]
            if script == "SINHALA" and "SAYANNA" in letter and "DANTAJA" not in letter:
                base = "sh"
            elif script != "TAMIL" or letter == "LLLA":
                base = BRAHMIC_CONSONANTS.get(letter, base)
            out.append(base)
            pending, conjunct = True, was_conjunct
        else:  # space, hyphen, anything else ends a word
            flush(True, script)
            conjunct = False
            out.append(anyascii(ch))
    flush(True, script)
    return "".join(out)


def romanize_arabic(text: str) -> str:
    """Arabic/Persian script with its long vowels spelt out: فاطمة → fatma, العلي → alali.

    Short vowels are not written in the script, so names keep consonant clusters (محمد → mhmd).
    """
    words = []
    for word in text.split():
        out: list[str] = []
        if word.startswith("ال") and len(word) > 3:
            out.append("al")
            word = word[2:]
        for i, ch in enumerate(word):
            nxt = word[i + 1] if i + 1 < len(word) else ""
            if ch in "اآأٱ":
                out.append("a")
            elif ch == "إ":
                out.append("i")
            elif ch in "ةى":
                out.append("a")
            elif ch == "ع":
                out.append("a" if i == 0 else "")
            elif ch == "و":
                out.append("w" if i == 0 or nxt in "اآ" else "u")
            elif ch in "يی":
                out.append("y" if i == 0 or nxt in "اآو" else "i")
            else:
                out.append(anyascii(ch))
        words.append("".join(out))
    return " ".join(words)


def script_of(text: str) -> str:
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "").split(" ")[0]
    return ""


def ascii_name(name: str, locale: str, romanized: str | None = None) -> str:
    """Lowercase a-z form of a name for e-mail addresses ("" when nothing is left)."""
    script = script_of(name)
    if romanized is not None:
        text = romanized
    elif locale.startswith("ko_") and name in KOREAN_SURNAMES:
        text = KOREAN_SURNAMES[name]
    elif locale.startswith("de_"):
        text = anyascii(name.lower().translate(GERMAN_UMLAUTS))
    elif script == "GREEK":
        text = "".join(
            c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c)
        )
        for greek, latin in GREEK_DIGRAPHS:
            text = text.replace(greek, latin)
        text = anyascii(text)
    elif script in SCHWA_DELETING_SCRIPTS or script in (
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "SINHALA",
    ):
        text = romanize_brahmic(name)
    elif script == "ARABIC":
        text = romanize_arabic(name)
    elif script == "THAI":
        # The Royal Thai General System as PyThaiNLP's rules apply it: leading vowels
        # read after their consonant, silent letters dropped (anyascii: knkentr, kadiratn).
        text = romanize_thai(name, engine="royin")
    else:
        text = anyascii(name)
    return re.sub(r"[^a-z]", "", text.lower())
