"""The PII probe: recall by (language, type) and false positives, through the agent's language detection.

    python -m bench.pii_bench [--it-data ../shared/data/it_service_tickets.csv] [--per-cell 10]

Planted values (devkit/pii_probe.py: Faker values and checksummed identifiers in templates the
unit tests never use) in en, fr, de, es, pt and ar tickets. A value leaks when any 4-character
piece of it survives the scrub. Clean tickets: a sample of the IT data (never copied: read by path)
and hand-written hard negatives (numbers, versions, products, dates); a clean ticket counts as
altered when the scrub changed anything. Timing is language detection + scrub, one ticket at a time
as the agent does it, and `scrub_batch` over the probe.
"""

import argparse
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

from core.params import load_params, resolve_path
from devkit.pii_cases import surviving_pieces
from devkit.pii_probe import ProbeCase, probe_cases
from devkit.pii_probe_texts import HARD_NEGATIVES
from router.language import LanguageDetector
from router.scrub import PiiScrubber

LANGUAGES = ("en", "fr", "de", "es", "pt", "ar")
DIGIT_HEAVY_CHARS = 20_000  # the stall: number runs as long as serving.max_text_chars allows


def prepare(detector: LanguageDetector, scrubber: PiiScrubber, text: str, seconds: list[float]) -> tuple[str, dict]:
    """What the agent does to one ticket: detect its language, then scrub; the time goes to `seconds`."""
    started = time.perf_counter()
    result = scrubber.scrub(text, detector.detect(text))
    seconds.append(time.perf_counter() - started)
    return result.text, result.entities


def recall_table(cases: list[ProbeCase], outcomes: list[tuple[str, dict]]) -> tuple[dict, list[str]]:
    """(language, type) -> [found?]; and one line per leak."""
    found: dict[tuple[str, str], list[bool]] = defaultdict(list)
    leaks = []
    for case, (scrubbed, _) in zip(cases, outcomes, strict=True):
        pieces = surviving_pieces(case.value, scrubbed, case.rest)
        found[(case.language, case.entity_type)].append(not pieces)
        if pieces:
            leaks.append(f"  {case.language} {case.entity_type}: {case.text!r}\n      -> {scrubbed!r}")
    return found, leaks


def share(values: list[bool]) -> float:
    return sum(values) / len(values)


def print_recall(found: dict[tuple[str, str], list[bool]]) -> None:
    """The (type x language) table, each language's and the overall recall, and the worst cell."""
    print(f"\n{'recall':<22}" + "".join(f"{language:>8}" for language in LANGUAGES) + f"{'all':>8}")
    for entity in sorted({entity for _, entity in found}):
        cells = [found.get((language, entity), []) for language in LANGUAGES]
        row = "".join(f"{sum(cell)}/{len(cell)}".rjust(8) for cell in cells)
        print(f"{entity:<22}{row}{share([ok for cell in cells for ok in cell]):>8.2f}")
    by_language = [[ok for (lang, _), oks in found.items() if lang == language for ok in oks] for language in LANGUAGES]
    everything = [ok for oks in found.values() for ok in oks]
    print(f"{'all types':<22}" + "".join(f"{share(oks):>8.3f}" for oks in by_language) + f"{share(everything):>8.3f}")
    worst = min(found, key=lambda cell: share(found[cell]))
    print(
        f"overall recall {sum(everything)}/{len(everything)} = {share(everything):.3f}; "
        f"worst cell {worst[0]} {worst[1]} {share(found[worst]):.2f}"
    )


def false_positives(name: str, texts: list[str], detector: LanguageDetector, scrubber: PiiScrubber) -> list[float]:
    """Share of clean tickets the scrub changed, with each change printed."""
    seconds: list[float] = []
    altered = []
    for text in texts:
        scrubbed, entities = prepare(detector, scrubber, text, seconds)
        if scrubbed != text:
            altered.append(f"  {entities} {text[:160]!r}\n      -> {scrubbed[:160]!r}")
    print(f"\n{name}: {len(altered)}/{len(texts)} altered = {len(altered) / len(texts):.1%}")
    print("\n".join(altered))
    return seconds


def clean_it_tickets(path: Path, count: int, seed: int) -> list[str]:
    """`count` IT tickets from the odd rows (the name lexicon's build read only even rows)."""
    tickets = pd.read_csv(path)["Document"].astype(str)
    return tickets.iloc[1::2].sample(count, random_state=seed).tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--it-data", type=Path, default=resolve_path("../shared/data/it_service_tickets.csv"))
    parser.add_argument("--clean", type=int, default=500, help="IT tickets checked for false positives")
    parser.add_argument("--per-cell", type=int, default=10, help="planted values per (language, type)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    params = load_params()
    started = time.perf_counter()
    detector = LanguageDetector(params["router"]["language"])
    scrubber = PiiScrubber(params["pii"], params["router"]["language"]["supported"])
    print(f"engine build: {time.perf_counter() - started:.1f} s")

    cases = probe_cases(args.per_cell, args.seed)
    seconds: list[float] = []
    outcomes = [prepare(detector, scrubber, case.text, seconds) for case in cases]
    detected = sum(detector.detect(case.text) == case.language for case in cases)
    print(
        f"probe: {len(cases)} tickets with one planted value each; language detected right: {detected / len(cases):.1%}"
    )
    found, leaks = recall_table(cases, outcomes)
    print_recall(found)
    typed = sum(case.entity_type in entities for case, (_, entities) in zip(cases, outcomes, strict=True))
    print(f"placeholder of the planted type present: {typed}/{len(cases)} = {typed / len(cases):.1%}")
    if leaks:
        print("leaks:\n" + "\n".join(leaks))

    clean_seconds = false_positives(
        "clean IT tickets", clean_it_tickets(args.it_data, args.clean, args.seed), detector, scrubber
    )
    starter = pd.read_csv(resolve_path("data/starter/tickets.csv"))["text"].tolist()
    false_positives("starter tickets (en/fr/ar, shipped)", starter, detector, scrubber)
    false_positives("hard negatives (hand-written)", HARD_NEGATIVES, detector, scrubber)

    timings = sorted(seconds + clean_seconds)
    print(
        f"\ndetect + scrub per ticket ({len(timings)} tickets): p50 {1000 * statistics.median(timings):.1f} ms, "
        f"p99 {1000 * timings[int(0.99 * len(timings))]:.1f} ms, max {1000 * timings[-1]:.1f} ms"
    )
    texts = [case.text for case in cases]
    languages = [detector.detect(text) for text in texts]
    started = time.perf_counter()
    scrubber.scrub_batch(texts, languages)
    batch = time.perf_counter() - started
    print(f"scrub_batch over the probe: {1000 * batch / len(texts):.1f} ms per ticket")
    digits = " ".join(str(random.Random(0).randrange(10**6)) for _ in range(3000))[:DIGIT_HEAVY_CHARS]
    started = time.perf_counter()
    scrubber.scrub(digits, "en")
    print(f"one digit-heavy text of {len(digits)} characters: scrub {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
