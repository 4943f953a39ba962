"""`python -m train.priority`: the DVC stage `train_priority`."""

from train.priority.stage import main

main()
