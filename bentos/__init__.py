"""BentoML services: thin classes over train's inference helpers and router's agent logic."""
