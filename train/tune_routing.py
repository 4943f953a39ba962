"""DVC stage `tune_routing`: the cost/accuracy frontier of routing, and the point the budget buys.

Both served champions score the validation split once; every setting of the `router.sweep` grid is
then replayed with router.policy's vectorised rules (the agent's own, held equal to the per-ticket
form by a test). The frontier (the settings no other beats on both the share of tickets sent to the
transformer, the cost, and macro-F1) is printed as a table and logged to MLflow as a plot and CSV,
with both models alone for reference. Within `router.sweep.budget` (the largest share of tickets,
all or English only, the transformer may see) the stage keeps the cheapest setting within one
bootstrap standard error of the most accurate one. With a transformer as good as TF-IDF or better,
averaging stops helping and TF-IDF's value is cost: the budget says how much accuracy to buy.
The choice goes to `router.tuned_thresholds` (a DVC output the agent reads); params.yaml keeps the defaults.

    dvc repro tune_routing                       # or: python -m train.tune_routing
    python -m train.tune_routing --dry-run       # prints only
"""

import argparse
import itertools
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import mlflow
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from core.columns import LABEL, TEXT
from core.errors import one_line_errors
from core.names import ModelName
from core.params import load_params, resolve_path
from router.drift import Baseline, shares
from router.language import LanguageDetector
from router.policy import TUNED_KEYS, RoutingConfig, route_mask, routed_proba
from train.champions import aligned_proba, served_predictors
from train.evaluate import proba_macro_f1
from train.prepare import load_splits
from train.tracking import configure_mlflow

SHARE_COLUMNS = {"en": "share_en", "all": "share_all"}  # what `router.sweep.budget.tickets` counts
METRIC_KEYS = (
    "tfidf_macro_f1",
    "transformer_macro_f1",
    "agent_macro_f1",
    "share_to_transformer",
    "share_en_to_transformer",
    "tolerance",
)


@dataclass(frozen=True)
class ScoredSplit:
    """A split scored once by both models: true labels, routing facts, probabilities (columns: labels)."""

    y_true: np.ndarray
    languages: np.ndarray
    chars: np.ndarray
    words: np.ndarray
    proba: dict[ModelName, np.ndarray]
    labels: list[str]
    known_terms: np.ndarray | None = None  # TF-IDF vocabulary hits per ticket (for the drift baseline)

    def mask(self, config: RoutingConfig) -> np.ndarray:
        """Which tickets the agent's rules send to the transformer under `config`."""
        return route_mask(self.languages, self.chars, self.words, self.proba[ModelName.TFIDF], config)

    def final(self, config: RoutingConfig) -> np.ndarray:
        """The agent's final probabilities under `config`."""
        proba = self.proba
        return routed_proba(
            self.mask(config), proba[ModelName.TFIDF], proba[ModelName.TRANSFORMER], config.ensemble_weight
        )


def score_split(frame: pd.DataFrame, params: dict) -> ScoredSplit:
    """Both served models' probabilities and the routing facts (detected language, length) of a split."""
    texts = frame[TEXT].astype(str).tolist()
    predictors = served_predictors(params["registry"])
    labels, proba = aligned_proba(predictors, texts)
    detector = LanguageDetector(params["router"]["language"])
    return ScoredSplit(
        y_true=frame[LABEL].astype(str).to_numpy(),
        languages=np.array([detector.detect(text) for text in texts]),
        chars=np.array([len(text) for text in texts]),
        words=np.array([len(text.split()) for text in texts]),
        proba=proba,
        labels=labels,
        known_terms=predictors[ModelName.TFIDF].known_terms(texts),
    )


def bootstrap_standard_error(y_true: np.ndarray, final: np.ndarray, labels: list[str], rounds: int, seed: int) -> float:
    """Standard error of macro-F1 over `rounds` resamples of the tickets: how much of a gap is noise."""
    random = np.random.default_rng(seed)
    resamples = random.integers(0, len(y_true), (rounds, len(y_true)))
    scores = [proba_macro_f1(y_true[idx], final[idx], labels) for idx in resamples]
    return float(np.std(scores))


