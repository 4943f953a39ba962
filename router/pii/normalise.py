"""Normalise a ticket as a reader sees it, keeping a map back to the characters it came from.

Detection runs on the normalised text (NFKC, no invisible format characters, digits of every
script as ASCII, no Arabic tatweel or short vowels); placeholders replace the original span, so
nothing of the original value is left behind and everything else is kept exactly as written.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Arabic tatweel (stretches a word) and harakat (short vowels): a reader reads through them.
ARABIC_MARKS = frozenset({0x0640, *range(0x064B, 0x0660), 0x0670})


@dataclass(frozen=True)
class NormalisedText:
    """`text` for detection; `starts[i]`/`ends[i]`: the original span that normalised character `i` came from."""

    text: str
    starts: tuple[int, ...] | None = None  # None: identical to the original
    ends: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised characters [start, end)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=4096)
def fold_character(cluster: str) -> str:
    """One starter and its combining marks, as read: NFKC, ASCII digits, invisible and Arabic marks gone."""
    folded = []
    for character in unicodedata.normalize("NFKC", cluster):
        if unicodedata.category(character) == "Cf" or ord(character) in ARABIC_MARKS:
            continue
        digit = unicodedata.decimal(character, None)
        folded.append(str(digit) if digit is not None else character)
    return "".join(folded)


def clusters(text: str) -> list[tuple[int, int]]:
    """Spans of a starter plus its combining marks (NFKC composes only within one)."""
    starts = [
        index for index, character in enumerate(text) if character < "\u0300" or not unicodedata.combining(character)
    ]
    if text and (not starts or starts[0] != 0):
        starts.insert(0, 0)
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def needs_folding(text: str) -> bool:
    """Cheap test: plain ASCII, or already NFKC with nothing to drop or map, is left as it is."""
    if text.isascii():
        return False
    if not unicodedata.is_normalized("NFKC", text):
        return True
    return any(
        ord(character) > 127
        and (
            unicodedata.category(character) == "Cf"
            or ord(character) in ARABIC_MARKS
            or unicodedata.decimal(character, None) is not None
        )
        for character in text
    )


def normalise(text: str) -> NormalisedText:
    """The text as a reader sees it, with the offset map back to `text`."""
    if not needs_folding(text):
        return NormalisedText(text)
    pieces, starts, ends = [], [], []
    for start, end in clusters(text):
        cluster = text[start:end]
        folded = cluster if cluster < "\x80" and len(cluster) == 1 else fold_character(cluster)
        pieces.append(folded)
        starts.extend([start] * len(folded))
        ends.extend([end] * len(folded))
    return NormalisedText("".join(pieces), tuple(starts), tuple(ends))
