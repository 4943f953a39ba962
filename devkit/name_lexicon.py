"""Build router/pii/data/names.tsv from names-dataset (run by hand when the lexicon should change).

    pip install names-dataset==3.3.1   # 55 MB, ~2 GB of memory while it loads: never in the agent
    python -m devkit.name_lexicon --corpus ../shared/data/multilingual_support_tickets.csv \
        --lowered-corpus ../shared/data/it_service_tickets.csv

Keeps each country's most frequent first and last names (Latin script for the countries whose
people write in en/fr/de/es/pt, Arabic script for Arabic-speaking ones). A name is marked A
(ambiguous) when it is also a common word: a stop word of one of the six languages, a word on the
hand lists below, or a word written in lower case in the corpora's even rows (twice; 50 times in a
corpus lower-cased as a whole). The odd rows stay unseen for the benchmark's false-positive count.
"""

import argparse
import csv
import importlib
import re
from collections import Counter
from pathlib import Path

from router.pii.lexicon import LEXICON_PATH, name_key
from router.pii.normalise import normalise

# Countries whose people write in en/fr/de/es/pt (and Arabic names in Latin letters), then Arabic-script ones.
LATIN_COUNTRIES = (  # noqa: SIM905 (a word list reads better as one string)
    "US GB IE CA AU NZ FR BE CH LU DE AT ES MX AR CO CL PE VE PT BR AO MZ MA DZ TN EG SA AE JO LB IN PK NG IT NL PL"
).split()
ARABIC_COUNTRIES = "SA EG AE MA DZ TN LY JO LB SY PS IQ KW QA BH OM YE SD".split()  # noqa: SIM905
LANGUAGES = ("en", "fr", "de", "es", "pt", "ar")
LOWERED_MIN_COUNT = 50
LATIN_NAME = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
ARABIC_NAME = re.compile(r"[\u0621-\u064A]{3,}")
# Common Arabic words that are also given names (adjectives and nouns a ticket may use).
ARABIC_COMMON = (  # noqa: SIM905
    "جميل سعيد كريم امين نور امل سلام فرح صالح حسن عادل وليد هدي مني رحمه ناجح سالم منير رائد فاضل حميد "
    "مجيد شريف لطيف نبيل كامل جديد عزيز غالي ثابت راشد مبارك بشري سعاده هيام ريم ضياء فداء وفاء صفاء نجاح "
    "ايمان رجاء سماح احسان عماد ماجد فهد اسد ليث نمر صقر بدر هلال قمر شمس نجم سهل وحيد فريد"
).split()
# Greetings, sign-offs and verbs open sentences capitalised, like names do ("Grant access", "Mark as done").
GREETINGS = (  # noqa: SIM905
    "grant mark bill sue pat chase rob drew frank june august april art bob hope faith joy rose summer dawn "
    "ray gene guy max page pierce price rich sky will may hello hi hey dear hallo servus moin liebe lieber "
    "geehrte geehrter bonjour bonsoir salut cher chère madame "
    "monsieur hola buenos buenas estimado estimada saludos olá ola bom boa caro cara prezado prezada obrigado "
    "thanks thank regards cheers merci danke gracias obrigada cordialement atenciosamente "
    # days and months, which sign-offs and dates put where a name could stand
    "monday tuesday wednesday thursday friday saturday sunday january february march june july september "
    "october november december lundi mardi mercredi jeudi vendredi samedi dimanche janvier mars avril mai juin "
    "juillet montag dienstag mittwoch donnerstag freitag samstag sonntag januar märz juni juli oktober dezember "
    "lunes martes miércoles jueves viernes sábado domingo enero marzo mayo junio julio agosto octubre "
    "segunda terça quarta quinta sexta sábado domingo janeiro março maio junho julho agosto outubro "
    # products and vendors that are also given or family names
    "dell hp lenovo cisco java jenkins jira zabbix citrix oracle sap teams outlook windows office excel adobe "
    "zoom slack apple linux ubuntu poly jabra logitech samsung asus acer azure google chrome firefox safari "
    "edge android kali sophos fortinet okta webex workday"
).split()


def ranked(names: dict, countries: list[str], max_rank: int) -> set[str]:
    """Names ranked within `max_rank` in at least one of `countries` (names-dataset ranks by alpha-2 code)."""
    return {
        name
        for name, info in names.items()
        if any(rank and rank <= max_rank for country, rank in (info.get("rank") or {}).items() if country in countries)
    }


def lower_case_words(corpus: Path, min_count: int) -> set[str]:
    """Words written in lower case at least `min_count` times in the corpus's even rows."""
    with corpus.open(encoding="utf-8") as handle:
        rows = [" ".join(map(str, row.values())) for index, row in enumerate(csv.DictReader(handle)) if index % 2 == 0]
    counts = Counter(word for row in rows for word in LATIN_NAME.findall(row) if word.islower())
    return {name_key(word) for word, count in counts.items() if count >= min_count}


def common_words(corpora: list[Path], lowered: list[Path]) -> set[str]:
    """Stop words of the six languages, the hand lists, and the corpora's lower-case words.

    In a corpus lower-cased as a whole (`lowered`), names are lower case too: a word counts as
    common there only when frequent.
    """
    words = {name_key(word) for word in ARABIC_COMMON + GREETINGS}
    for language in LANGUAGES:
        words |= {name_key(word) for word in importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS}
    for corpus in corpora:
        words |= lower_case_words(corpus, min_count=2)
    for corpus in lowered:
        words |= lower_case_words(corpus, min_count=LOWERED_MIN_COUNT)
    return words


def build(max_rank: int, corpora: list[Path], lowered: list[Path]) -> dict[str, set[str]]:
    """key -> kinds (F, L, A)."""
    from names_dataset import NameDataset  # build time only

    dataset = NameDataset()
    common = common_words(corpora, lowered)
    kinds: dict[str, set[str]] = {}
    for kind, names in (("F", dataset.first_names), ("L", dataset.last_names)):
        latin = {n for n in ranked(names, LATIN_COUNTRIES, max_rank) if LATIN_NAME.fullmatch(n) and len(n) > 1}
        arabic = {
            normalise(n).text
            for n in ranked(names, ARABIC_COUNTRIES, max_rank)
            if ARABIC_NAME.fullmatch(normalise(n).text)
        }
        for name in latin | arabic:
            kinds.setdefault(name_key(name), set()).add(kind)
    for key, found in kinds.items():
        if key in common:
            found.add("A")
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-rank", type=int, default=1500, help="keep names ranked this high in a country")
    parser.add_argument("--corpus", type=Path, nargs="*", default=[], help="CSVs of tickets: their lower-case words")
    parser.add_argument("--lowered-corpus", type=Path, nargs="*", default=[], help="CSVs lower-cased as a whole")
    parser.add_argument("--out", type=Path, default=LEXICON_PATH)
    args = parser.parse_args()
    kinds = build(args.max_rank, args.corpus, args.lowered_corpus)
    lines = [f"{key}\t{''.join(sorted(found))}" for key, found in sorted(kinds.items())]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(lines)} names")


if __name__ == "__main__":
    main()