def sweep(split: ScoredSplit, base: RoutingConfig, grid: dict) -> pd.DataFrame:
    """One row per grid setting: macro-F1, share of all / English tickets sent to the transformer."""
    english = split.languages == "en"
    rows = []
    for values in itertools.product(*(grid[key] for key in TUNED_KEYS)):
        config = replace(base, **dict(zip(TUNED_KEYS, values, strict=True)))
        mask = split.mask(config)
        rows.append(
            {
                **dict(zip(TUNED_KEYS, values, strict=True)),
                "macro_f1": proba_macro_f1(split.y_true, split.final(config), split.labels),
                "share_all": float(mask.mean()),
                "share_en": float(mask[english].mean()) if english.any() else 0.0,
            }
        )
    return pd.DataFrame(rows)


def pick(table: pd.DataFrame, budget: dict[str, Any], tolerance: float = 0.0) -> tuple[pd.Series, str]:
    """Within the budget, the cheapest setting whose macro-F1 is within `tolerance` of the best there.

    The one-standard-error rule: a smaller gap is noise, not worth the transformer's cost. When no
    setting fits the budget, the cheapest setting of all, said so.
    """
    share = SHARE_COLUMNS[budget["tickets"]]
    within = table[table[share] <= budget["max_transformer_share"] + 1e-9]
    if within.empty:
        cheapest = table.sort_values([share, "macro_f1"], ascending=[True, False]).iloc[0]
        return (
            cheapest,
            f"no setting sends at most {budget['max_transformer_share']:.0%} of {budget['tickets']} tickets",
        )
    best = within["macro_f1"].max()
    near_best = within[within["macro_f1"] >= best - tolerance - 1e-9]
    chosen = near_best.sort_values([share, "macro_f1"], ascending=[True, False]).iloc[0]
    return chosen, f"within the budget; the cheapest within {tolerance:.4f} macro-F1 of its best ({best:.4f})"


def frontier(table: pd.DataFrame) -> pd.DataFrame:
    """Settings no other setting beats on both share (lower) and macro-F1 (higher): the trade-off curve."""
    ordered = table.sort_values(["share_all", "macro_f1"], ascending=[True, False])
    return ordered[ordered["macro_f1"] > ordered["macro_f1"].cummax().shift(fill_value=-1.0)]


def frontier_figure(
    table: pd.DataFrame, chosen: pd.Series, singles: dict[ModelName, float], budget: dict[str, Any]
) -> Figure:
    """Every setting, the frontier, both models alone, the budget and the chosen point."""
    share = SHARE_COLUMNS[budget["tickets"]]
    curve = frontier(table).sort_values(share)
    figure, axes = plt.subplots(figsize=(7, 5))
    axes.scatter(table[share], table["macro_f1"], s=8, color="lightgrey", label="every setting")
    axes.plot(curve[share], curve["macro_f1"], marker="o", label="frontier")
    axes.axhline(singles[ModelName.TFIDF], color="tab:orange", linestyle=":", label="TF-IDF alone")
    axes.axhline(singles[ModelName.TRANSFORMER], color="tab:green", linestyle=":", label="transformer alone")
    axes.axvline(budget["max_transformer_share"], color="tab:red", linestyle="--", label="budget")
    axes.scatter([chosen[share]], [chosen["macro_f1"]], s=120, marker="*", color="tab:red", zorder=3, label="chosen")
    axes.set(xlabel=f"share of {budget['tickets']} tickets sent to the transformer", ylabel="macro-F1")
    axes.set_title("Routing: cost vs accuracy (validation split)")
    axes.legend(loc="lower right")
    figure.tight_layout()
    return figure


def thresholds_of(row: pd.Series) -> dict[str, Any]:
    """A sweep row's routing thresholds as plain numbers (max_words an int)."""
    return {key: int(row[key]) if key == "max_words" else round(float(row[key]), 4) for key in TUNED_KEYS}


def best_setting_standard_error(
    table: pd.DataFrame, split: ScoredSplit, base: RoutingConfig, grid: dict, seed: int
) -> float:
    """Bootstrap standard error of the most accurate setting's macro-F1 (0 when `bootstrap_rounds` is 0)."""
    if not grid["bootstrap_rounds"]:
        return 0.0
    best = table.sort_values("macro_f1", ascending=False).iloc[0]
    final = split.final(replace(base, **thresholds_of(best)))
    return bootstrap_standard_error(split.y_true, final, split.labels, grid["bootstrap_rounds"], seed)


def drift_baseline(split: ScoredSplit, config: RoutingConfig, min_known_terms: int) -> dict[str, Any]:
    """What served tickets look like under `config` on this split: the reference the agent's drift gauges use."""
    final = split.final(config)
    confidence = final.max(axis=1)
    categories = np.asarray(split.labels)[final.argmax(axis=1)]
    return asdict(
        Baseline(
            languages=shares(split.languages.tolist()),
            categories=shares(categories.tolist()),
            mean_confidence=float(confidence.mean()),
            review_share=float((confidence < config.review_threshold).mean()),
            oov_share=float((split.known_terms < min_known_terms).mean()),
        )
    )


