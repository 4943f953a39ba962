"""DVC stage export_feedback: the desk's reviews -> `feedback.corrections_path`, the rows `prepare` merges.

Every review of a live ticket, in the order it happened: corrections (the reviewer's category
differs from the model's) and confirmations (the same), each with the scrubbed text the store
holds, the reviewed category as the label, the model version that predicted and the time. A
deleted ticket's reviews are left out. The store is found as the desk finds it
($CALLCENTER_DATABASE_URL, else `store.url`, else the SQLite file `store.sqlite_path`); without a
database the file is written empty, so `prepare` trains on the base data alone.
"""

from pathlib import Path

import pandas as pd
from sqlalchemy.engine import make_url
from tqdm.auto import tqdm

from core.columns import LABEL, TEXT
from core.errors import DatasetError, one_line_errors
from core.params import load_params, resolve_path
from store.database import Database, database_url, redacted
from store.errors import StoreUnavailable
from store.tickets import reviews_for_training

SOURCE, KIND, PREDICTED, MODEL_VERSION, REVIEWED_AT = "source", "kind", "predicted", "model_version", "reviewed_at"
CORRECTION, CONFIRMATION = "correction", "confirmation"
COLUMNS = {
    TEXT: "string",
    LABEL: "string",
    SOURCE: "string",
    KIND: "string",
    PREDICTED: "string",
    MODEL_VERSION: "string",
    REVIEWED_AT: "datetime64[ns, UTC]",
}
FEEDBACK_SOURCE = "corrections"  # load_feedback's name for the rows of feedback.corrections_path


def missing_sqlite_file(url: str) -> Path | None:
    """The SQLite file `url` names when it does not exist (connecting would create an empty one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return None if path.is_file() else path


def reviews_frame(rows: list[tuple]) -> pd.DataFrame:
    """Review rows as the exported table: one builder, so an empty export is the same file however it came."""
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(COLUMNS)


def read_reviews(database: Database) -> pd.DataFrame:
    """One row per review of a live ticket, oldest first (the latest word on a text is the last row)."""
    rows = []
    with database.transaction() as session:
        for text, event in tqdm(reviews_for_training(session), desc="export feedback", unit=" reviews"):
            kind = CONFIRMATION if event.corrected == event.predicted else CORRECTION
            rows.append((text, event.corrected, FEEDBACK_SOURCE, kind, event.predicted, event.model_version,
                         event.created_at))  # fmt: skip
    return reviews_frame(rows)


def export(store_params: dict) -> tuple[pd.DataFrame, str]:
    """The reviews in the desk's store, and where they came from (an empty table when there is no database)."""
    url = database_url(store_params)
    if (absent := missing_sqlite_file(url)) is not None:
        return reviews_frame([]), f"no desk database at {absent}"
    database = Database(url, store_params)
    try:
        return read_reviews(database), redacted(url)
    except StoreUnavailable as error:
        raise DatasetError(f"{error}; start the database or set $CALLCENTER_DATABASE_URL") from None
    finally:
        database.dispose()


@one_line_errors
def main() -> None:
    params = load_params()
    reviews, origin = export(params["store"])
    target = resolve_path(params["feedback"]["corrections_path"])
    target.parent.mkdir(parents=True, exist_ok=True)
    reviews.to_parquet(target, index=False)
    if reviews.empty:
        print(f"export_feedback: {origin}: no reviews; wrote an empty {target} (prepare uses the base data alone)")
        return
    counts = reviews[KIND].value_counts()
    print(
        f"export_feedback: {counts.get(CORRECTION, 0)} corrections and {counts.get(CONFIRMATION, 0)} confirmations "
        f"of {reviews[TEXT].nunique()} texts from {origin} -> {target}"
    )


if __name__ == "__main__":
    main()
