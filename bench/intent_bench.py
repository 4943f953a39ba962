"""The chat's intent accuracy on its held-out split (`python -m bench.intent_bench`).

Trains exactly as the `train_intents` stage does (params `intents:`), then prints the accuracy on
all held-out messages, per language, on the in-scope intents alone, the out-of-scope recall
(`other` messages the chat answers with "I did not understand"), and every miss.
"""

import time

from core.params import load_params
from train.intents import fit_intents

OUT_OF_SCOPE = "other"


def main() -> None:
    params = load_params()["intents"]
    started = time.perf_counter()
    run = fit_intents(params)
    seconds = time.perf_counter() - started
    test = run.test
    in_scope = test[test["intent"] != OUT_OF_SCOPE]
    out_of_scope = test[test["intent"] == OUT_OF_SCOPE]
    print(f"dataset {params['data']}: {len(test)} held-out messages, fit {seconds:.1f} s")
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
