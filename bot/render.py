"""Telegram HTML for the bot's messages: quote cards, context, story lists, greetings.

Everything that comes from text (questions, story paragraphs, titles) is escaped here and only
here. Every message is kept within Telegram's 4096-character limit, which counts the *visible*
text in UTF-16 code units: verbatim passages are trimmed at sentence boundaries around the
answering sentence (with "…" where text was cut), and because trimming happens before HTML is
generated, tags always stay balanced.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote as url_quote

from storybot.present import VERDICT_LABELS, attribution, sentence_case
from storybot.index.models import Brief, ClaimCheck, Paragraph, Passage, StoryInfo
from storybot.index.language.sentences import split_sentences

MAX_LENGTH = 4096
ELLIPSIS = "…"
MAX_ECHO = 200  # characters of a question repeated in a card
FRAGMENT_WORDS = 4  # words each side of a long sentence in a #:~:text= link


def esc(text: str) -> str:
    """Escape text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


_TAG = re.compile(r"<[^>]*>")


def visible_length(markup: str) -> int:
    """Length of `markup` as Telegram counts it after entity parsing."""
    return utf16_len(html.unescape(_TAG.sub("", markup)).strip())


def text_fragment_url(url: str, sentence: str) -> str:
    """`url` with a text fragment that opens the page scrolled to `sentence` (#:~:text=start,end)."""
    def enc(words: list[str]) -> str:
        # "-", "," and "&" are syntax inside a text directive, so they must be percent-encoded too.
        return url_quote(" ".join(words), safe="").replace("-", "%2D")

    words = sentence.split()
    if len(words) <= 2 * FRAGMENT_WORDS:
        directive = enc(words)
    else:
        directive = f"{enc(words[:FRAGMENT_WORDS])},{enc(words[-FRAGMENT_WORDS:])}"
    return f"{url.split('#', 1)[0]}#:~:text={directive}"


def attribution_line(passage: Passage, url: str | None) -> str:
    """"— speaker, outlet, “title”, ¶N", linked to the quoted sentence in the article when there is a url."""
    line = f"— {esc(attribution(passage))}"
    if url:
        href = html.escape(text_fragment_url(url, passage.highlight), quote=True)
        line += f' · <a href="{href}">open in article</a>'
    return line


def _echo(question: str) -> str:
    question = " ".join(question.split())
    if len(question) > MAX_ECHO:
        question = question[:MAX_ECHO].rsplit(" ", 1)[0] + ELLIPSIS
    return f"<b>Q:</b> {esc(question)}"


# ---------------------------------------------------------------------------------------------
# Verbatim text and trimming


@dataclass(frozen=True)
class Verbatim:
    """Story text shown word for word; `highlight` is the sentence to keep, bold when `bold`."""

    text: str
    highlight: str | None = None
    bold: bool = False
    blockquote: bool = True
    prefix: str = ""  # finished HTML before the text (inside the blockquote), e.g. "¶2 "


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for sentence in split_sentences(text):
        start = text.find(sentence, pos)
        if start < 0:  # cannot happen for verbatim splits; degrade to one span
            return [(0, len(text))]
        spans.append((start, start + len(sentence)))
        pos = start + len(sentence)
    return spans or [(0, len(text))]


def trim(text: str, keep: str | None, budget: int) -> tuple[str, str, str]:
    """Cut `text` to at most `budget` visible characters, whole sentences around `keep`.

    Returns (before, kept, after): `kept` is the part of `keep` that survived (empty when `keep`
    is None or absent), so the caller can bold it; "…" marks each cut.
    """
    start = text.find(keep) if keep else -1
    hs, he = (start, start + len(keep)) if start >= 0 and keep else (0, 0)

    def pieces(lo: int, hi: int) -> tuple[str, str, str]:
        head = ELLIPSIS if lo > 0 else ""
        tail = ELLIPSIS if hi < len(text) else ""
        a, b = max(lo, min(hs, hi)), min(hi, max(he, lo))
        return head + text[lo:a], text[a:b], text[b:hi] + tail

    def size(lo: int, hi: int) -> int:
        return sum(utf16_len(p) for p in pieces(lo, hi))

    if utf16_len(text) <= budget:
        return pieces(0, len(text))
    spans = _sentence_spans(text)
    core = [i for i, (s, e) in enumerate(spans) if s < max(he, hs + 1) and e > hs] or [0]
    first, last = core[0], core[-1]
    lo, hi = spans[first][0], spans[last][1]
    if size(lo, hi) > budget:
        return _cut_words(text, lo, hi, hs, he, budget)
    # Grow by whole sentences, after the kept one first (it usually finishes the thought).
    grew = True
    while grew:
        grew = False
        for side in ("after", "before"):
            if side == "after" and last + 1 < len(spans) and size(lo, spans[last + 1][1]) <= budget:
                last += 1
                hi = spans[last][1]
                grew = True
            elif side == "before" and first > 0 and size(spans[first - 1][0], hi) <= budget:
                first -= 1
                lo = spans[first][0]
                grew = True
    return pieces(lo, hi)


