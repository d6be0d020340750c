"""`ifgen`: the command line. Parses commands, loads config, hands stages to the runner.

Nothing imports this module. The stage subcommands and `ifgen run` come from the pipeline declaration
(`pipeline.stages.PIPELINE`). Exit codes: 0 ok; 1 some items failed (the last line names their most common
cause) or the run folder could not be written (disk full, read-only: the line names the path) - rerun to
resume; 2 bad input or configuration, a stage whose inputs are not ready (one line on stderr naming the key,
file, line or the stage to run), or a run another process is writing (naming its pid); 130 interrupted
(SIGINT), 143 stopped by SIGTERM - rerun to resume. Commands that write a run hold its lock for their whole
length; `status` and `config show` only read.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from .commands import HANDLERS, cmd_stage  # noqa: E402
from .parser import UsageError, build_parser  # noqa: E402
from .process import log_to_stderr, redacted_excepthook, signals, sigterm_as_interrupt  # noqa: E402
from .process import say as _say  # noqa: E402

__all__ = ["main", "build_parser"]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = HANDLERS.get(args.cmd, cmd_stage)
    log_to_stderr()
    sys.excepthook = redacted_excepthook  # a crash's traceback is printed with secrets scrubbed too
    from ..config import ConfigError
    from ..jsonl import StorageError
    from ..runner.lock import RunInUse
    from ..runner.run import InputsNotReady
    from ..stages.base import StageError

    try:
        with sigterm_as_interrupt():
            return handler(args)
    except ConfigError as e:
        _say(f"ifgen: config error: {e}")
        return 2
    except (InputsNotReady, StageError, RunInUse) as e:
        _say(f"ifgen: error: {e}")
        return 2
    except StorageError as e:
        _say(
            f"ifgen: error: {e}; nothing was left half-written: free some space (or make the folder writable) "
            "and rerun the same command to resume"
        )
        return 1
    except (UsageError, FileNotFoundError, ValueError, KeyError) as e:
        msg = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
        _say(f"ifgen: error: {msg}")
        return 2
    except BrokenPipeError:  # `ifgen status | head`: the reader left; say nothing more, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
        return 141
    except KeyboardInterrupt:
        term = bool(signals)
        _say(f"ifgen: {'stopped by SIGTERM' if term else 'interrupted'}; rerun the same command to resume")
        return 143 if term else 130
    except Exception as e:  # a stage that cannot start (server problems): one line, exit 2
        if type(e).__name__ in ("LocalServerError", "LLMError"):
            _say(f"ifgen: error: {e}")
            return 2
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
