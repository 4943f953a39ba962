"""Person names in any of the six languages, Latin or Arabic script, without an NER model.

A name is a run of tokens that starts with a first name the lexicon knows (or any word right
after a strong cue such as "my name is", "Mme", "اسمي") and goes on with further names, family
particles (van, de, bin...) and, in Latin script, capitalised words. In Latin script a name must
be capitalised unless a cue introduces it; a first name that is also a common word ("Will",
"Hallo", "سعيد") needs a cue or a family name beside it.
"""

import importlib
from dataclasses import dataclass
from functools import cache

import regex

from router.pii import cues
from router.pii.lexicon import NameLexicon, name_key, word_key

TOKEN = regex.compile(r"[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*")
SEPARATOR = regex.compile(r"['’-]")  # inside a TOKEN
ARABIC = regex.compile(r"\p{Arabic}")
ARABIC_PREFIXES = ("و", "ل", "ب")  # and / to / with, written glued to the next word
ARABIC_COMPOUND_STARTS = frozenset(name_key(word) for word in ("عبد", "أبو"))  # first names of two words
ARABIC_KIN = frozenset(name_key(word) for word in ("بن", "بنت", "ابن", "أبو", "ابو", "عبد", "آل"))
ARABIC_CLITICS = ("و", "ل", "ب", "ف", "ك")  # and, for, with, so, like: glued to common words, rarely to names
PARTICLES = frozenset(cues.NAME_PARTICLES.split("|"))
STRONG_CUE = regex.compile(rf"(?i:(?<![\p{{L}}\p{{M}}])(?:{cues.NAME_STRONG}))[\s,:،-]*$")
WEAK_CUE = regex.compile(rf"(?i:(?<![\p{{L}}\p{{M}}])(?:{cues.NAME_WEAK}))[\s,:،-]*$")
CUE_WINDOW = 40  # characters before a token searched for a cue
SENTENCE_END = frozenset(".!?\n")
LANGUAGES = ("en", "fr", "de", "es", "pt", "ar")
# Arabic adjectives that follow a title ("الموظف الجديد": the new employee) where a name could stand.
NOT_NAMES = frozenset(
    word_key(word)
    for word in (  # noqa: SIM905
        "الجديد الجديدة القديم القديمة الحالي الحالية السابق السابقة العزيز العزيزة المحترم المحترمة "
        "صباح مساء الخير خير النور السلام سلام عليكم ورحمة رحمة الله مرحبا اهلا أهلا شكرا "  # greetings
        "مدير مديرة موظف موظفة مهندس مهندسة مسؤول مسؤولة عضو رئيس فريق قسم مستخدم جديد جديدة"  # roles
    ).split()
)


@cache
def stop_words() -> frozenset[str]:
    """spaCy's stop words of the six languages: never a name, never part of one."""
    words: set[str] = set()
    for language in LANGUAGES:
        words |= importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    return frozenset(word_key(word) for word in words)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    key: str  # for the name lexicon
    word: str  # for stop words and common words

    @property
    def arabic(self) -> bool:
        return bool(ARABIC.match(self.text))

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


def family_key(key: str) -> str:
    """A family name without its glued article: al-sayed -> sayed, el-amin -> amin."""
    article, _, rest = key.partition("-")
    return rest if article in ("al", "el") and rest else key


def follows_digit(text: str, start: int) -> bool:
    """The last non-blank character before `start` is a digit (read backwards: no copy of the text)."""
    position = start - 1
    while position >= 0 and text[position].isspace():
        position -= 1
    return position >= 0 and text[position].isdigit()


def opens_sentence(text: str, token: Token) -> bool:
    """The token starts the text or follows a full stop, a question or exclamation mark, or a new line."""
    before = text[: token.start].rstrip(" \t\"'(")
    return not before or before[-1] in SENTENCE_END


def is_acronym(token: Token) -> bool:
    """VPN, SAP, HR: short all-capital words are products and teams unless a cue says otherwise."""
    return token.text.isupper() and len(token.text) <= 4


