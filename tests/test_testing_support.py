"""The local Bot API runs on its own for manual trials: `python -m storybot.testing.botapi`."""

import subprocess
import sys


def test_the_local_bot_api_runs_on_its_own_and_says_how_to_use_it():
    process = subprocess.Popen([sys.executable, "-m", "storybot.testing.botapi", "--token", "42:trial"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("local Bot API on http://127.0.0.1:")
        url = first.split(" on ")[1].split(";")[0]
        assert url.endswith("/bot")
        assert f"TELEGRAM_BOT_TOKEN=42:trial TELEGRAM_BASE_URL={url} storybot run" in process.stdout.readline()
    finally:
        process.stdin.close()  # end of input: it stops by itself
        assert process.wait(timeout=30) == 0
