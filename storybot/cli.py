"""The `storybot` command: build the index, ask questions, run the Telegram bot."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Callable, Iterator, Optional

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from storybot.settings import Settings, load_settings
from storybot.terminal import print_answer, print_brief, print_check, print_gaps
from storybot.index.errors import StorybotError

app = typer.Typer(
    help="Answer questions about news stories by quoting the stories' own paragraphs, with attribution.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
index_app = typer.Typer(help="Build and inspect the search index.", no_args_is_help=True)
app.add_typer(index_app, name="index")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)  # long lines stay whole when piped

SourcesOpt = Annotated[Optional[Path], typer.Option("--sources", help="Story directory [env STORYBOT_SOURCES; default ./sources]", show_default=False)]
IndexOpt = Annotated[Optional[Path], typer.Option("--index", help="Index directory [env STORYBOT_INDEX; default ./data/index]", show_default=False)]


def fail(message: str) -> None:
    err.print(f"[bold red]storybot:[/] {message}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, transient=False)


def make_embedder(settings: Settings):
    """The embedding model as the settings configure it."""
    from storybot.index.embedder import Embedder

    return Embedder(settings.model, backend=settings.embedder, cache_dir=settings.model_cache,
                    bf16_builds=settings.bf16_builds)


def open_engine(settings: Settings):
    """Load the model and a current index, building it (with a progress bar) when missing or stale."""
    from storybot.index.service import open_engine as _open

    with progress_bar() as bar:
        task = bar.add_task("embedding paragraphs", total=None, visible=False)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=True)

        return _open(settings.sources, settings.index_dir, settings.model, model_cache=settings.model_cache,
                     backend=settings.embedder, bf16_builds=settings.bf16_builds,
                     notice=lambda m: err.print(f"storybot: {m}", highlight=False), progress=progress)


@index_app.command("build")
def index_build(sources: SourcesOpt = None, index: IndexOpt = None) -> None:
    """Build the index for the stories in --sources (idempotent; unchanged paragraphs are not re-embedded)."""
    try:
        settings = load_settings(sources=sources, index=index)
        from storybot.index.store import build_index, index_status

        try:
            status = index_status(settings.index_dir, settings.sources, settings.model)
        except StorybotError:
            status = "replace"  # another model or format: build anew
        if status == "ok":
            err.print(f"storybot: index in {settings.index_dir} is up to date")
            return
        embedder = make_embedder(settings)
        with progress_bar() as bar:
            task = bar.add_task("embedding paragraphs", total=None)
            manifest = build_index(settings.sources, settings.index_dir, embedder,
                                   progress=lambda stage, done, total: bar.update(task, completed=done, total=total))
        err.print(f"storybot: indexed {manifest.paragraphs} paragraphs from {len(manifest.sources)} "
                  f"stor{'y' if len(manifest.sources) == 1 else 'ies'} into {settings.index_dir}")
    except StorybotError as exc:
        fail(str(exc))


@index_app.command("status")
def index_status_cmd(sources: SourcesOpt = None, index: IndexOpt = None) -> None:
    """Say whether the index is up to date with the sources (exit 1 when it is not)."""
    try:
        settings = load_settings(sources=sources, index=index)
        from storybot.index.store import index_status, read_manifest

        status = index_status(settings.index_dir, settings.sources, settings.model)
        manifest = read_manifest(settings.index_dir)
        detail = (f" ({manifest.paragraphs} paragraphs, model {manifest.model}, {manifest.kind} vector index, "
                  f"built {manifest.built_at})") if manifest else ""
        out.print(f"{status}{detail}")
        if status != "ok":
            raise typer.Exit(1)
    except StorybotError as exc:
        fail(str(exc))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read questions from stdin, one per line "
                                             "(a line may be a JSON object {\"question\": …, \"source\": …}).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON (one object per line in batch mode).")] = False,
    top_k: Annotated[Optional[int], typer.Option("--top-k", help="Passages to return [default 3].", show_default=False)] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Search only the story with this id (file stem).")] = None,
    sources: SourcesOpt = None,
    index: IndexOpt = None,
) -> None:
    """Answer QUESTION by quoting the story paragraph(s) that answer it."""
    try:
        if top_k is not None and top_k < 1:
            raise StorybotError(f"--top-k must be at least 1 (got {top_k})")
        settings = load_settings(sources=sources, index=index, top_k=top_k)
        if question != "-":
            from storybot.index.search import validate_question

            validate_question(question)  # fail fast, before the model loads
        engine = open_engine(settings)
        engine.require_source(source)  # an unknown story id is one error, before stdin is read
    except StorybotError as exc:
        fail(str(exc))
    record = declined_recorder(settings)
    _respond(question, "question", as_json, source,
             lambda text, src: record(engine.ask(text, top_k=settings.top_k, source=src), src),
             lambda answer: print_answer(out, answer, engine.threshold))


def declined_recorder(settings: Settings) -> Callable:
    """A function passing answers through and keeping the declined questions (STORYBOT_RECORD_QUESTIONS)."""
    storage = None

    def record(answer, source: str | None):
        nonlocal storage
        if answer.answered or not settings.record_questions:
            return answer
        try:
            from storybot.storage import open_storage

            storage = storage or open_storage(settings)
            storage.record_question(answer.question, source, retention_days=settings.question_retention_days)
        except StorybotError as exc:  # the answer matters more than the record
            err.print(f"storybot: warning: {exc}; the declined question was not recorded", highlight=False)
        return answer

    return record


@app.command()
def run(sources: SourcesOpt = None, index: IndexOpt = None) -> None:
    """Run the Telegram bot: long polling, or a webhook when STORYBOT_WEBHOOK_URL is set.

    Needs TELEGRAM_BOT_TOKEN (from @BotFather). The model and index load before the bot starts.
    """
    try:
        settings = load_settings(sources=sources, index=index)
        from storybot.bot.app import check_connection, run_bot

        check_connection(settings)
        engine = open_engine(settings)
        run_bot(settings, engine)
    except StorybotError as exc:
        fail(str(exc))


@app.command()
def check(
    claim: Annotated[str, typer.Argument(help="The claim to check, or - to read claims from stdin, one per line "
                                          "(a line may be a JSON object {\"claim\": …, \"source\": …}).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON (one object per line in batch mode).")] = False,
    source: Annotated[Optional[str], typer.Option("--source", help="Check against the story with this id (file stem).")] = None,
    sources: SourcesOpt = None,
    index: IndexOpt = None,
) -> None:
    """Fact-check CLAIM against the story: supported, contradicted or not in the story, with the deciding quote."""
    from storybot.index.check import Checker, validate_claim

    try:
        settings = load_settings(sources=sources, index=index)
        if claim != "-":
            validate_claim(claim)  # fail fast, before the model loads
        engine = open_engine(settings)
        engine.require_source(source)  # an unknown story id is one error, before stdin is read
        checker = Checker(engine)
    except StorybotError as exc:
        fail(str(exc))
    _respond(claim, "claim", as_json, source, lambda text, src: checker.check(text, source=src),
             lambda verdict: print_check(out, verdict))


@app.command()
def brief(
    source: Annotated[Optional[str], typer.Option("--source", help="The story to brief (file stem); needed when there are several.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the brief as JSON.")] = False,
    sources: SourcesOpt = None,
    index: IndexOpt = None,
) -> None:
    """The story's 3–6 key points, each a verbatim sentence with its paragraph number and speaker."""
    from storybot.index.brief import make_brief

    try:
        settings = load_settings(sources=sources, index=index)
        result = make_brief(open_engine(settings), source)
    except StorybotError as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(result.model_dump_json() + "\n")
    else:
        print_brief(out, result)


