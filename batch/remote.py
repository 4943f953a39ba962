"""Score tickets through a running agent (`--url`) with BentoML's client: `/classify_batch`, requests in flight.

The raw text goes to the agent, which scrubs it itself: use a URL you would send the tickets to anyway.
"""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import bentoml
import pandas as pd
from bentoml.exceptions import BentoMLException

from batch.local import split_valid
from batch.output import error_row, output_row
from batch.source import ID, ROW, TEXT


class HttpScorer:
    """`/classify_batch` of the agent at `url`, `serving.max_batch_texts` texts per request."""

    def __init__(self, url: str, params: dict[str, Any]) -> None:
        self.url = url.rstrip("/")
        self.max_chars = params["serving"]["max_text_chars"]
        self.per_request = params["serving"]["max_batch_texts"]
        self.concurrency = params["batch"]["http_concurrency"]
        timeout = params["batch"]["http_timeout_s"]
        self.client = bentoml.SyncHTTPClient(self.url, timeout=timeout, server_ready_timeout=timeout)

    def fingerprint(self) -> dict[str, Any]:
        """The server decides the output: it is named by its URL."""
        return {"scorer": "http", "url": self.url}

    def ask(self, frame: pd.DataFrame) -> tuple[list[dict], list[dict]]:
        """One request; a refused or failed request makes its rows errors with the server's reason."""
        try:
            answers = self.client.classify_batch(texts=frame[TEXT].tolist())
        except BentoMLException as error:
            reason = f"the agent at {self.url} refused the request: {str(error).splitlines()[0][:300]}"
            return [], [error_row(row, ticket_id, reason) for row, ticket_id in zip(frame[ROW], frame[ID], strict=True)]
        rows = [
            output_row(row, ticket_id, answer)
            for row, ticket_id, answer in zip(frame[ROW], frame[ID], answers, strict=True)
        ]
        return rows, []

    def score(self, chunk: pd.DataFrame) -> tuple[list[dict], list[dict]]:
        """Output rows and error rows for a chunk of (row, id, text), requests sent in parallel."""
        valid, errors = split_valid(chunk, self.max_chars)
        requests = [valid.iloc[start : start + self.per_request] for start in range(0, len(valid), self.per_request)]
        rows: list[dict] = []
        with ThreadPoolExecutor(self.concurrency) as pool:
            for answered, failed in pool.map(self.ask, requests):
                rows += answered
                errors += failed
        return rows, errors

    def close(self) -> None:
        self.client.close()
