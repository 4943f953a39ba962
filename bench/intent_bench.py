"""The chat's intent accuracy on its held-out split (`python -m bench.intent_bench`).

Trains and decides exactly as the `train_intents` stage and the chat do (params `intents:`, and
`desk.chat.min_intent_confidence`: under it the chat says it did not understand), then prints the accuracy on
all held-out messages, per language, on the in-scope intents alone, the out-of-scope recall
(`other` messages the chat answers with "I did not understand"), and every miss.
"""

import time

from core.params import load_params
from models.intents import OUT_OF_SCOPE
from train.intents import fit_intents


def main() -> None:
    all_params = load_params()
    params, min_confidence = all_params["intents"], all_params["desk"]["chat"]["min_intent_confidence"]
    started = time.perf_counter()
    run = fit_intents(params, min_confidence)
    seconds = time.perf_counter() - started
    test = run.test
    in_scope = test[test["intent"] != OUT_OF_SCOPE]
    out_of_scope = test[test["intent"] == OUT_OF_SCOPE]
    print(f"dataset {params['data']}: {len(test)} held-out messages, fit {seconds:.1f} s")
    print(f"the chat's decision: the best intent, or '{OUT_OF_SCOPE}' under a probability of {min_confidence}")
    print(f"accuracy, all held-out messages: {run.accuracy:.3f} (target >= 0.95)")
    for language, accuracy in run.accuracy_by_language().items():
        print(f"  {language}: {accuracy:.3f}")
    print(f"accuracy, in-scope intents only: {(in_scope['intent'] == in_scope['predicted']).mean():.3f}")
    print(f"out-of-scope recall ('{OUT_OF_SCOPE}'): {(out_of_scope['predicted'] == OUT_OF_SCOPE).mean():.3f}")
    print("misses (message | true | predicted):")
    for text, truth, predicted in run.mistakes():
        print(f"  {text} | {truth} | {predicted}")


if __name__ == "__main__":
    main()