def token_at(text: str, start: int, end: int) -> Token:
    return Token(text[start:end], start, end, name_key(text[start:end]), word_key(text[start:end]))


def tokens_of(text: str) -> list[Token]:
    return [token_at(text, match.start(), match.end()) for match in TOKEN.finditer(text)]


def pieces_of(token: Token) -> list[Token]:
    """The token and every run of its parts between separators: Jean-Pierre-Paul -> Jean, Jean-Pierre..."""
    separators = [match.start() for match in SEPARATOR.finditer(token.text)]
    if not separators:
        return [token]
    starts = [0, *(position + 1 for position in separators)]
    ends = [*separators, len(token.text)]
    return [token_at(token.text, start, end) for start in starts for end in ends if start < end]


class NameFinder:
    """Finds name spans in a text with the lexicon, cue words and capitalisation."""

    def __init__(self, lexicon: NameLexicon, max_tokens: int) -> None:
        self.lexicon = lexicon
        self.max_tokens = max_tokens
        self.stop = stop_words()
        self.blocked = self.stop | NOT_NAMES  # word keys

    def find(self, text: str) -> list[tuple[int, int, bool]]:
        """(start, end, lexicon-backed) of every name; spans never overlap."""
        tokens = tokens_of(text)
        spans: list[tuple[int, int, bool]] = []
        index = 0
        while index < len(tokens):
            length, known = self.name_at(text, tokens, index)
            if length:
                spans.append((tokens[index].start, tokens[index + length - 1].end, known))
                index += length
            else:
                index += 1
        return spans

    def name_at(self, text: str, tokens: list[Token], index: int) -> tuple[int, bool]:
        """How many tokens from `index` make a name (0: none), and whether the lexicon knew its first word."""
        token = tokens[index]
        if follows_digit(text, token.start):
            return 0, False  # "10 Mai 2003", "3 Will": a month or a word after a number, not a name
        key = self.first_name_key(token)
        first_name = key is not None and token.word not in self.blocked
        if not (token.arabic or token.capitalised or first_name):
            return 0, False  # a lower-case word that is no first name: no cue makes it one (most words)
        before = text[max(0, token.start - CUE_WINDOW) : token.start]
        strong = bool(STRONG_CUE.search(before))
        cued = strong or bool(WEAK_CUE.search(before))
        latin_case_ok = token.capitalised and (cued or not is_acronym(token))
        if not token.arabic and not (latin_case_ok or cued):
            return 0, False
        if first_name:
            length = self.from_first_name(text, tokens, index, key, strong, cued)
            return length, bool(length)
        if token.arabic and token.key in ARABIC_COMPOUND_STARTS and index + 1 < len(tokens):
            following = tokens[index + 1]
            if following.arabic and following.word not in self.blocked:
                return 2 + self.extension(text, tokens, index + 1)[0], True  # عبد الله, أبو بكر
        if strong and self.unknown_name(token):
            return 1 + self.extension(text, tokens, index, any_word=token.arabic, limit=3)[0], False
        if (
            token.arabic
            and self.unknown_name(token)
            and index + 1 < len(tokens)
            and tokens[index + 1].key in ARABIC_KIN
        ):
            return 1 + self.extension(text, tokens, index)[0], False  # an unknown first name before آل, بن...
        return 0, False

    def from_first_name(self, text: str, tokens: list[Token], index: int, key: str, strong: bool, cued: bool) -> int:
        """Tokens of a name starting with a known first name, or 0 where the evidence is too thin."""
        token = tokens[index]
        rest, known = self.extension(text, tokens, index)
        if not (token.arabic or token.capitalised or strong) and not known:
            return 0  # lower case after a weak cue needs a known family name: "raised by john smith"
        if key in self.lexicon.ambiguous and not (known or (strong and (token.arabic or token.capitalised))):
            return 0  # "Grant access", "Dell Latitude", "kind regards friday"
        if not (rest or cued) and (token.arabic or opens_sentence(text, token)):
            return 0  # "Lien vers le portail": one word opening a sentence; an Arabic lexicon word alone
        return 1 + rest

    def confirms(self, span: str) -> bool:
        """A span another model calls a name holds a capitalised known name and no digit."""
        if any(character.isdigit() for character in span):
            return False
        return any(self.confirming(token) for token in tokens_of(span))

    def could_confirm_any(self, text: str) -> bool:
        """Whether some span of `text` could pass `confirms`: when not, an NER model's names would all be
        dropped, so it need not run (lower-case text never passes: no capitalised, no Arabic token).

        A span may cut a hyphenated or apostrophised word ("Jean-Pierre", "l'Anne"), so every run of
        its parts is tried too.
        """
        if not (ARABIC.search(text) or any(map(str.isupper, text))):
            return False
        return any(self.confirming(piece) for token in tokens_of(text) for piece in pieces_of(token))

    def confirming(self, token: Token) -> bool:
        """A token that makes a span a name: Arabic or capitalised, a known name, not a common word."""
        return (
            (token.arabic or (token.capitalised and not is_acronym(token)))
            and self.lexicon.is_name(token.key)
            and token.key not in self.lexicon.ambiguous
            and token.word not in self.blocked
        )

    def first_name_key(self, token: Token) -> str | None:
        """The lexicon key of a first name, with Arabic glued prefixes and hyphenated parts understood."""
        first = self.lexicon.first
        parts = token.key.split("-")
        if token.key in first or (len(parts) > 1 and all(len(part) > 2 and part in first for part in parts)):
            return token.key
        if token.arabic and token.key[:1] in ARABIC_PREFIXES and token.key[1:] in first and len(token.key) > 3:
            return token.key[1:]
        return None

    def unknown_name(self, token: Token) -> bool:
        """After a strong cue, a word the lexicon does not know may still be a name (not a common word)."""
        article = token.arabic and token.key.startswith("ال")
        if {token.word, token.word[2:] if article else ""} & self.blocked:
            return False
        if token.arabic and token.word.startswith(ARABIC_CLITICS):
            return False  # "اتصل المستخدم لأنه": the user called because...
        return not {token.key, token.key[2:] if article else ""} & self.lexicon.ambiguous and (
            token.arabic or token.capitalised
        )

    def extension(
        self, text: str, tokens: list[Token], index: int, any_word: bool = False, limit: int = 0
    ) -> tuple[int, int]:
        """How many tokens after `index` continue the name (family names, particles, kin words),
        and how many of them the lexicon knows (kin words count: آل, بن announce a family name)."""
        taken = known = 0
        position = index
        limit = limit or self.max_tokens
        while taken + 1 < limit and position + 1 < len(tokens):
            following = tokens[position + 1]
            gap = text[tokens[position].end : following.start]
            if gap.strip(" -") or "\n" in gap:
                break
            step = 1
            if following.key in PARTICLES or following.key in ARABIC_KIN:
                kin = following.key in ARABIC_KIN  # after آل or بن any word is a family name, علي included
                if position + 2 >= len(tokens) or not self.continues(
                    tokens[position + 2], any_word=True, after_kin=kin
                ):
                    break
                step = 2
                known += following.key in ARABIC_KIN
                following = tokens[position + 2]
            elif not self.continues(following, any_word):
                break
            family = family_key(following.key)
            known += self.lexicon.is_name(family) and family not in self.lexicon.ambiguous
            taken += step
            position += step
        return taken, known

    def continues(self, token: Token, any_word: bool, after_kin: bool = False) -> bool:
        """A further part of a name: a known name, or (Latin) a capitalised word that is not a stop word."""
        if after_kin and token.arabic:
            return token.word not in NOT_NAMES
        if token.word in self.blocked:
            return False
        if self.lexicon.is_name(token.key) and (token.arabic or token.capitalised):
            return True
        if token.arabic:
            family = token.key[2:] if token.key.startswith("ال") else ""
            return any_word or (family in self.lexicon.last and family not in self.lexicon.ambiguous)
        if not token.capitalised:  # lower case: only a family name the lexicon knows
            return family_key(token.key) in self.lexicon.last
        return not token.text.isupper()
