"""Typed errors of the project, and the one place that turns them into a one-line exit."""

import functools
import sys
from collections.abc import Callable


class CallCenterError(Exception):
    """An expected failure with a message meant for the person who ran the command."""


class ConfigError(CallCenterError, ValueError):
    """params.yaml, a pipeline output or an environment setting that cannot be used as it is."""


class DatasetError(CallCenterError, ValueError):
    """A ticket file or split that cannot be used, with the file and column named."""


class IntegrityError(CallCenterError):
    """A model artifact that is not what the champion gate recorded (changed, missing, added or unsafe)."""


def one_line_errors(main: Callable[..., None]) -> Callable[..., None]:
    """Wrap a command's main() (or main(argv)): a CallCenterError becomes `command: message` on stderr and exit 1.

    Library code raises; only the commands people run decide that an error ends the process.
    """

    @functools.wraps(main)
    def wrapped(*args: object, **kwargs: object) -> None:
        try:
            main(*args, **kwargs)
        except CallCenterError as error:
            print(f"{command_name(main)}: {error}", file=sys.stderr)
            raise SystemExit(1) from None

    return wrapped


def command_name(main: Callable[..., None]) -> str:
    """`train.transformer` for `python -m train.transformer`, else the module that defines `main`."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return (spec.name if spec else main.__module__).removesuffix(".__main__")
