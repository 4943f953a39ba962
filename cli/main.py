"""`callcenter COMMAND ...`: the project's terminal tools behind one installed command.

    callcenter chat [--url URL] [--session ID]     talk to the desk's chat (bentos.desk.console)
    callcenter batch IN OUT [options]               classify a file of tickets (batch.cli)

`callcenter COMMAND --help` shows each command's own options. The commands are imported only when
chosen: the chat client needs no models, and batch scoring no HTTP client.
"""

import argparse
import sys

COMMANDS = {
    "chat": "chat with the ticket desk of a served agent (one message per line)",
    "batch": "classify a CSV or Parquet file of tickets into a Parquet dataset",
}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(
        prog="callcenter", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=COMMANDS, help="; ".join(f"{k}: {v}" for k, v in COMMANDS.items()))
    parser.parse_args(args[:1])  # the command's own arguments are its parser's business
    if args[0] == "batch":
        from batch.cli import main as batch_main

        batch_main(args[1:])
    else:
        from bentos.desk.console import main as chat_main

        chat_main(args)


if __name__ == "__main__":
    main()
