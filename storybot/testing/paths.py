"""Where the repository's test material is: the bundled story and the fixture stories."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout (tests run from an editable install)
SOURCES = ROOT / "sources"
FIXTURES = ROOT / "tests" / "fixtures"
STORY_ID = "netanyahu-zelensky-un-vote"
SECOND_STORY_ID = "riverton-bridge"
