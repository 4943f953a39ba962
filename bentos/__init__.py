"""BentoML services: thin classes over the model runtimes (models/) and the agent's logic (router/)."""
