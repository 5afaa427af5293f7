# storybot: the Telegram bot, its embedding model and a built index in one CPU-only image.
# Nothing is downloaded at run time; the index and the model's ONNX export are made at build time.
#
#   docker build -t storybot .
#   docker run -d --name storybot -e TELEGRAM_BOT_TOKEN=123456789:AA... storybot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    STORYBOT_SOURCES=/app/sources \
    STORYBOT_DATA_DIR=/app/data

# CPU torch first and pinned, from PyTorch's CPU index: the default wheel drags in GBs of CUDA.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

WORKDIR /app
COPY pyproject.toml README.md ./
COPY storybot ./storybot
COPY index ./index
COPY bot ./bot
RUN pip install ".[postgres]" \
    && useradd --create-home --uid 10001 storybot \
    && install -d -o storybot -g storybot /app/data

COPY sources ./sources
USER storybot
# Exports the bundled model to ONNX into /app/data/models and builds /app/data/index, so a
# container answers about a second after it starts.
RUN storybot index build --strict

# Webhook mode (STORYBOT_WEBHOOK_URL set) listens here; polling mode needs no port.
ENV STORYBOT_WEBHOOK_LISTEN=0.0.0.0 STORYBOT_WEBHOOK_PORT=8443
EXPOSE 8443

# Healthy = the index files are all there with their recorded sizes and match the sources
# (exit 1: missing or stale, 2: damaged; `storybot index status --full` also checks every checksum).
HEALTHCHECK --interval=60s --timeout=30s --start-period=30s --retries=3 CMD ["storybot", "index", "status"]

CMD ["storybot", "run"]