def _cut_words(text: str, lo: int, hi: int, hs: int, he: int, budget: int) -> tuple[str, str, str]:
    """One sentence longer than the budget: keep its start, cut at a word boundary."""
    head = ELLIPSIS if lo > 0 else ""
    room = budget - utf16_len(head) - utf16_len(ELLIPSIS)
    units = [0]  # units[k]: UTF-16 length of text[lo:lo + k]
    for ch in text[lo:hi]:
        units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
    end = lo
    for word in re.finditer(r"\S+", text[lo:hi]):
        if units[word.end()] > room:
            break
        end = lo + word.end()
    if end == lo:  # not even one word fits: cut inside it
        end = lo + max((k for k in range(hi - lo + 1) if units[k] <= room), default=0)
    a, b = max(lo, min(hs, end)), min(end, max(he, lo))
    return head + text[lo:a], text[a:b], text[b:end] + ELLIPSIS


def _verbatim_html(part: Verbatim, budget: int | None) -> str:
    before, kept, after = trim(part.text, part.highlight, utf16_len(part.text) if budget is None else budget)
    body = part.prefix + esc(before) + (f"<b>{esc(kept)}</b>" if part.bold and kept else esc(kept)) + esc(after)
    return f"<blockquote>{body}</blockquote>" if part.blockquote else body


Part = str | Verbatim  # a str is finished HTML


def assemble(parts: Sequence[Part], limit: int = MAX_LENGTH) -> str:
    """Join parts with newlines; trim the longest verbatim parts until the message fits `limit`."""
    budgets: dict[int, int | None] = {i: None for i, p in enumerate(parts) if isinstance(p, Verbatim)}

    def build() -> str:
        out = [p if isinstance(p, str) else _verbatim_html(p, budgets[i]) for i, p in enumerate(parts)]
        return "\n".join(out)

    markup = build()
    while (overflow := visible_length(markup) - limit) > 0:
        sizes = {i: budgets[i] if budgets[i] is not None else utf16_len(parts[i].text)  # type: ignore[union-attr]
                 for i in budgets}
        trimmable = {i: s for i, s in sizes.items() if s > 1}
        if not trimmable:
            raise ValueError("message does not fit even with every passage trimmed")
        longest = max(trimmable, key=lambda i: trimmable[i])
        budgets[longest] = max(trimmable[longest] - overflow, 1)
        markup = build()
    return markup


# ---------------------------------------------------------------------------------------------
# Cards


def _quote(passage: Passage, url: str | None, *, bold: bool) -> list[Part]:
    return [Verbatim(passage.text, passage.highlight, bold=bold), attribution_line(passage, url)]


def doesnt_say(several_stories: bool, story_title: str | None = None) -> str:
    """Plain text: which story (or stories) did not say; `story_title` names the one story searched
    when the chat chose it among several, so the user knows the others were not asked."""
    if story_title is not None:
        return f"“{story_title}” doesn’t say."
    return "The stories don’t say." if several_stories else "The story doesn’t say."


def elsewhere_title(story_title: str) -> str:
    """An inline result's title when the chosen story doesn't say and the quotes after it come from others."""
    return f"“{story_title}” doesn’t say — other stories do:"


def answer_card(passages: Sequence[Passage], urls: dict[str, str | None], *, answered: bool,
                question: str | None = None, several_stories: bool = False, story_title: str | None = None) -> str:
    """The reply to a question: the answering passage(s), or a plain "doesn't say" (naming
    `story_title`, the one story searched, if given) with the closest passage (if any is given)
    labelled as not an answer."""
    parts: list[Part] = [_echo(question)] if question else []
    if not answered:
        parts.append(esc(doesnt_say(several_stories, story_title)))
        if passages:
            parts.append("<i>Closest passage (not an answer):</i>")
            parts += _quote(passages[0], urls.get(passages[0].source), bold=False)
        return assemble(parts)
    for i, passage in enumerate(passages):
        if i:
            parts.append("")
        parts += _quote(passage, urls.get(passage.source), bold=True)
    return assemble(parts)


