"""The `storybot` command: build the index, ask questions, run the Telegram bot."""

from __future__ import annotations

import json
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO, Callable, Iterator, Optional

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from storybot.settings import Settings, load_settings
from storybot.terminal import print_answer, print_brief, print_check, print_gaps
from storybot.index.errors import StorybotError

app = typer.Typer(
    help="Answer questions about news stories by quoting the stories' own paragraphs, with attribution.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
index_app = typer.Typer(help="Build and inspect the search index.", no_args_is_help=True)
app.add_typer(index_app, name="index")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)  # long lines stay whole when piped

ECHO_CHARS = 200  # an error line repeats at most this much of the question it refuses
SURROGATE = re.compile("[\ud800-\udfff]")
DEFAULTS = Settings.model_fields  # help text shows the settings' own defaults, so the two cannot drift


def flag(name: str, help: str):
    """A boolean option that takes no value (`--json`, not `--json true`)."""
    return typer.Option(name, help=help, is_flag=True, show_default=False)


SourcesOpt = Annotated[Optional[Path], typer.Option(
    "--sources", metavar="DIR", show_default=False,
    help=f"Story directory [env STORYBOT_SOURCES; default {DEFAULTS['sources'].default}]")]
IndexOpt = Annotated[Optional[Path], typer.Option(
    "--index", metavar="DIR", show_default=False, help=f"Index directory [env STORYBOT_INDEX; default {DEFAULTS['data_dir'].default / 'index'}]")]


def batch_argument(name: str, key: str):
    """The text `ask` and `check` take: one, or - for one per line of stdin (see _respond)."""
    return typer.Argument(metavar=key.upper(), show_default=False,
                          help=f"The {name}, or - to read {key}s from stdin, one per line "
                               f"(a line may be a JSON object {{\"{key}\": …, \"source\": …}}).")


def json_flag(result: str):
    return flag("--json", f"Print the {result} as JSON (one object per line in batch mode).")


def source_option(help: str):
    return typer.Option("--source", metavar="ID", help=help)


def fail(message: str) -> None:
    err.print(Text.assemble(("storybot:", "bold red"), " ", message))  # a Text: brackets in a message stay
    raise typer.Exit(2)


def notice(message: str) -> None:
    err.print(Text(f"storybot: {message}"))


