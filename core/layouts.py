"""How a ticket's text is built from a file's columns (`data.layouts`): training and batch scoring alike."""

import pandas as pd

TEXT_SEPARATOR = "\n\n"


def join_text(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The columns' values, stripped, joined with a blank line (missing values count as empty)."""
    parts = [frame[column].fillna("").astype(str).str.strip() for column in columns]
    text = parts[0]
    for part in parts[1:]:
        text = (text + TEXT_SEPARATOR + part).str.strip()
    return text
