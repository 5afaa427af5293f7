"""Answering: ranking paragraphs for a question and deciding whether one answers it (search), and
story briefs (brief)."""
