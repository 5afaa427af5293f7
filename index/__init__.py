"""storybot's retrieval library: sources → paragraphs → embeddings → FAISS + BM25 → answers.

Nothing in here imports Telegram; the bot and the CLI both sit on top of it.
"""

from storybot.index.errors import StorybotError
from storybot.index.models import Answer, Paragraph, Passage, Story

__all__ = ["Answer", "Paragraph", "Passage", "Story", "StorybotError"]
