"""`python -m storybot` is the `storybot` command."""

from storybot.cli import main

if __name__ == "__main__":
    main()
