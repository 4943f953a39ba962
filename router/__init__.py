"""The agent's brain as plain Python: PII scrubbing, language detection, routing policy, explanation."""
