"""The `callcenter` command: one entry point that hands each subcommand to its own room."""
