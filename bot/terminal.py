"""Render answers for a terminal: the quoted paragraph with its answering sentence highlighted."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from index.models import Answer, Passage


def attribution(passage: Passage) -> str:
    """"speaker, outlet, "title", ¶N" — the line under every quote, in the terminal and in Telegram."""
    parts = [p for p in (passage.speaker, passage.outlet) if p]
    parts.append(f"“{passage.title}”")
    parts.append(f"¶{passage.paragraph}")
    return ", ".join(parts)


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
