"""The chat's sentence embedding (models/sentences.py): what it adds to the intent classifier's n-grams is
that messages meaning the same thing, in other words or the other language, land close together."""

import json
import os
import subprocess
import sys

import numpy as np

from models.sentences import SentenceEmbedding, load_sentence_model


def test_a_paraphrase_in_the_other_language_is_closer_than_an_unrelated_message() -> None:
    delete, supprime, weather = SentenceEmbedding().transform(
        ["please delete ticket 4", "supprime le ticket 4 s'il te plaît", "what is the weather in Paris"]
    )
    assert delete @ supprime > delete @ weather + 0.05


def test_rows_are_scaled_by_the_weight_and_no_text_gives_no_row() -> None:
    rows = SentenceEmbedding(weight=2.0).fit(["unused"]).transform(["show ticket 0", "ferme le ticket 0"])
    assert rows.shape == (2, load_sentence_model().dim)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 2.0, rtol=1e-3)
    assert SentenceEmbedding().transform([]).shape == (0, load_sentence_model().dim)


THREADS_AFTER_LOAD = """
import json, os
from models.sentences import embed, load_sentence_model
before = len(os.listdir("/proc/self/task"))
load_sentence_model(1)
embed(["show ticket 0"] * 8)
print(json.dumps([os.environ.get("OMP_NUM_THREADS"), len(os.listdir("/proc/self/task")) - before]))
"""


def test_one_thread_adds_no_thread_and_leaves_the_environment_as_it_was() -> None:
    """A serving worker caps the embedding at one thread; the programs it starts later keep every core."""
    environment = {name: value for name, value in os.environ.items() if name != "OMP_NUM_THREADS"}
    result = subprocess.run(
        [sys.executable, "-c", THREADS_AFTER_LOAD], capture_output=True, text=True, check=True, env=environment
    )
    assert json.loads(result.stdout.splitlines()[-1]) == [None, 0]
