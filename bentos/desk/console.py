"""Talk to the desk's chat from a terminal: `callcenter chat` (or `python -m bentos.desk.console chat`).

Each line you type is one message to `POST /chat` of a served agent; the reply is printed.
The conversation's state lives in the desk's store under the session id (a fresh one by default).
"""

import argparse
import sys
import uuid
from typing import TextIO

import bentoml
import httpx

PROMPT = "you> "


def chat(url: str, session_id: str, lines: TextIO, out: TextIO) -> int:
    """Send every non-empty line as a message; 0 when the input ends, 1 when the desk refused."""
    with bentoml.SyncHTTPClient(url, timeout=60) as client:
        interactive = lines.isatty()
        while True:
            if interactive:
                out.write(PROMPT)
                out.flush()
            line = lines.readline()
            if not line:
                return 0
            if not line.strip():
                continue
            response = client.request("POST", "/chat", json={"session_id": session_id, "message": line.strip()})
            if response.status_code != 200:
                print(f"desk> ({response.status_code}) {response.json().get('error', response.text)}", file=out)
                return 1
            print(f"desk> {response.json()['reply']}", file=out)


def main(argv: list[str] | None = None) -> None:
    """`chat [--url URL] [--session ID]` (argv without the program name; sys.argv's by default)."""
    parser = argparse.ArgumentParser(prog="callcenter", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    talk = commands.add_parser("chat", help="chat with the ticket desk (one message per line)")
    talk.add_argument("--url", default="http://localhost:3000", help="the served agent (default: %(default)s)")
    talk.add_argument("--session", default=f"console-{uuid.uuid4().hex[:12]}", help="conversation id to continue")
    args = parser.parse_args(argv)
    try:
        raise SystemExit(chat(args.url, args.session, sys.stdin, sys.stdout))
    except (httpx.HTTPError, bentoml.exceptions.BentoMLException) as error:
        print(f"callcenter: cannot reach the desk at {args.url}: {error}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
