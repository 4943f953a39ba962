"""The data's priority levels must be the helpdesk's (`priority.levels`): the desk filters by those only."""

import pandas as pd
import pytest

from core.columns import PRIORITY
from core.errors import ConfigError
from core.params import load_params
from train.priority.stage import missing_priority


def splits(*levels_per_split: list[str]) -> dict[str, pd.DataFrame]:
    names = ("train", "val", "test")
    return {name: pd.DataFrame({PRIORITY: levels}) for name, levels in zip(names, levels_per_split, strict=True)}


def test_data_with_the_params_levels_can_be_trained() -> None:
    assert missing_priority(splits(["low", "high"], ["medium"], [None, "high"]), load_params()["priority"]) == ""


def test_a_level_outside_priority_levels_in_any_split_is_refused_naming_it() -> None:
    data = splits(["low", "high"], ["medium"], ["critical"])
    with pytest.raises(ConfigError, match=r"priority.levels \['low', 'medium', 'high'\] lacks .* \['critical'\]"):
        missing_priority(data, load_params()["priority"])
