"""The baseline perf.py's end-to-end row is measured against: a plain dense bot.

    STORYBOT_DATA_DIR=… TELEGRAM_BOT_TOKEN=… TELEGRAM_BASE_URL=http://127.0.0.1:…/bot python benchmarks/plain_dense_bot.py

What a RAG bot pasted together does: embed the question with the same model, take the nearest
paragraph from the same FAISS index, reply with its text. No typo fixing, no keyword index, no
reader, no decision whether it answers, no attribution card. It shares storybot's index, model and
python-telegram-bot, so the difference between the two rows is what storybot's answering adds.
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from storybot import open_engine
from storybot.settings import load_settings


async def nearest_paragraph(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the paragraph nearest to the question."""
    index, embedder = context.bot_data["index"], context.bot_data["embedder"]
    vector = embedder.encode_query(update.effective_message.text)
    _, rows = index.faiss_index.search(vector.reshape(1, -1), 1)
    await update.effective_message.reply_text(html.escape(index.paragraphs[int(rows[0][0])].text))


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # request URLs hold the token
    settings = load_settings(reader="none")
    engine = open_engine(settings)
    app = (Application.builder().token(settings.telegram_bot_token.get_secret_value())
           .base_url(settings.telegram_base_url).concurrent_updates(True).build())
    app.bot_data.update(index=engine.index, embedder=engine.embedder)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, nearest_paragraph))
    app.run_polling(allowed_updates=[Update.MESSAGE])


if __name__ == "__main__":
    main()
