"""`storybot add`: stories from web pages (served by a local website on 127.0.0.1, never real
sites), files and stdin; the refusals; the story file and the incremental index it leaves."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from storybot.index.errors import StorybotError
from storybot.index.ingest.fetch import FetchError, FetchPolicy
from storybot.index.ingest.article import NotAnArticle, add_story, read_file, read_text, read_url
from storybot.index.storage.sources import load_story
from storybot.testing.paths import FIXTURES, ROOT
from storybot.testing.website import PLAIN_STORY, serve_website

LOCAL = FetchPolicy(allow_private=True)  # the test website is on 127.0.0.1
CHROME = ["cookie", "Share", "Tweet", "Sign up", "Sign me up", "newsletter", "Subscribe", "Photo", "file photo",
          "Related", "Most read", "You might also like", "©", "Copyright", "Advertisement", "Log in", "comments",
          "Finally!", "Tags:", "Powered by", "Privacy", "Home", "Email"]


@pytest.fixture(scope="module")
def site():
    with serve_website() as website:
        yield website


def assert_no_chrome(paragraphs: list[str]) -> None:
    text = "\n".join(paragraphs)
    leaked = [word for word in CHROME if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)]
    assert not leaked, leaked


TEMPLATES = {
    # page: (title, outlet, author, published, url or None for the fetched URL, paragraphs, first words, last words)
    "ledger-jsonld": ("Port of Calder expands ferry service after record summer", "The Calder Ledger", "Mira Okafor",
                      "2024-06-12", "https://ledger.example/news/2024/06/12/calder-ferry-expansion", 11,
                      "The Port of Calder will add", "24 positions advertised last month."),
    "gazette-meta": ("Millbrook library to open on Sundays", "Millbrook Gazette", "Tomas Lindqvist", "2024-02-03",
                     "https://gazette.example/local/millbrook-library-sundays", 7,
                     "The Millbrook public library will open", "volunteers from Millbrook High School."),
    "notes-nometa": ("Orchard growers report late frost damage across the valley", None, None, None, None, 6,
                     "Apple and pear growers", "deferred loan repayments for the worst-hit farms."),
}


@pytest.mark.parametrize("page", TEMPLATES)
def test_each_site_template_gives_the_article_and_what_the_page_states(site, page):
    title, outlet, author, published, url, count, first, last = TEMPLATES[page]
    article = read_url(site.url(f"/news/{page}"), LOCAL)
    assert (article.title, article.outlet, article.author, article.published) == (title, outlet, author, published)
    assert article.url == (url or site.url(f"/news/{page}"))  # canonical when stated, else where it was fetched
    assert len(article.paragraphs) == count
    assert article.paragraphs[0].startswith(first) and article.paragraphs[-1].endswith(last)
    assert_no_chrome(article.paragraphs)
    assert all("\n" not in p and p == " ".join(p.split()) for p in article.paragraphs)
    assert site.user_agents[-1].startswith("storybot/")


def test_list_items_stay_bullets_in_order(site):
    article = read_url(site.url("/news/ledger-jsonld"), LOCAL)
    assert article.paragraphs[3:7] == [
        "The new timetable includes:",
        "- Two extra morning sailings at 6:15 and 7:45.",
        "- A late return from Brenna Island at 22:30 on Fridays and Saturdays.",
        "- A second vessel on the route during school holidays.",
    ]


@pytest.mark.parametrize(("path", "message"), [
    ("/news/section-front", "holds no article"),
    ("/news/login-wall", "holds no article"),
    ("/paper.pdf", "is a PDF"),
    ("/huge", "larger than 100,000 bytes"),
    ("/loop", "more than 5 redirects"),
    ("/to-ftp", "only http:// and https://"),
    ("/news/no-such-page", "404"),
])
def test_what_is_not_an_article_page_is_refused(site, path, message):
    with pytest.raises(StorybotError, match=message):
        read_url(site.url(path), LOCAL.model_copy(update={"max_bytes": 100_000}))


def test_redirects_are_followed(site):
    article = read_url(site.url("/go/notes-nometa"), LOCAL)
    assert article.url == site.url("/news/notes-nometa")


@pytest.mark.parametrize("url", ["ftp://files.example/a.txt", "file:///etc/passwd", "javascript:alert(1)",
                                 "http://", "http://[::1"])
def test_only_http_links(url):
    with pytest.raises(FetchError):
        read_url(url, LOCAL)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.1.2.3", "192.168.0.1", "169.254.169.254", "[::1]",
                                  "[::ffff:127.0.0.1]", "0.0.0.0"])
def test_private_addresses_are_refused_unless_allowed(site, host, monkeypatch):
    monkeypatch.delenv("STORYBOT_ALLOW_PRIVATE_URLS", raising=False)
    from storybot.settings import load_settings

    policy = load_settings().fetch_policy
    assert not policy.allow_private
    with pytest.raises(FetchError, match="private, loopback or link-local"):
        read_url(f"http://{host}:{site.server.server_address[1]}/news/notes-nometa", policy)
    monkeypatch.setenv("STORYBOT_ALLOW_PRIVATE_URLS", "1")
    assert load_settings().fetch_policy.allow_private


def test_text_with_a_heading_wrapped_paragraphs_and_lists():
    article = read_text("# Dam inspection finds cracks\n\nInspectors found two cracks in the\nspillway on Monday, "
                        "the water board said.\n\n* Repairs start in May.\n1. The road stays open.\n\n"
                        "Read **more** in [our archive](https://x.example).\n")
    assert article.title == "Dam inspection finds cracks"
    assert article.paragraphs == ["Inspectors found two cracks in the spillway on Monday, the water board said.",
                                  "- Repairs start in May.", "- The road stays open.", "Read more in our archive."]
    plain = read_text(PLAIN_STORY)
    assert plain.title == "Harbour cranes stopped for two hours" and len(plain.paragraphs) == 2
    with pytest.raises(NotAnArticle):
        read_text("\n  \n***\n")


def test_front_matter_in_text_is_checked_by_the_sources_parser(tmp_path):
    article = read_text("---\ntitle: A\noutlet: B\nurl: https://b.example/a\n---\nOne.\n- Two.\n")
    assert (article.title, article.outlet, article.url, article.paragraphs) == ("A", "B", "https://b.example/a",
                                                                                ["One.", "- Two."])
    with pytest.raises(StorybotError, match="unknown front matter key"):
        read_text("---\ntitle: A\nsection: x\n---\nOne.\n")
    (tmp_path / "story.pdf").write_bytes(b"%PDF")
    with pytest.raises(StorybotError, match=r"adds \.html, \.txt and \.md files"):
        read_file(tmp_path / "story.pdf")


# ---------------------------------------------------------------------------------------------
# Writing the story and updating the index


def test_add_writes_the_story_updates_the_index_and_a_running_engine_reloads(site, tmp_path, embedder):
    from storybot.index.storage.reload import IndexWatcher
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import index_status, load_index

    sources, index_dir = tmp_path / "sources", tmp_path / "index"
    sources.mkdir()
    first = add_story(read_url(site.url("/news/gazette-meta"), LOCAL), sources, index_dir, embedder)
    assert (first.source, first.status, first.paragraphs) == ("millbrook-library-to-open-on-sundays", "added", 7)
    engine = Engine(load_index(index_dir), embedder)
    seen = []
    watcher = IndexWatcher(index_dir, engine, seen.append, interval=0)

    added = add_story(read_url(site.url("/news/ledger-jsonld"), LOCAL), sources, index_dir, embedder)
    story = load_story(sources / f"{added.source}.md")
    assert story.model_dump(include={"title", "outlet", "author", "published", "url"}) == {
        "title": "Port of Calder expands ferry service after record summer", "outlet": "The Calder Ledger",
        "author": "Mira Okafor", "published": "2024-06-12",
        "url": "https://ledger.example/news/2024/06/12/calder-ferry-expansion"}
    assert index_status(index_dir, sources, embedder.name).state == "ok"
    assert watcher.check() is not None and set(seen[0].index.stories) == {first.source, added.source}
    answer = seen[0].ask("How many passengers did the ferry carry last summer?", source=added.source)
    assert answer.answered and "412,000" in answer.passages[0].text
    assert not [p for p in sources.iterdir() if p.name.startswith(".")]  # no drafts left behind


def test_adding_the_same_url_again_updates_that_story_and_says_what_changed(site, tmp_path, embedder):
    sources, index_dir = tmp_path / "sources", tmp_path / "index"
    sources.mkdir()
    url = site.url("/news/edited-notes")
    original = (FIXTURES / "pages" / "notes-nometa.html").read_text(encoding="utf-8")
    site.pages["edited-notes"] = original
    first = add_story(read_url(url, LOCAL), sources, index_dir, embedder)
    again = add_story(read_url(url, LOCAL), sources, index_dir, embedder)
    assert (again.source, again.status, again.changes.summary()) == (first.source, "unchanged", "no paragraph changed")
    site.pages["edited-notes"] = original.replace(
        "Growers on higher ground, above roughly 300 metres,", "Growers above roughly 300 metres").replace(
        "</div>\n<div class=\"share\">",
        "<p>A second frost is forecast for Friday night, the regional weather office said on Thursday.</p>\n"
        "</div>\n<div class=\"share\">", 1)
    updated = add_story(read_url(url, LOCAL), sources, index_dir, embedder)
    assert (updated.source, updated.status) == (first.source, "updated")
    assert updated.changes.summary() == "1 paragraph added, 1 edited"
    assert [(p.number, p.kind) for p in updated.changes.new] == [(5, "edited"), (7, "added")]
    assert sorted(p.name for p in sources.iterdir()) == [f"{first.source}.md"]


def test_a_failed_build_leaves_nothing_half_written(site, tmp_path, embedder, monkeypatch):
    from storybot.index.storage import store

    sources, index_dir = tmp_path / "sources", tmp_path / "index"
    sources.mkdir()
    first = add_story(read_url(site.url("/news/notes-nometa"), LOCAL), sources, index_dir, embedder)
    before = {p.name: p.read_bytes() for p in sources.iterdir()}
    build = store.current_build(index_dir)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "build_index", broken)
    with pytest.raises(OSError):
        add_story(read_url(site.url("/news/ledger-jsonld"), LOCAL), sources, index_dir, embedder)
    with pytest.raises(OSError):  # an update of an existing story is rolled back too
        add_story(read_text("# New title\n\nChanged text."), sources, index_dir, embedder, story_id=first.source)
    assert {p.name: p.read_bytes() for p in sources.iterdir()} == before
    assert store.current_build(index_dir) == build


def test_ids_are_checked_and_titles_can_be_given(tmp_path, embedder):
    sources = tmp_path / "sources"
    sources.mkdir()
    with pytest.raises(StorybotError, match="not a usable story id"):
        add_story(read_text("Some text."), sources, tmp_path / "index", embedder, story_id="../etc")
    with pytest.raises(StorybotError, match="no title to make its id from"):
        add_story(read_text("Just one sentence of text."), sources, tmp_path / "index", embedder)
    added = add_story(read_text("Just one sentence of text."), sources, tmp_path / "index", embedder,
                      title="Short note")
    assert (added.source, added.title) == ("short-note", "Short note")
    assert not list(sources.glob(".*"))


# ---------------------------------------------------------------------------------------------
# The command


def storybot(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    for name in ("STORYBOT_INDEX", "STORYBOT_SOURCES", "STORYBOT_ALLOW_PRIVATE_URLS"):
        full_env.pop(name, None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "storybot", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=full_env, timeout=300)


def test_add_command_from_url_file_and_stdin(site, tmp_path):
    where = ["--sources", str(tmp_path / "sources"), "--index", str(tmp_path / "index")]
    (tmp_path / "sources").mkdir()
    result = storybot("add", site.url("/news/gazette-meta"), "--json", *where, env={"STORYBOT_ALLOW_PRIVATE_URLS": "1"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"source": "millbrook-library-to-open-on-sundays",
                                         "title": "Millbrook library to open on Sundays",
                                         "outlet": "Millbrook Gazette", "paragraphs": 7}
    page = tmp_path / "frost.html"
    page.write_bytes((FIXTURES / "pages" / "notes-nometa.html").read_bytes())
    result = storybot("add", str(page), "--id", "frost", *where)
    assert result.returncode == 0, result.stderr
    assert "added “Orchard growers report late frost damage across the valley” as frost (6 paragraphs)" in result.stderr
    result = storybot("add", "-", *where, stdin=PLAIN_STORY)
    assert result.returncode == 0, result.stderr
    assert "as harbour-cranes-stopped-for-two-hours (2 paragraphs)" in result.stderr
    result = storybot("ask", "--json", "How long did the cranes stop?", "--source",
                      "harbour-cranes-stopped-for-two-hours", *where)
    assert json.loads(result.stdout)["answered"] is True


def test_add_command_refusals_exit_2_with_one_line(site, tmp_path):
    where = ["--sources", str(tmp_path), "--index", str(tmp_path / "index")]
    for args, env, message in [
        ([site.url("/news/gazette-meta")], {}, "is a private, loopback or link-local address (127.0.0.1)"),
        ([site.url("/news/section-front")], {"STORYBOT_ALLOW_PRIVATE_URLS": "1"}, "holds no article"),
        ([site.url("/huge")], {"STORYBOT_ALLOW_PRIVATE_URLS": "1", "STORYBOT_FETCH_MAX_BYTES": "50000"},
         "larger than 50,000 bytes"),
        (["gopher://example.org/story"], {}, "only http:// and https://"),
        ([str(tmp_path / "missing.md")], {}, "cannot read"),
    ]:
        result = storybot("add", *args, *where, env=env)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.md"))
