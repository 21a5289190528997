"""`python -m bot nlu train | serve | eval | export | review`: the Rasa model's tooling."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any

from bot.cli import nlu_review
from bot.config import Settings
from bot.errors import BotError
from bot.nlu.evaluation import LabelledFileError, LabelledText, evaluate, read_labelled_tsv
from bot.nlu.export import export_project
from bot.nlu.server import rasa_server
from bot.nlu.training import ensure_model
from bot.nlu_wiring import answering_nlu

log = logging.getLogger(__name__)

_INTERRUPTED = 130


def register(commands: Any) -> None:
    """Add the `nlu` command group (`train`, `serve`, `eval`, `export`, `review`)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "nlu", help="train, serve and evaluate the Rasa NLU model"
    )
    actions = parser.add_subparsers(dest="nlu_command", required=True, metavar="ACTION")
    train = actions.add_parser(
        "train", help="train the model if nlu/ changed (creates the Rasa virtualenv if missing)"
    )
    train.set_defaults(handler=_train)
    serve = actions.add_parser("serve", help="run the Rasa server on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--port", type=int, help="port to listen on (default: RASA_PORT)")
    serve.set_defaults(handler=_serve)
    evaluate_ = actions.add_parser(
        "eval", help="score the model on FILE.tsv (intent<TAB>lang<TAB>text), print JSON"
    )
    evaluate_.add_argument("file", type=Path, metavar="FILE.tsv")
    evaluate_.set_defaults(handler=_eval)
    export = actions.add_parser(
        "export", help="write the trainable project (folded data, HASH) into DIR, for Docker"
    )
    export.add_argument("directory", type=Path, metavar="DIR")
    export.set_defaults(handler=_export)
    nlu_review.register(actions)


def _export(args: argparse.Namespace) -> int:
    settings = Settings()
    try:
        project_hash = export_project(settings.nlu_dir, args.directory)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"exported {settings.nlu_dir} to {args.directory} (model nlu-{project_hash})")
    return 0


def execute(work: Coroutine[Any, Any, int]) -> int:
    """Run `work`; expected failures become one message and an exit code, not a traceback."""
    # Request lines would flood the output and carry Rasa's token in their URLs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        return asyncio.run(_stoppable(work))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted", file=sys.stderr)
        return _INTERRUPTED
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


async def _stoppable(work: Coroutine[Any, Any, int]) -> int:
    # Ctrl-C or SIGTERM cancels the work, so child processes are stopped on the way out.
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, task.cancel)
    try:
        return await work
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def _train(args: argparse.Namespace) -> int:
    async def train() -> int:
        model = await ensure_model(Settings())
        print(model)
        return 0

    return execute(train())


def _serve(args: argparse.Namespace) -> int:
    settings = Settings()

    async def serve() -> int:
        async with rasa_server(settings, port=args.port) as server:
            print(f"Rasa NLU server at {server.url} (model {server.model.name}); Ctrl-C stops it")
            if settings.rasa_token is None:
                # A token made up for this run: the bot needs it to call this server.
                print(f"for the bot: RASA_URL={server.url} RASA_TOKEN={server.token}")
            sys.stdout.flush()
            await asyncio.Event().wait()
        return 0

    code = execute(serve())
    return 0 if code == _INTERRUPTED else code


async def evaluate_file(settings: Settings, labelled: Sequence[LabelledText]) -> dict[str, Any]:
    """Score `labelled` with the server at RASA_URL if it answers, else with a local one.

    Raises:
        BotError: no server could be reached or started, or it stopped answering.

    """
    async with answering_nlu(settings) as client:
        return await evaluate(client, labelled)


def _eval(args: argparse.Namespace) -> int:
    try:
        labelled = read_labelled_tsv(args.file)
    except LabelledFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = Settings()

    async def run() -> int:
        report = await evaluate_file(settings, labelled)
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0

    return execute(run())