@app.command()
def add(
    what: Annotated[str, typer.Argument(help="A web page's URL, a .html, .txt or .md file, or - for the story's text on stdin.")],
    story_id: Annotated[Optional[str], typer.Option("--id", help="The story's id [default: the id of the story with the same URL, else a slug of the title].", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="The headline, when the text has none (or to replace it).", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"source", "title", "outlet", "paragraphs"} as JSON.')] = False,
    sources: SourcesOpt = None,
    index: IndexOpt = None,
) -> None:
    """Add a story (or update it) from a link, a file or stdin, and update the index; a running bot picks it up."""
    from storybot.index.ingest import add_story, read_file, read_text, read_url

    try:
        settings = load_settings(sources=sources, index=index)
        if what == "-":
            article = read_text(sys.stdin.read())
        elif "://" in what:
            article = read_url(what, settings.fetch_policy)
        else:
            article = read_file(Path(what))
        added = add_story(article, settings.sources, settings.index_dir, make_embedder(settings),
                          story_id=story_id, title=title)
    except StorybotError as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(added.model_dump_json(include={"source", "title", "outlet", "paragraphs"}) + "\n")
    if added.status == "added":
        err.print(f"storybot: added “{added.title}” as {added.source} ({added.paragraphs} paragraphs) in {added.path}")
    elif added.status == "updated":
        err.print(f"storybot: updated {added.source} (“{added.title}”): {added.changes.summary()}")
    else:
        err.print(f"storybot: {added.source} (“{added.title}”) is unchanged")


@app.command()
def gaps(
    source: Annotated[Optional[str], typer.Option("--source", help="Only questions asked about this story.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only questions asked from this date on (2024-06-01).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the groups as JSON.")] = False,
    sources: SourcesOpt = None,
    index: IndexOpt = None,
) -> None:
    """What readers asked that the stories did not say: declined questions grouped by meaning, largest group first."""
    from storybot.index.gaps import group_questions
    from storybot.storage import open_storage

    try:
        settings = load_settings(sources=sources, index=index)
        start = parse_since(since) if since else None
        asked = open_storage(settings).declined_questions(source=source, since=start)
        found = group_questions([(q.question, q.source) for q in asked], make_embedder(settings) if asked else None)
    except StorybotError as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(found.model_dump_json() + "\n")
        return
    print_gaps(out, found)


def parse_since(text: str):
    """--since: a date (midnight UTC) or a date and time."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise StorybotError(f"--since {text!r} is not a date; write it as 2024-06-01") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _respond(text: str, key: str, as_json: bool, source: str | None,
             answer: Callable[[str, str | None], BaseModel], show: Callable[[BaseModel], None]) -> None:
    """Answer TEXT, or with "-" every line of stdin, printing each result as JSON or for reading.

    In batch mode a bad line yields {key: …, "error": …} in its place and the rest go on; the exit
    status is then 2.
    """
    items = [(text, None)] if text != "-" else _batch_lines(sys.stdin, key=key)
    failures = 0
    for item in items:
        if isinstance(item, StorybotError):
            failures += 1
            _emit_error(as_json, "", str(item), key=key)
            continue
        line, src = item
        try:
            result = answer(line, src or source)
        except StorybotError as exc:
            if text != "-":
                fail(str(exc))
            failures += 1
            _emit_error(as_json, line, str(exc), key=key)
            continue
        if as_json:
            sys.stdout.write(result.model_dump_json() + "\n")
            sys.stdout.flush()
        else:
            show(result)
    if failures:
        err.print(f"storybot: {failures} line(s) failed (see the \"error\" objects)")
        raise typer.Exit(2)


def _batch_lines(stream, key: str = "question") -> Iterator[tuple[str, str | None] | StorybotError]:
    """Questions (or claims) from stdin: plain lines, or JSON objects with `key` and optional "source"."""
    for number, line in enumerate(stream, 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict) or not isinstance(obj.get(key), str):
                    raise ValueError(f'needs a "{key}" string')
                src = obj.get("source")
                if src is not None and not isinstance(src, str):
                    raise ValueError('"source" must be a string')
                yield obj[key], src
            except ValueError as exc:
                yield StorybotError(f"line {number}: not a usable JSON {key} ({exc})")
        else:
            yield line, None


def _emit_error(as_json: bool, question: str, message: str, key: str = "question") -> None:
    if as_json:
        sys.stdout.write(json.dumps({key: question, "error": message}, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        err.print(f"storybot: {message}", highlight=False)


def main() -> None:
    try:
        app()
    except ValidationError as exc:  # pragma: no cover - settings errors are caught in load_settings
        fail(str(exc))


if __name__ == "__main__":
    main()
