"""The name lexicon shipped with the agent: first and last names in Latin and Arabic script.

Built from names-dataset (first and last names ranked by country) by `devkit/name_lexicon.py`; one
line per name: `key<TAB>kinds`, kinds among F (first name), L (last name), A (also a common word,
so it counts as a name only beside another name or after a word that introduces a person).
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON_PATH = Path(__file__).parent / "data" / "names.tsv"
# Spellings of one Arabic letter that people use interchangeably (hamza on alef, taa marbuta, alef maqsura).
ALEF_FOLDS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"}
ARABIC_FOLDS = str.maketrans({**ALEF_FOLDS, "ة": "ه", "ى": "ي"})
# Stop words keep their final letters: folded, the preposition على would be the name علي.
WORD_FOLDS = str.maketrans(ALEF_FOLDS)


def name_key(token: str) -> str:
    """The lookup form of a name: case-folded, Arabic letter variants folded."""
    return token.casefold().translate(ARABIC_FOLDS)


def word_key(token: str) -> str:
    """The lookup form of a common word: case-folded, only the hamza on alef folded."""
    return token.casefold().translate(WORD_FOLDS)


@dataclass(frozen=True)
class NameLexicon:
    """Lookup keys of first names, last names, and names that are also common words."""

    first: frozenset[str]
    last: frozenset[str]
    ambiguous: frozenset[str]

    def is_name(self, key: str) -> bool:
        return key in self.first or key in self.last


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> NameLexicon:
    """Read the shipped lexicon once per process (about 1 MB in memory)."""
    first, last, ambiguous = set(), set(), set()
    for line in path.read_text(encoding="utf-8").splitlines():
        key, kinds = line.split("\t")
        for kind, bucket in (("F", first), ("L", last), ("A", ambiguous)):
            if kind in kinds:
                bucket.add(key)
    return NameLexicon(frozenset(first), frozenset(last), frozenset(ambiguous))
