"""The DVC stages: prepare, TF-IDF and transformer training, the champion gate, import into BentoML, routing tuning."""
