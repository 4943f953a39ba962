"""Lingua's accuracy, speed and memory on the agent's languages, per detector mode, each in a fresh process.

    python -m bench.language_bench --per-language 300

Tickets: the multilingual file (subject + body; en, de, es, fr, pt), the IT file (en) and the Arabic
sentences of devkit.pii_cases. Modes: high accuracy preloaded (the old default), high accuracy
loaded on first use, low accuracy (trigram models only). Memory is the process's RSS growth from
building the detector to the end of the run.
"""

import argparse
import json
import subprocess
import sys
import time

import pandas as pd
import psutil

from core.params import load_params
from devkit.pii_cases import pii_cases
from devkit.project import REPO

DATA = REPO.parent / "shared" / "data"
MODES = {
    "high accuracy, preloaded": {"low_accuracy": False, "preload": True},
    "high accuracy, lazy": {"low_accuracy": False, "preload": False},
    "low accuracy": {"low_accuracy": True, "preload": False},
}


def labelled(per_language: int) -> list[tuple[str, str]]:
    """(text, language) pairs, `per_language` of each language the files hold."""
    multi = pd.read_csv(DATA / "multilingual_support_tickets.csv")
    multi["text"] = multi["subject"].fillna("") + "\n\n" + multi["body"].fillna("")
    pairs = []
    for language, group in multi.groupby("language"):
        sample = group.sample(min(per_language, len(group)), random_state=0)
        pairs += [(text, str(language)) for text in sample["text"]]
    it = pd.read_csv(DATA / "it_service_tickets.csv")["Document"].astype(str).sample(per_language, random_state=0)
    pairs += [(text, "en") for text in it]
    return pairs + [(case.text, "ar") for case in pii_cases(hard=True) if case.language == "ar"]


def measure(mode: str, per_language: int) -> dict:
    """Build the detector in `mode`, detect every ticket: accuracy per language, ms per ticket, RSS growth."""
    from router.language import LanguageDetector

    process = psutil.Process()
    before = process.memory_info().rss
    language_params = {**load_params()["router"]["language"], **MODES[mode]}
    detector = LanguageDetector(language_params)
    pairs = labelled(per_language)
    started = time.perf_counter()
    found = [(detector.detect(text), truth) for text, truth in pairs]
    seconds = time.perf_counter() - started
    accuracy = {
        language: sum(got == truth for got, truth in found if truth == language)
        / sum(truth == language for _, truth in found)
        for language in sorted({truth for _, truth in found})
    }
    return {
        "accuracy": accuracy,
        "overall": sum(got == truth for got, truth in found) / len(found),
        "ms_per_ticket": 1000 * seconds / len(found),
        "rss_growth_mb": (process.memory_info().rss - before) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-language", type=int, default=300)
    parser.add_argument("--mode", choices=list(MODES), help="measure one mode (the parent runs each in a child)")
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args.mode, args.per_language)))
        return
    for mode in MODES:
        command = [
            sys.executable,
            "-m",
            "bench.language_bench",
            "--mode",
            mode,
            "--per-language",
            str(args.per_language),
        ]
        result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
        per_language = ", ".join(f"{k} {v:.3f}" for k, v in result["accuracy"].items())
        print(
            f"{mode:<26} overall {result['overall']:.3f} ({per_language}); "
            f"{result['ms_per_ticket']:.2f} ms/ticket; RSS +{result['rss_growth_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
