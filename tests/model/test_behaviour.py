"""Behaviour of the trained TF-IDF champion (Made With ML style): invariance and direction, not scores.

On the starter data's champion, as `dvc repro` trains it. The agent scrubs names into `<PERSON>`
before any model sees a ticket, so a name, another name and the placeholder must all lead to the
same team; and naming the problem must pull the answer towards the team that owns it.
"""

import bentoml
import pytest

from models.tfidf import TfidfPredictor

pytestmark = pytest.mark.slow

TICKETS = {
    "My laptop screen started flickering and the docking station no longer charges it.": "Hardware",
    "I am locked out of my account after too many password attempts.": "Access",
    "My payslip shows the wrong number of overtime hours this month.": "HR Support",
    "My mailbox is full and I cannot send any emails.": "Storage",
    "Please approve the purchase order for two new monitors for the analysts.": "Purchase",
}
INTRODUCTIONS = ("Hi, this is {}. {}", "{1} Thanks, {0}")
NAMES = ("John Smith", "Marie Dubois", "Ahmed Al-Sayed", "<PERSON>")


@pytest.fixture(scope="module")
def champion(tfidf_pipeline: dict) -> TfidfPredictor:
    return TfidfPredictor(bentoml.models.get(tfidf_pipeline["bento_tag"]).path_of("mlflow_model"))


def category(model: TfidfPredictor, text: str) -> str:
    return model.labels[int(model.predict_proba([text])[0].argmax())]


@pytest.mark.parametrize("ticket", list(TICKETS), ids=list(TICKETS.values()))
def test_the_name_of_the_person_does_not_change_the_category(champion: TfidfPredictor, ticket: str) -> None:
    for introduction in INTRODUCTIONS:
        answers = {name: category(champion, introduction.format(name, ticket)) for name in NAMES}
        assert len(set(answers.values())) == 1, answers


@pytest.mark.parametrize(("ticket", "team"), list(TICKETS.items()), ids=list(TICKETS.values()))
def test_a_clear_ticket_goes_to_the_team_that_owns_its_problem(
    champion: TfidfPredictor, ticket: str, team: str
) -> None:
    assert category(champion, ticket) == team


def test_naming_the_problem_moves_probability_towards_its_team(champion: TfidfPredictor) -> None:
    vague = "Hi, I need some help with something today."
    hardware = champion.labels.index("Hardware")
    before = champion.predict_proba([vague])[0][hardware]
    after = champion.predict_proba([f"{vague} My laptop screen is cracked."])[0][hardware]
    assert after > before + 0.2


def test_one_pass_answers_the_same_probabilities_and_counts_only_known_word_terms(champion: TfidfPredictor) -> None:
    texts = [*TICKETS, "zzqx vlorp grubnax", "laptop laptop laptop"]
    proba, known_terms = champion.predict_with_known_terms(texts)
    assert proba == pytest.approx(champion.predict_proba(texts))
    assert known_terms.tolist() == champion.known_terms(texts).tolist()  # the word block, whatever blocks follow
    assert known_terms[-2] == 0 and known_terms[-1] == 1 and min(known_terms[: len(TICKETS)]) >= 3
