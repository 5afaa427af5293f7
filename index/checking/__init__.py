"""Fact-checking a claim against the stories: the facts a sentence states (facts) and the verdict (check)."""
