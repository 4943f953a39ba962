"""`python -m batch IN OUT`: batch.cli.main."""

from batch.cli import main

if __name__ == "__main__":  # spawned workers import this module again: they must not start a job
    main()
