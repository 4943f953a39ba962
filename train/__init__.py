"""Training side of CallCenterAI: data, models, evaluation, MLflow registry, BentoML import."""