@contextmanager
def progress_bar(description: str = "embedding paragraphs") -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback whose bar appears on its first report: a run with nothing to embed, or
    one that fails before the work starts, prints no bar (and no blank line on stderr)."""
    bar: Progress | None = None
    task = None
    try:
        def report(stage: str, done: int, total: int) -> None:
            nonlocal bar, task
            if bar is None:
                bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                               TimeRemainingColumn(), console=err, transient=False)
                bar.start()
                task = bar.add_task(description, total=total)
            bar.update(task, completed=done, total=total)

        yield report
    finally:
        if bar is not None:
            bar.stop()


def make_embedder(settings: Settings):
    """The embedding model as the settings configure it."""
    from storybot.index.embedding.embedder import Embedder

    return Embedder(settings.model, backend=settings.embedder, cache_dir=settings.model_cache,
                    bf16_builds=settings.bf16_builds)


def open_engine(settings: Settings):
    """Load the model and a current index, building it (with a progress bar) when missing or stale."""
    import storybot

    with progress_bar() as progress:
        return storybot.open_engine(settings, notice=notice, progress=progress)


@index_app.command("build")
def index_build(
    sources: SourcesOpt = None,
    index: IndexOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 2) on a story file that cannot be read as a story, instead of skipping it with a warning.")] = False,
) -> None:
    """Build the index for the stories in --sources (idempotent; unchanged paragraphs are not re-embedded).

    An index that is up to date is checked file by file against its checksums first; a damaged
    one is rebuilt, reusing only what still matches. Story files that cannot be read are skipped
    with a warning (the others are indexed) unless --strict.
    """
    try:
        settings = load_settings(sources=sources, index=index)
        from storybot.index.storage.store import build_index, check_writable, index_status

        try:
            status = index_status(settings.index_dir, settings.sources, settings.model, full=True)
        except StorybotError:
            status = None  # another model or format, an unreadable manifest: build anew
        if status is not None and status.state == "ok":
            assert status.manifest is not None
            _report_skipped(status.manifest.skipped, strict)
            notice(f"index in {settings.index_dir} is up to date")
            return
        if status is not None and status.state == "damaged":
            err.print(f"storybot: index in {settings.index_dir} is damaged ({status.problem}); rebuilding it")
        check_writable(settings.index_dir)  # before the model loads
        embedder = make_embedder(settings)
        with progress_bar() as progress:
            manifest = build_index(settings.sources, settings.index_dir, embedder, strict=strict,
                                   private=settings.index_private, progress=progress)
        _report_skipped(manifest.skipped, strict)
        notice(f"indexed {manifest.paragraphs} paragraphs from {len(manifest.sources)} "
                  f"stor{'y' if len(manifest.sources) == 1 else 'ies'} into {settings.index_dir}")
    except StorybotError as exc:
        fail(str(exc))


def _report_skipped(skipped, strict: bool) -> None:
    """Warn about each skipped story file; with --strict, fail on the first."""
    from storybot.index.storage.sources import bad_files_error

    if strict and skipped:
        fail(str(bad_files_error(skipped)))
    for file in skipped:
        notice(f"warning: skipped {file.error}")


@index_app.command("status")
def index_status_cmd(
    sources: SourcesOpt = None,
    index: IndexOpt = None,
    full: Annotated[bool, typer.Option("--full", help="Also read every file against its checksum (catches a flipped bit; slower: seconds per GB, ~5 GB at 1M paragraphs).")] = False,
) -> None:
    """Say whether the index is intact and up to date with the sources.

    Exit 0: ok; 1: missing or stale (`storybot index build` brings it up to date); 2: damaged, or
    unusable. The quick check (default) finds missing, extra and truncated files by their sizes.
    Story files the build skipped are listed after the status line.
    """
    try:
        settings = load_settings(sources=sources, index=index)
        from storybot.index.storage.store import index_status

        status = index_status(settings.index_dir, settings.sources, settings.model, full=full)
        manifest = status.manifest
        detail = (f" ({manifest.paragraphs} paragraphs, model {manifest.model}, {manifest.kind} vector index, "
                  f"built {manifest.built_at})") if manifest else ""
        out.print(f"{status.state}{f': {status.problem}' if status.problem else ''}{detail}")
        for skipped in manifest.skipped if manifest else []:
            out.print(f"skipped {skipped.error}")
        if status.state != "ok":
            raise typer.Exit(2 if status.state == "damaged" else 1)
    except StorybotError as exc:
        fail(str(exc))


@app.command()
def ask(
    question: Annotated[str, batch_argument("question", "question")],
    as_json: Annotated[bool, json_flag("answer")] = False,
    top_k: Annotated[Optional[int], typer.Option("--top-k", metavar="N", show_default=False,
                                                    help=f"Passages to return [env STORYBOT_TOP_K; default {DEFAULTS['top_k'].default}].")] = None,
    source: Annotated[Optional[str], source_option("Search only the story with this id (file stem).")] = None,
    sources: SourcesOpt = None,
    index: IndexOpt = None,
) -> None:
    """Answer QUESTION by quoting the story paragraph(s) that answer it."""
    try:
        if top_k is not None and top_k < 1:
            raise StorybotError(f"--top-k must be at least 1 (got {top_k})")
        settings = load_settings(sources=sources, index=index, top_k=top_k)
        from storybot.index.answering.search import validate_question

        engine = _batch_engine(settings, question, validate_question, source)
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
    claim: Annotated[str, batch_argument("claim to check", "claim")],
    as_json: Annotated[bool, json_flag("verdict")] = False,
    source: Annotated[Optional[str], source_option("Check against the story with this id (file stem).")] = None,
    sources: SourcesOpt = None,
    index: IndexOpt = None,
) -> None:
    """Fact-check CLAIM against the story: supported, contradicted or not in the story, with the deciding quote."""
    from storybot.index.checking.check import Checker, validate_claim

    try:
        settings = load_settings(sources=sources, index=index)
        checker = Checker(_batch_engine(settings, claim, validate_claim, source))
    except StorybotError as exc:
        fail(str(exc))
    _respond(claim, "claim", as_json, source, lambda text, src: checker.check(text, source=src),
             lambda verdict: print_check(out, verdict))


@app.command()
def brief(
    source: Annotated[Optional[str], typer.Option("--source", metavar="ID", help="The story to brief (file stem); needed when there are several.")] = None,
    as_json: Annotated[bool, flag("--json", "Print the brief as JSON.")] = False,
    sources: SourcesOpt = None,
    index: IndexOpt = None,
) -> None:
    """The story's 3–6 key points, each a verbatim sentence with its paragraph number and speaker."""
    from storybot.index.answering.brief import make_brief

    try:
        settings = load_settings(sources=sources, index=index)
        result = make_brief(open_engine(settings), source)
    except StorybotError as exc:
        fail(str(exc))
    _emit(result, as_json, lambda brief: print_brief(out, brief))


