"""PII recall of the agent's scrubbing (language detection + presidio) on planted PII in EN/FR/AR tickets.

    python -m bench.pii_bench

A case counts as found when its value is gone from the scrubbed text and a placeholder of its own
type was counted. The labelled set is devkit/pii_cases.py, with its harder phrasings.
"""

import time
from collections import defaultdict

from core.params import load_params
from devkit.pii_cases import is_scrubbed, pii_cases
from router.pipeline import TicketPipeline


def main() -> None:
    started = time.perf_counter()
    pipeline = TicketPipeline(load_params())
    print(f"engine build: {time.perf_counter() - started:.1f} s")
    found: dict[tuple[str, str], list[bool]] = defaultdict(list)
    misses, seconds = [], []
    for case in pii_cases(hard=True):
        started = time.perf_counter()
        ticket = pipeline.prepare(case.text)
        seconds.append(time.perf_counter() - started)
        ok = is_scrubbed(case, ticket.text, ticket.pii)
        found[(case.entity_type, case.language)].append(ok)
        if not ok:
            misses.append(f"  {case.language} {case.entity_type}: {case.text!r} -> {ticket.text!r}")
    languages = ("en", "fr", "ar")
    print(f"{'entity type':<22}" + "".join(f"{lang:>10}" for lang in languages) + f"{'all':>10}")
    for entity_type in sorted({key[0] for key in found}):
        cells = [found.get((entity_type, lang), []) for lang in languages]
        row = "".join(f"{sum(c)}/{len(c):>2}".rjust(10) for c in cells)
        everything = [ok for cell in cells for ok in cell]
        print(f"{entity_type:<22}{row}{sum(everything) / len(everything):>10.0%}")
    total = [ok for cell in found.values() for ok in cell]
    seconds.sort()
    print(
        f"overall recall {sum(total)}/{len(total)} = {sum(total) / len(total):.1%}; "
        f"detect+scrub p50 {1000 * seconds[len(seconds) // 2]:.1f} ms, max {1000 * seconds[-1]:.1f} ms"
    )
    if misses:
        print("missed:\n" + "\n".join(misses))


if __name__ == "__main__":
    main()
