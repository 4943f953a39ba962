"""What tests and benchmarks share: throwaway project copies, a `bentoml serve` harness, PII cases."""
