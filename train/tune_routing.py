"""Choose the agent's routing thresholds on the validation split and write them to params.yaml.

Both MLflow champions score the split once; every setting of the `router.sweep` grid is then
replayed through router.policy (the agent's own rules). Prints the trade-off (share of tickets sent
to the transformer vs macro-F1) and keeps, among the settings at least as good as the better single
model that send at most `max_transformer_share_en` of English tickets to the transformer, the
cheapest one within a bootstrap standard error of the most accurate.

    python -m train.tune_routing            # writes router.{min_confidence,min_margin,max_words,ensemble_weight}
    python -m train.tune_routing --dry-run  # prints only
"""

import argparse
import itertools
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from router.language import LanguageDetector
from router.policy import RoutingConfig, TicketFacts, choose_route
from train.data import LABEL, TEXT
from train.evaluate import proba_macro_f1
from train.params import PARAMS_ENV, PROJECT_ROOT, load_params
from train.prepare import load_splits
from train.tracking import configure_mlflow

TUNED_KEYS = ("min_confidence", "min_margin", "max_words", "ensemble_weight")


@dataclass(frozen=True)
class ScoredSplit:
    """A split scored once by both models: true labels, routing facts, probabilities (columns: labels)."""

    y_true: np.ndarray
    facts: list[TicketFacts]
    proba: dict[str, np.ndarray]
    labels: list[str]


REPORT_PATH = Path("metrics/routing.json")


def load_champions(params: dict) -> dict[str, Any]:
    """texts -> DataFrame of class probabilities, for the TF-IDF and transformer MLflow champions."""
    import mlflow.pyfunc
    import mlflow.sklearn

    registry = params["registry"]
    alias = registry["champion_alias"]
    tfidf = mlflow.sklearn.load_model(f"models:/{registry['tfidf_model']}@{alias}")
    transformer = mlflow.pyfunc.load_model(f"models:/{registry['transformer_model']}@{alias}")

    def score_tfidf(texts: list[str]) -> pd.DataFrame:
        proba = tfidf.predict_proba(pd.DataFrame({TEXT: texts}))
        return pd.DataFrame(proba, columns=[str(name) for name in tfidf.classes_])

    def score_transformer(texts: list[str]) -> pd.DataFrame:
        return transformer.predict(pd.DataFrame({TEXT: texts}))

    return {"tfidf": score_tfidf, "transformer": score_transformer}


def aligned(frames: dict[str, pd.DataFrame]) -> tuple[list[str], dict[str, np.ndarray]]:
    """Both probability tables on the union of their labels (a label one model lacks gets 0)."""
    labels = sorted(set().union(*(frame.columns for frame in frames.values())))
    return labels, {name: frame.reindex(columns=labels, fill_value=0.0).to_numpy() for name, frame in frames.items()}


def transformer_mask(
    facts: list[TicketFacts], tfidf: np.ndarray, labels: list[str], config: RoutingConfig
) -> np.ndarray:
    """Which tickets the agent's own rules (router.policy) send to the transformer."""
    return np.array(
        [
            choose_route(fact, dict(zip(labels, row, strict=True)), config).to_transformer
            for fact, row in zip(facts, tfidf, strict=True)
        ]
    )


def routed_proba(mask: np.ndarray, proba: dict[str, np.ndarray], weight: float) -> np.ndarray:
    """The agent's final probabilities: TF-IDF's, or the weighted mix where the ticket went to the transformer.

    router.policy.combine row by row, vectorised: both tables are already on one label set (aligned)
    and each row sums to 1, so its renormalisation is a no-op here.
    """
    mixed = weight * proba["transformer"] + (1 - weight) * proba["tfidf"]
    return np.where(mask[:, None], mixed, proba["tfidf"])


def bootstrap_standard_error(y_true: np.ndarray, final: np.ndarray, labels: list[str], rounds: int, seed: int) -> float:
    """Standard error of macro-F1 over `rounds` resamples of the tickets: how much of a gap is noise."""
    random = np.random.default_rng(seed)
    resamples = random.integers(0, len(y_true), (rounds, len(y_true)))
    scores = [proba_macro_f1(y_true[idx], final[idx], labels) for idx in resamples]
    return float(np.std(scores))