def page_card(passage: Passage, url: str | None, *, rank: int, total: int, answers: bool,
              question: str | None = None) -> str:
    """One of the further quotes ("More quotes"), labelled by whether it answers too."""
    parts: list[Part] = [_echo(question)] if question else []
    label = f"Quote {rank + 1} of {total}" if answers else \
        f"Related passage {rank + 1} of {total} (may not answer the question)"
    parts.append(f"<i>{label}</i>")
    parts += _quote(passage, url, bold=answers)
    return assemble(parts)


def context_card(passage: Passage, before: Paragraph | None, after: Paragraph | None, url: str | None,
                 *, answers: bool, question: str | None = None) -> str:
    """The quoted paragraph between the ones before and after it."""
    parts: list[Part] = [_echo(question)] if question else []
    parts.append(f"<i>Context of ¶{passage.paragraph}</i>")
    if before:  # trimmed from its start: its last sentence leads into the quote
        parts.append(Verbatim(before.text, before.sentences[-1], blockquote=False, prefix=f"<i>¶{before.number}</i> "))
    parts.append(Verbatim(passage.text, passage.highlight, bold=answers, prefix=f"<i>¶{passage.paragraph}</i> "))
    if after:
        parts.append(Verbatim(after.text, blockquote=False, prefix=f"<i>¶{after.number}</i> "))
    parts.append(attribution_line(passage, url))
    return assemble(parts)


def _story_title(story: StoryInfo) -> str:
    return f"<a href=\"{html.escape(story.url, quote=True)}\">{esc(story.title)}</a>" if story.url \
        else f"“{esc(story.title)}”"


def _story_line(story: StoryInfo, *, show_id: bool = False, chosen: bool = False) -> str:
    count = f"{story.paragraphs} paragraph{'' if story.paragraphs == 1 else 's'}"
    line = f"• {_story_title(story)} — {esc(story.outlet) + ', ' if story.outlet else ''}{count}"
    if show_id:  # what /story takes; <code> makes it copy on tap
        line += f" · <code>{esc(story.id)}</code>"
    return line + (" ✓ <i>this chat’s story</i>" if chosen else "")


def _story_list(stories: Sequence[StoryInfo], room: int, *, show_ids: bool = False,
                chosen: str | None = None) -> list[str]:
    """Lines for as many stories as fit in `room` visible characters, then "… and N more"."""
    lines: list[str] = []
    used = 0
    for i, story in enumerate(stories):
        line = _story_line(story, show_id=show_ids, chosen=story.id == chosen)
        more = f"… and {len(stories) - i - 1} more" if i + 1 < len(stories) else ""
        if used + visible_length(line) + 1 + len(more) + 1 > room:
            lines.append(f"… and {len(stories) - i} more")
            break
        lines.append(line)
        used += visible_length(line) + 1
    return lines


def sources_card(stories: Sequence[StoryInfo], *, choosable: bool = False, chosen: str | None = None) -> str:
    """/sources: every story with outlet and paragraph count; when the chat can choose one
    (`choosable`), also each story's id and which one the chat uses (`chosen`)."""
    head = f"<b>Stories I can quote</b> ({len(stories)})"
    if not choosable:
        return "\n".join([head, *_story_list(stories, MAX_LENGTH - visible_length(head) - 1)])
    foot = ("Tap a story below (or send /story &lt;id&gt;) to quote only that story in this chat"
            + ("; /story all to quote every story again." if chosen else "."))
    room = MAX_LENGTH - visible_length(head) - visible_length(foot) - 3
    return "\n".join([head, *_story_list(stories, room, show_ids=True, chosen=chosen), "", foot])


def start_card(stories: Sequence[StoryInfo], has_examples: bool) -> str:
    """/start: what the bot does, the stories it knows, an invitation to ask."""
    intro = ("Hi! I answer questions about news stories by quoting the story itself — "
             "the paragraph, word for word, with who said it and where.")
    known = f"I know {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}:"
    outro = "Ask me anything about " + ("it" if len(stories) == 1 else "them") + \
        (", or tap an example:" if has_examples else ".")
    room = MAX_LENGTH - sum(visible_length(s) + 2 for s in (intro, known, outro))
    return "\n".join([intro, "", known, *_story_list(stories, room), "", outro])