def tune(frame: pd.DataFrame, params: dict) -> dict[str, Any]:
    """Sweep, print the frontier, log it to MLflow, return the chosen thresholds and what they were chosen on."""
    router = params["router"]
    grid, budget = router["sweep"], router["sweep"]["budget"]
    split = score_split(frame, params)
    singles = {name: proba_macro_f1(split.y_true, matrix, split.labels) for name, matrix in split.proba.items()}
    base = RoutingConfig.from_params(router)
    table = sweep(split, base, grid)
    tolerance = best_setting_standard_error(table, split, base, grid, params["split"]["seed"])
    chosen, note = pick(table, budget, tolerance)
    print_frontier(table, chosen, singles, note, len(frame))
    chosen_config = replace(base, **thresholds_of(chosen))
    report = {
        "thresholds": thresholds_of(chosen),
        "baseline": drift_baseline(split, chosen_config, params["drift"]["min_known_terms"]),
        "rows": len(frame),
        "tfidf_macro_f1": singles[ModelName.TFIDF],
        "transformer_macro_f1": singles[ModelName.TRANSFORMER],
        "agent_macro_f1": float(chosen["macro_f1"]),
        "share_to_transformer": float(chosen["share_all"]),
        "share_en_to_transformer": float(chosen["share_en"]),
        "budget": budget,
        "note": note,
        "tolerance": tolerance,
    }
    return report | {"mlflow_run_id": log_tuning(table, chosen, singles, report)}


def print_frontier(table: pd.DataFrame, chosen: pd.Series, singles: dict, note: str, rows: int) -> None:
    """The frontier as a table, the chosen row marked, both models alone for reference."""
    pd.set_option("display.width", 160)
    print(
        f"tune_routing: {rows} validation tickets; TF-IDF alone {singles[ModelName.TFIDF]:.4f}, "
        f"transformer alone {singles[ModelName.TRANSFORMER]:.4f} macro-F1"
    )
    curve = frontier(table).assign(chosen=lambda rows: np.where(rows.index == chosen.name, "<-", ""))
    print("cost/accuracy frontier (share of tickets sent to the transformer vs macro-F1):")
    print(curve.to_string(index=False, float_format=lambda value: f"{value:.3f}"))
    print(f"chosen ({note}):\n{chosen.to_string(float_format=lambda value: f'{value:.4f}')}")


def log_tuning(table: pd.DataFrame, chosen: pd.Series, singles: dict, report: dict[str, Any]) -> str:
    """An MLflow run with the frontier plot, the frontier and the whole sweep as CSV, the choice as metrics."""
    with mlflow.start_run(run_name="tune_routing") as run:
        mlflow.log_params(
            {f"budget_{key}": value for key, value in report["budget"].items()} | {"rows": report["rows"]}
        )
        mlflow.log_params({f"chosen_{key}": value for key, value in report["thresholds"].items()})
        mlflow.log_metrics({key: report[key] for key in METRIC_KEYS} | {"settings": len(table)})
        figure = frontier_figure(table, chosen, singles, report["budget"])
        mlflow.log_figure(figure, "routing/frontier.png")
        plt.close(figure)
        mlflow.log_text(frontier(table).to_csv(index=False), "routing/frontier.csv")
        mlflow.log_text(table.to_csv(index=False), "routing/sweep.csv")
        mlflow.set_tag("note", report["note"])
    return run.info.run_id


@one_line_errors
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="val", choices=("val", "test"), help="split to tune on (default: val)")
    parser.add_argument("--max-samples", type=int, help="tune on a seeded random sample of the split (quick runs)")
    parser.add_argument("--dry-run", action="store_true", help="print the sweep, write nothing")
    args = parser.parse_args()
    params = load_params()
    frame = load_splits()[args.split]
    configure_mlflow(params["tracking"])
    if args.max_samples:
        frame = frame.sample(n=min(args.max_samples, len(frame)), random_state=params["split"]["seed"])
    report = tune(frame, params)
    if not args.dry_run:
        out = resolve_path(params["router"]["tuned_thresholds"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"tune_routing: wrote {report['thresholds']} to {Path(out).name} (the agent routes with them)")


if __name__ == "__main__":
    main()