def sweep(split: ScoredSplit, base: RoutingConfig, grid: dict) -> pd.DataFrame:
    """One row per grid setting: macro-F1, share of all / English tickets sent to the transformer."""
    y_true, facts, proba, labels = split.y_true, split.facts, split.proba, split.labels
    english = np.array([fact.language == "en" for fact in facts])
    rows = []
    for confidence, margin, words in itertools.product(grid["min_confidence"], grid["min_margin"], grid["max_words"]):
        config = replace(base, min_confidence=confidence, min_margin=margin, max_words=words)
        mask = transformer_mask(facts, proba["tfidf"], labels, config)
        for weight in grid["ensemble_weight"]:
            final = routed_proba(mask, proba, weight)
            rows.append(
                {
                    "min_confidence": confidence,
                    "min_margin": margin,
                    "max_words": words,
                    "ensemble_weight": weight,
                    "macro_f1": proba_macro_f1(y_true, final, labels),
                    "share_all": float(mask.mean()),
                    "share_en": float(mask[english].mean()) if english.any() else 0.0,
                }
            )
    return pd.DataFrame(rows)


def pick(table: pd.DataFrame, target_f1: float, max_share_en: float, tolerance: float = 0.0) -> tuple[pd.Series, str]:
    """Among settings that reach `target_f1` within the share, the cheapest whose macro-F1 is within
    `tolerance` of the best (the one-standard-error rule: a smaller gap is noise, not worth the
    transformer's cost); relax the share if none reach the target.
    """
    ordered = table.sort_values(["macro_f1", "share_en"], ascending=[False, True])
    reaches = ordered[ordered["macro_f1"] >= target_f1 - 1e-9]
    within = reaches[reaches["share_en"] <= max_share_en]
    if not within.empty:
        near_best = within[within["macro_f1"] >= within["macro_f1"].iloc[0] - tolerance - 1e-9]
        cheapest = near_best.sort_values(["share_en", "macro_f1"], ascending=[True, False]).iloc[0]
        return cheapest, f"meets both targets; the cheapest within {tolerance:.4f} macro-F1 of the best"
    if not reaches.empty:
        cheapest = reaches.sort_values(["share_en", "macro_f1"], ascending=[True, False]).iloc[0]
        return cheapest, f"no setting reaches the better model within {max_share_en:.0%} of English tickets"
    capped = ordered[ordered["share_en"] <= max_share_en]
    chosen = capped.iloc[0] if not capped.empty else ordered.iloc[0]
    return chosen, "no setting reaches the better single model; kept the most accurate within the share"


def pareto(table: pd.DataFrame) -> pd.DataFrame:
    """Settings no other setting beats on both share (lower) and macro-F1 (higher): the trade-off curve."""
    ordered = table.sort_values(["share_all", "macro_f1"], ascending=[True, False])
    front = ordered[ordered["macro_f1"] > ordered["macro_f1"].cummax().shift(fill_value=-1.0)]
    return front


def write_router_values(path: Path, values: dict[str, Any]) -> None:
    """Rewrite only `  key: value` lines inside the `router:` block; comments and the rest stay byte-identical."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^router:\n(?:(?:[ #].*)?\n)*", text, flags=re.MULTILINE)
    if block is None:
        raise SystemExit(f"{path}: no top-level `router:` section to write the thresholds into")
    section = block.group(0)
    for key, value in values.items():
        pattern = rf"^(  {key}: )[^#\n]*?(\s*(?:#.*)?)$"
        section, count = re.subn(
            pattern, lambda match, v=value: f"{match.group(1)}{v}{match.group(2)}", section, flags=re.MULTILINE
        )
        if count != 1:
            raise SystemExit(f"{path}: expected one `router.{key}` line, found {count}")
    path.write_text(text[: block.start()] + section + text[block.end() :], encoding="utf-8")


def score_split(frame: pd.DataFrame, params: dict) -> ScoredSplit:
    """Both models' probabilities and the routing facts (detected language, length) of a split."""
    texts = frame[TEXT].astype(str).tolist()
    scorers = load_champions(params)
    labels, proba = aligned({name: score(texts) for name, score in scorers.items()})
    detector = LanguageDetector(params["router"]["language"])
    facts = [TicketFacts.of(text, detector.detect(text)) for text in texts]
    return ScoredSplit(frame[LABEL].astype(str).to_numpy(), facts, proba, labels)


