"""`python -m train.transformer`: the DVC stage `train_transformer`."""

from train.transformer.stage import main

main()