class BatchLine(BaseModel):
    """One line of batch input: what it asks (None when it holds nothing usable) or why it cannot be asked."""

    number: int
    text: Optional[str] = None
    source: Optional[str] = None
    error: Optional[str] = None


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
    from storybot.index.ingest.article import add_story, read_file, read_text, read_url

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
    from storybot.index.answering.gaps import group_questions
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


def _batch_engine(settings: Settings, text: str, validate: Callable[[str], object], source: str | None):
    """The engine for `ask` or `check` on TEXT ("-": stdin), after the checks that need no model: a bad
    TEXT fails before the model loads, an unknown story id before stdin is read."""
    if text != "-":
        validate(text)
    engine = open_engine(settings)
    engine.require_source(source)
    return engine


def _respond(text: str, key: str, as_json: bool, source: str | None,
             answer: Callable[[str, str | None], BaseModel], show: Callable[[BaseModel], None]) -> None:
    """Answer TEXT, or with "-" every line of stdin, printing each result as JSON or for reading.

    In batch mode a bad line yields {key: …, "error": "line N: …"} in its place and the rest go on;
    the exit status is then 2.
    """
    if text != "-":
        try:
            result = answer(text, source)
        except StorybotError as exc:
            fail(str(exc))
        _emit(result, as_json, show)
        return
    failures = 0
    for line in batch_lines(sys.stdin.buffer, key=key):
        if line.error is None:
            try:
                _emit(answer(line.text, line.source or source), as_json, show)
                continue
            except StorybotError as exc:
                line.error = str(exc)
        failures += 1
        _emit_error(as_json, line, key)
    if failures:
        notice(f"{failures} line(s) failed" + (' (see the "error" objects)' if as_json else ""))
        raise typer.Exit(2)


def batch_lines(stream: BinaryIO, key: str = "question") -> Iterator[BatchLine]:
    """Questions (or claims) from stdin, read as bytes and decoded line by line, so bytes that are
    not UTF-8 spoil only their own line: plain lines, or JSON objects with `key` and optional "source".
    Undecodable bytes are kept (as surrogates) for the engine to refuse with the rest of what is not text."""
    for number, raw in enumerate(stream, 1):
        line = raw.decode("utf-8", "surrogateescape").lstrip("\ufeff").strip()
        if not line:
            continue
        if not line.startswith("{"):
            yield BatchLine(number=number, text=line)
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield BatchLine(number=number, error=f"not a usable JSON {key} ({exc})")
            continue
        given = obj.get(key) if isinstance(obj, dict) else None
        src = obj.get("source") if isinstance(obj, dict) else None
        if not isinstance(given, str):
            yield BatchLine(number=number, error=f'not a usable JSON {key} (needs a "{key}" string)')
        elif src is not None and not isinstance(src, str):
            yield BatchLine(number=number, text=given, error=f'not a usable JSON {key} ("source" must be a string)')
        else:
            yield BatchLine(number=number, text=given, source=src)


def _emit(result: BaseModel, as_json: bool, show: Callable[[BaseModel], None]) -> None:
    if as_json:
        write_json(result.model_dump(mode="json"))
    else:
        show(result)


def _emit_error(as_json: bool, line: BatchLine, key: str) -> None:
    message = f"line {line.number}: {line.error}"
    if as_json:
        write_json({key: echo(line.text), "error": message})
    else:
        notice(message)


def echo(text: str | None) -> str | None:
    """`text` as an error line repeats it: at most ECHO_CHARS characters, with an ellipsis when cut."""
    if text is None or len(text) <= ECHO_CHARS:
        return text
    return text[:ECHO_CHARS] + "…"


def write_json(data: object) -> None:
    """One JSON line on stdout, the same way for answers, verdicts, briefs and errors. Lone surrogates
    (from bytes that were not UTF-8, or "\\ud800" in JSON input) cannot be written as UTF-8: they
    become U+FFFD."""
    line = SURROGATE.sub("\ufffd", json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    try:
        app()
    except ValidationError as exc:  # pragma: no cover - settings errors are caught in load_settings
        fail(str(exc))


if __name__ == "__main__":
    main()