def best_setting_standard_error(
    table: pd.DataFrame, split: ScoredSplit, base: RoutingConfig, grid: dict, seed: int
) -> float:
    """Bootstrap standard error of the most accurate setting's macro-F1 (0 when `bootstrap_rounds` is 0)."""
    if not grid["bootstrap_rounds"]:
        return 0.0
    best = table.sort_values("macro_f1", ascending=False).iloc[0]
    thresholds = {key: best[key].item() for key in ("min_confidence", "min_margin", "max_words")}
    mask = transformer_mask(split.facts, split.proba["tfidf"], split.labels, replace(base, **thresholds))
    final = routed_proba(mask, split.proba, best["ensemble_weight"])
    return bootstrap_standard_error(split.y_true, final, split.labels, grid["bootstrap_rounds"], seed)


def tune(frame: pd.DataFrame, params: dict) -> dict[str, Any]:
    """Sweep, print the trade-off, return the chosen setting and the baselines."""
    router = params["router"]
    grid = router["sweep"]
    split = score_split(frame, params)
    singles = {name: proba_macro_f1(split.y_true, matrix, split.labels) for name, matrix in split.proba.items()}
    base = RoutingConfig.from_params(router)
    table = sweep(split, base, grid)
    tolerance = best_setting_standard_error(table, split, base, grid, params["split"]["seed"])
    chosen, note = pick(table, max(singles.values()), grid["max_transformer_share_en"], tolerance)
    pd.set_option("display.width", 160)
    print(
        f"tune_routing: {len(frame)} validation tickets; TF-IDF alone {singles['tfidf']:.4f}, "
        f"transformer alone {singles['transformer']:.4f} macro-F1"
    )
    print("trade-off (Pareto front: share sent to the transformer vs macro-F1):")
    print(pareto(table).to_string(index=False, float_format=lambda value: f"{value:.3f}"))
    print(f"chosen ({note}):\n{chosen.to_string(float_format=lambda value: f'{value:.4f}')}")
    return {
        "rows": len(frame),
        "tfidf_macro_f1": singles["tfidf"],
        "transformer_macro_f1": singles["transformer"],
        "agent_macro_f1": float(chosen["macro_f1"]),
        "share_to_transformer": float(chosen["share_all"]),
        "share_en_to_transformer": float(chosen["share_en"]),
        "note": note,
        "tolerance": tolerance,
        "chosen": {key: chosen[key].item() for key in TUNED_KEYS},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="val", choices=("val", "test"), help="split to tune on (default: val)")
    parser.add_argument("--max-samples", type=int, help="tune on a seeded random sample of the split (quick runs)")
    parser.add_argument("--dry-run", action="store_true", help="print the sweep, do not write params.yaml")
    args = parser.parse_args()
    params = load_params()
    configure_mlflow(params["tracking"])
    frame = load_splits()[args.split]
    if args.max_samples:
        frame = frame.sample(n=min(args.max_samples, len(frame)), random_state=params["split"]["seed"])
    report = tune(frame, params)
    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text(json.dumps(report, indent=2) + "\n")
    if not args.dry_run:
        chosen = {key: int(v) if key == "max_words" else round(float(v), 4) for key, v in report["chosen"].items()}
        write_router_values(Path(os.environ.get(PARAMS_ENV) or PROJECT_ROOT / "params.yaml"), chosen)
        print(f"tune_routing: wrote router {chosen} to params.yaml")


if __name__ == "__main__":
    main()