def help_card(username: str) -> str:
    """/help: how to ask in each kind of chat, and the commands."""
    bot = esc(f"@{username}")
    return "\n".join([
        "<b>How to ask</b>",
        "Send me a question here and I reply with the paragraph of the story that answers it, "
        "quoted word for word, the answering sentence in bold.",
        f"• In groups: /ask &lt;question&gt;, mention {bot}, or reply to one of my messages.",
        f"• In any chat: type {bot} &lt;question&gt; and pick a quote to share.",
        "• Under an answer: <i>More quotes</i> shows further passages, <i>Context</i> the paragraphs around it.",
        "",
        "<b>Commands</b>",
        "/ask &lt;question&gt; — quote the passage that answers it",
        "/check &lt;claim&gt; — fact-check it: supported, contradicted or not in the story, with the quote that decides",
        "/brief — the story’s key points, quoted",
        "/sources — the stories I know",
        "/story &lt;id&gt; — quote only that story in this chat",
        "/help — this message",
    ])


def usage_card(example: str | None) -> str:
    """/ask without a question."""
    text = "Put your question after the command, for example:\n"
    return text + f"/ask {esc(example or 'What happened?')}"


def notice(text: str) -> str:
    """A one-line message of ours (errors, hints), escaped."""
    return esc(text)


def error_notice(error: Exception) -> str:
    """A refused request (an InputError, a story that could not be added) told as a notice."""
    return notice(sentence_case(str(error)))


def inline_title(passage: Passage) -> str:
    """Title of an inline result: the answering sentence, short enough for the result list."""
    sentence = " ".join(passage.highlight.split())
    return sentence if len(sentence) <= 120 else sentence[:119].rsplit(" ", 1)[0] + ELLIPSIS


# ---------------------------------------------------------------------------------------------
# Fact-checks, briefs, choosing a story

VERDICT_ICONS = {"supported": "✅", "contradicted": "❌", "not_in_story": "❔"}


def check_card(result: ClaimCheck, urls: dict[str, str | None], *, scope: str | None = None) -> str:
    """/check: the verdict, the reason in one line, and the passage(s) that decide it, each with
    its deciding sentence in bold. `scope` says what was searched when nothing is quoted."""
    parts: list[Part] = [f"{VERDICT_ICONS[result.verdict]} <b>{VERDICT_LABELS[result.verdict]}</b>",
                         Verbatim(sentence_case(result.reason), blockquote=False)]
    for passage in result.evidence:
        parts += _quote(passage, urls.get(passage.source), bold=True)
    if not result.evidence and scope:
        parts.append(f"<i>{esc(scope)}</i>")
    return assemble(parts)


def check_usage() -> str:
    """/check without a claim."""
    return ("Put the claim to check after the command:\n/check &lt;claim&gt;\n"
            "I say whether the story supports it, contradicts it or doesn’t say, and quote the passage that decides.")


def brief_card(brief: Brief, url: str | None) -> str:
    """/brief: a header naming the story and outlet, then each point verbatim with its speaker and ¶
    (the ¶ links to the sentence in the article when the story has a url)."""
    title = f"<a href=\"{html.escape(url, quote=True)}\">{esc(brief.title)}</a>" if url else esc(brief.title)
    parts: list[Part] = [f"📰 <b>{title}</b>" + (f" — {esc(brief.outlet)}" if brief.outlet else ""),
                         f"<i>{len(brief.points)} key points, in story order</i>"]
    for point in brief.points:
        where = f"¶{point.paragraph}"
        if url:
            where = f'<a href="{html.escape(text_fragment_url(url, point.highlight), quote=True)}">{where}</a>'
        parts.append(Verbatim(point.highlight))
        parts.append("— " + (f"{esc(point.speaker)}, " if point.speaker else "") + where)
    return assemble(parts)


def brief_picker() -> str:
    """/brief with several stories and none chosen for the chat."""
    return "Which story? Tap one for its key points — it also becomes this chat’s story."


def story_chosen(story: StoryInfo, *, private: bool) -> str:
    """/story <id> (or a story button): the chat now quotes only `story`. Inline answers follow
    the choice made in the user's private chat with the bot."""
    uses = "Questions, /check, /brief and inline answers" if private else "Questions, /check and /brief here"
    return "\n".join([
        f"This chat now quotes only {_story_title(story)}" + (f" — {esc(story.outlet)}." if story.outlet else "."),
        f"{uses} use it; /story all to quote every story again.",
    ])


def story_cleared(count: int) -> str:
    """/story all: the chat quotes every story again."""
    return f"This chat now quotes all {count} stories."


def unknown_story(wanted: str, ids: Sequence[str]) -> str:
    """/story with an id the index does not have."""
    shown = ", ".join(f"<code>{esc(i)}</code>" for i in ids[:30])
    more = f" and {len(ids) - 30} more (see /sources)" if len(ids) > 30 else ""
    wanted = wanted if len(wanted) <= 60 else wanted[:59] + ELLIPSIS
    return f"There is no story with id “{esc(wanted)}”. The ids are: {shown}{more}."
