"""Render answers for a terminal: the quoted paragraph with its answering sentence highlighted."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from storybot.present import VERDICT_LABELS, attribution
from storybot.index.models import Answer, Brief, ClaimCheck, Passage

_VERDICT_STYLES = {"supported": "bold green", "contradicted": "bold red", "not_in_story": "bold yellow"}


def quote(passage: Passage) -> Text:
    """The paragraph verbatim, the highlighted sentence in bold."""
    text = Text("“", style="dim")
    start = passage.text.find(passage.highlight)
    if start < 0:
        text.append(passage.text)
    else:
        text.append(passage.text[:start])
        text.append(passage.highlight, style="bold yellow")
        text.append(passage.text[start + len(passage.highlight):])
    text.append("”", style="dim")
    return text


def print_answer(console: Console, answer: Answer, threshold: float) -> None:
    """Question, then the passage(s) that answer; or a plain "doesn't say" with the closest passage labelled."""
    console.print(Text(f"Q: {answer.question}", style="bold"))
    shown = [p for p in answer.passages if p.score >= threshold]
    if not answer.answered:
        shown = answer.passages
        console.print(Text("The story doesn't say." + (" Closest passage (not an answer):" if shown else ""),
                           style="italic"))
        shown = shown[:1]
    for i, passage in enumerate(shown):
        if i:
            console.print(Text("Also:", style="dim"))
        console.print(quote(passage))
        console.print(Text(f"  — {attribution(passage)}", style="cyan"))
    console.print()


def print_check(console: Console, result: ClaimCheck) -> None:
    """Claim, verdict and reason, then the deciding quote(s) with attribution."""
    console.print(Text(f"Claim: {result.claim}", style="bold"))
    line = Text(VERDICT_LABELS[result.verdict], style=_VERDICT_STYLES[result.verdict])
    line.append(f" — {result.reason}", style="")
    console.print(line)
    for passage in result.evidence:
        console.print(quote(passage))
        console.print(Text(f"  — {attribution(passage)}", style="cyan"))
    console.print()


def print_brief(console: Console, brief: Brief) -> None:
    """Header naming the story and outlet, then the points in story order, each with ¶N and speaker."""
    header = f"{brief.title}" + (f" — {brief.outlet}" if brief.outlet else "")
    console.print(Text(header, style="bold"))
    for i, point in enumerate(brief.points, 1):
        line = Text(f"{i}. ", style="bold")
        line.append(point.highlight)
        console.print(line)
        where = ", ".join(x for x in (point.speaker, f"¶{point.paragraph}") if x)
        console.print(Text(f"   — {where}", style="cyan"))
    console.print()


def print_gaps(console: Console, gaps) -> None:
    """`storybot gaps`: each group's count and wordings, largest first."""
    if not gaps.groups:
        console.print("No declined questions recorded.")
        return
    console.print(f"{gaps.questions} declined question{'' if gaps.questions == 1 else 's'} "
                  f"in {len(gaps.groups)} group{'' if len(gaps.groups) == 1 else 's'}:")
    for group in gaps.groups:
        lead, *others = group.examples
        console.print(f"\n[bold]{group.count}×[/bold] {escape(lead)}")
        for other in others:
            console.print(f"    also: {escape(other)}")
        stories = ", ".join(s or "all stories" for s in group.sources)
        console.print(f"    [dim]asked about: {escape(stories)}[/dim]")
