"""Batch inference: files of tickets scored with the agent's own logic, in-process, over HTTP or on Spark."""
