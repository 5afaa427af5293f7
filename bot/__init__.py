"""storybot's front ends: the Telegram bot, its rendering, and the `storybot` CLI."""
