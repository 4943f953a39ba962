"""Topic discovery on unlabelled tickets: NMF on TF-IDF, each topic held against the known categories.

A topic whose centroid sits far from every labelled category's centroid is a new kind of ticket
(`novelty` = 1 - its best cosine similarity to a category). Topics novel enough and nearest the
same category are proposed as one merge: a new kind of ticket often splits into a few templates.
A proposal is then expanded: a classifier that tells its tickets from the labelled categories
picks up the pool tickets NMF filed under a generic topic (greetings, signatures) although they
are of the new kind. NMF alone keeps one such topic pure but leaves much of the class elsewhere.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import vstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from core.columns import LABEL, TEXT
from core.errors import DatasetError


@dataclass(frozen=True)
class Topic:
    """One discovered topic: who is in it, what it talks about, and how far it is from what we know."""

    topic_id: int
    size: int
    top_terms: list[str]
    nearest_category: str
    similarity: float
    members: np.ndarray = field(repr=False)  # row positions in the pool

    @property
    def novelty(self) -> float:
        return 1.0 - self.similarity

    @property
    def suggested_name(self) -> str:
        """Two leading terms, a starting point for the person who names the category."""
        return " ".join(term.capitalize() for term in self.top_terms[:2])


@dataclass(frozen=True)
class Discovery:
    """Every topic of a pool (largest first), the merges proposed as new categories, and each ticket's topic
    (-1: in a topic too small to report); expansion files tickets under the lead topic of their proposal."""

    topics: list[Topic]
    merges: list[list[int]]
    assignment: np.ndarray = field(repr=False)

    def members(self, topic_ids: list[int]) -> np.ndarray:
        """Pool row positions of the given topics together."""
        return np.flatnonzero(np.isin(self.assignment, topic_ids))


def vectorizer(params: dict) -> TfidfVectorizer:
    tfidf = params["tfidf"]
    return TfidfVectorizer(
        min_df=tfidf["min_df"], max_df=tfidf["max_df"], sublinear_tf=True, stop_words=tfidf["stop_words"]
    )


def category_centroids(matrix, labels: pd.Series) -> tuple[list[str], np.ndarray]:
    """Unit-length mean TF-IDF vector of each labelled category."""
    categories = sorted(labels.astype(str).unique())
    rows = [np.asarray(matrix[(labels.astype(str) == name).to_numpy()].mean(axis=0)) for name in categories]
    return categories, normalize(np.vstack(rows))


def propose_merges(topics: list[Topic], novelty_threshold: float) -> list[list[int]]:
    """Novel topics grouped by their nearest category, most novel group first."""
    groups: dict[str, list[Topic]] = {}
    for topic in topics:
        if topic.novelty >= novelty_threshold:
            groups.setdefault(topic.nearest_category, []).append(topic)
    ranked = sorted(groups.values(), key=lambda group: max(topic.novelty for topic in group), reverse=True)
    return [sorted(topic.topic_id for topic in group) for group in ranked]


def expand(proposal: np.ndarray, pool_matrix, labelled_matrix, labels: pd.Series, params: dict) -> np.ndarray:
    """Pool positions a classifier (known categories vs the proposal's tickets) gives to the proposal."""
    new_class = "__proposal__"
    features = vstack([labelled_matrix, pool_matrix[proposal]])
    targets = np.concatenate([labels.astype(str).to_numpy(), np.full(len(proposal), new_class)])
    model = CalibratedClassifierCV(LinearSVC(class_weight="balanced"), cv=params["expansion_folds"])
    model.fit(features, targets)
    probability = model.predict_proba(pool_matrix)[:, list(model.classes_).index(new_class)]
    return np.union1d(proposal, np.flatnonzero(probability >= params["expansion_threshold"]))


def describe(topic_id: int, members: np.ndarray, pool_matrix, centroids, categories, terms) -> Topic:
    """A topic's summary: its size, top terms (given) and the nearest labelled category."""
    centroid = normalize(np.asarray(pool_matrix[members].mean(axis=0)))
    similarities = (centroids @ centroid.T).ravel()
    best = int(similarities.argmax())
    return Topic(topic_id, len(members), terms, categories[best], float(similarities[best]), members)


def discover(pool: pd.DataFrame, labelled: pd.DataFrame, params: dict) -> Discovery:
    """Topics of `pool[text]`, each with its nearest category among `labelled[label]`; proposals expanded."""
    if len(pool) < params["n_topics"] * params["min_topic_size"]:
        raise DatasetError(
            f"topics: {len(pool)} tickets are too few for {params['n_topics']} topics of at least "
            f"{params['min_topic_size']} (topics.n_topics, topics.min_topic_size)"
        )
    tfidf = vectorizer(params).fit(pd.concat([pool[TEXT], labelled[TEXT]]))
    nmf = NMF(n_components=params["n_topics"], init="nndsvda", max_iter=params["max_iter"], random_state=params["seed"])
    pool_matrix, labelled_matrix = tfidf.transform(pool[TEXT]), tfidf.transform(labelled[TEXT])
    assignment = nmf.fit_transform(pool_matrix).argmax(axis=1)
    categories, centroids = category_centroids(labelled_matrix, labelled[LABEL])
    vocabulary = np.asarray(tfidf.get_feature_names_out())
    top_terms = {
        i: vocabulary[c.argsort()[::-1][: params["top_terms"]]].tolist() for i, c in enumerate(nmf.components_)
    }
    sizes = np.bincount(assignment, minlength=params["n_topics"])
    assignment[np.isin(assignment, np.flatnonzero(sizes < params["min_topic_size"]))] = -1

    def topics() -> list[Topic]:
        ids = sorted(int(i) for i in set(assignment) - {-1})
        found = [
            describe(i, np.flatnonzero(assignment == i), pool_matrix, centroids, categories, top_terms[i]) for i in ids
        ]
        return sorted(found, key=lambda topic: topic.size, reverse=True)

    merges = propose_merges(topics(), params["novelty_threshold"])
    for group in merges:
        expanded = expand(
            np.flatnonzero(np.isin(assignment, group)), pool_matrix, labelled_matrix, labelled[LABEL], params
        )
        assignment[np.setdiff1d(expanded, np.flatnonzero(np.isin(assignment, group)))] = group[0]
    return Discovery(topics(), merges, assignment)
