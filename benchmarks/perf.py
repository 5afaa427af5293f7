"""storybot's speed and scale on this machine, as one table (the README's "Performance" quotes it).

    python benchmarks/perf.py                  # everything: 1–2 hours on 2 cores, ~18 GB RAM at peak
    python benchmarks/perf.py --quick          # small archives: about ten minutes
    python benchmarks/perf.py --only latency,cold,e2e
    python benchmarks/perf.py --only archive,ann --archive-paragraphs 25000 --work /tmp/perf

Rows:
  latency  question → Answer in-process on the bundled story, warm, every question new (the
           query cache is off), p50/p99 over all benchmark questions × --repeat; plus a repeated
           question (LRU hit) and question encoding alone per embedding backend;
  cold     `storybot ask --json` with a built index: process start → answer printed (median);
  e2e      `storybot run` against the fake Bot API on 127.0.0.1 (storybot.testing.botapi): update
           available → sendMessage received, p50/p99; start-up → polling; and 30 sendMessage
           calls in a row over one kept-alive connection (delayed-ACK stalls would show here);
  build    `build_index` of a synthetic archive (--build-paragraphs), per STORYBOT_EMBEDDER setting:
           paragraphs/s (one pass a paragraph, its sentences pooled from it; torch embeds each
           sentence again), texts through the model per second, peak memory;
  archive  --archive paragraphs embedded for real (synthetic text, benchmarks/synthetic.py):
           build time, disk, memory, answer p50/p99 through the ANN index, recall@10 against exact;
  ann      the FAISS part alone at --ann-vectors (1M): random unit vectors, as the issue asks, and
           "structured" vectors (mixtures of real paragraph embeddings plus noise, which have the
           neighbourhoods real text has and random vectors lack); build time, file size, memory
           after loading, query p50/p99 (k = 100 candidates, as search asks), recall@10;
  full     --full-paragraphs (1M) synthetic paragraphs through the real build_index and Engine,
           with mixed real vectors instead of embedding each text (which would take days here):
           build, disk, answer p50/p99, memory after the questions (private, and the
           pages of mapped files touched), start-up, recall. build_index peaks at ~13 GB at 1M.

Each heavy measurement runs in its own child process (`--child NAME`), so memory figures are its
own and a torch import in one row cannot affect another. The machine may be shared: timings are
medians, and the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

SOURCES = ROOT / "sources"
QUESTIONS = ROOT / "benchmarks" / "data" / "story_questions.jsonl"
SECTIONS = ("latency", "cold", "e2e", "build", "archive", "ann", "full")
BACKENDS = ("onnx", "onnx-int8", "torch")


# ------------------------------------------------------------------------------------ helpers


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def rss_mb(kind: str = "VmRSS") -> float:
    """Resident memory; kind "RssAnon" leaves out pages of memory-mapped files (index columns,
    libraries), which the kernel can drop and re-read whenever it needs the memory; "VmHWM" is the peak."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(kind + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def memory_mb() -> dict[str, float]:
    """The process's memory now: private (anonymous) pages, and the pages of mapped files it has
    touched (the index's vectors and postings, shared libraries) — both count against a 2 GB box."""
    private = rss_mb("RssAnon")
    return {"private_mb": private, "mapped_mb": rss_mb("RssFile") + rss_mb("RssShmem"), "peak_mb": rss_mb("VmHWM")}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def story_questions() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text("utf-8").splitlines() if line.strip()]


def wikiqa_questions() -> list[str]:
    from wikiqa import DEFAULT_TSV, read_wikiqa

    return [q.question for q in read_wikiqa(DEFAULT_TSV)[1]]


def child(name: str, work: Path, **kwargs: object) -> dict:
    """Run `name` in a fresh interpreter; return the JSON it prints last."""
    cmd = [sys.executable, __file__, "--child", name, "--work", str(work), "--kwargs", json.dumps(kwargs)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"child {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def storybot_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYBOT_", "TELEGRAM_"))}
    return {**env, "HF_HUB_OFFLINE": "1", "STORYBOT_DATA_DIR": str(work / "data"), "STORYBOT_SOURCES": str(SOURCES)}


# ------------------------------------------------------------------------------------ children
# Each takes the work directory and keyword arguments and returns a JSON-able dict.


def child_prepare(work: Path) -> dict:
    """Export the model (once) and build the bundled story's index where the CLI will look."""
    from storybot.index.embedding.embedder import Embedder
    from storybot.index.storage.store import build_index

    data = work / "data"
    embedder = Embedder(cache_dir=data / "models")
    manifest = build_index(SOURCES, data / "index", embedder)
    for backend in ("onnx-int8",):  # exported now so that no timed row pays for it
        Embedder(backend=backend, cache_dir=data / "models")
    return {"backend": embedder.backend, "paragraphs": manifest.paragraphs}


def child_latency(work: Path, repeat: int) -> dict:
    from storybot.index.embedding.embedder import Embedder
    from storybot.index.answering.search import Engine
    from storybot.index.storage.store import load_index

    from storybot.index.reading.load import load_reader
    from storybot.index.service import open_reader

    data = work / "data"
    index = load_index(data / "index")
    questions = story_questions()
    embedder = Embedder(cache_dir=data / "models", query_cache_size=0)
    shipped = open_reader("auto")  # the reader the shipped weights were fitted for, if any
    reader = load_reader(shipped.name, cache_size=0) if shipped is not None else None
    first_stage = Engine(index, embedder)
    fresh = Engine(index, embedder, reader=reader)
    for q in questions[:10]:  # warm-up: first calls allocate
        fresh.ask(q)
        first_stage.ask(q)
    times, cpu, first_times = [], [], []
    for _ in range(repeat):
        for q in questions:
            start, start_cpu = time.perf_counter(), time.process_time()
            fresh.ask(q)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)  # every thread's: the reader reads pairs side by side
            start = time.perf_counter()
            first_stage.ask(q)
            first_times.append(time.perf_counter() - start)
    cached = Engine(index, Embedder(cache_dir=data / "models"), reader=shipped)
    hits = []
    for q in questions:
        cached.ask(q)
        start = time.perf_counter()
        cached.ask(q)
        hits.append(time.perf_counter() - start)
    return {"backend": fresh.embedder.backend, "questions": len(questions), "runs": len(times),
            "reader": reader.name if reader is not None else "none",
            "p50_ms": percentile(times, 50) * 1e3, "p99_ms": percentile(times, 99) * 1e3,
            "first_stage_p50_ms": percentile(first_times, 50) * 1e3,
            "first_stage_p99_ms": percentile(first_times, 99) * 1e3,
            "cpu_p50_ms": percentile(cpu, 50) * 1e3, "cached_p50_ms": percentile(hits, 50) * 1e3,
            "rss_mb": rss_mb()}


def child_encode(work: Path, backend: str, repeat: int) -> dict:
    from storybot.index.embedding.embedder import Embedder

    embedder = Embedder(backend=backend, cache_dir=work / "data" / "models", query_cache_size=0)
    questions = story_questions()
    for q in questions[:10]:
        embedder.encode_query(q)
    times = []
    for _ in range(repeat):
        for q in questions:
            start = time.perf_counter()
            embedder.encode_query(q)
            times.append(time.perf_counter() - start)
    return {"backend": embedder.backend, "p50_ms": percentile(times, 50) * 1e3}


def child_build(work: Path, backend: str, sources: str, index: str) -> dict:
    from storybot.index.embedding.embedder import Embedder
    from storybot.index.storage.store import build_index

    embedder = Embedder(backend=backend, cache_dir=work / "data" / "models")
    shutil.rmtree(index, ignore_errors=True)
    start = time.perf_counter()
    manifest = build_index(Path(sources), Path(index), embedder)
    seconds = time.perf_counter() - start
    return {"backend": embedder.document_backend, "paragraphs": manifest.paragraphs, "sentences": manifest.sentences,
            "embedded": embedder.encoded_texts, "seconds": seconds, "per_s": manifest.paragraphs / seconds,
            "texts_per_s": embedder.encoded_texts / seconds, "peak_rss_mb": peak_rss_mb(), "kind": manifest.kind,
            "disk_mb": dir_size(Path(index) / "current/") / 1e6}


def child_archive_query(work: Path, index: str) -> dict:
    """Answer WikiQA's questions over the archive; recall of the ANN index against exact search."""
    import faiss

    from storybot.index.embedding.embedder import Embedder
    from storybot.index.answering.search import CANDIDATES, Engine
    from storybot.index.storage.store import load_index

    embedder = Embedder(cache_dir=work / "data" / "models", query_cache_size=0)
    start = time.perf_counter()  # start-up proper: the index loaded and the engine ready
    story_index = load_index(Path(index))
    engine = Engine(story_index, embedder)
    load_s = time.perf_counter() - start
    questions = wikiqa_questions()
    for q in questions[:10]:
        engine.ask(q)
    times = []
    for q in questions:
        start = time.perf_counter()
        engine.ask(q)
        times.append(time.perf_counter() - start)
    memory = memory_mb()  # after answering: whatever the questions paged in counts
    queries = embedder.encode(questions)
    exact = faiss.IndexFlatIP(queries.shape[1])
    exact.add(np.ascontiguousarray(story_index.paragraph_vectors, dtype=np.float32))
    _, truth = exact.search(queries, 10)
    _, found = story_index.faiss_index.search(queries, CANDIDATES)
    return {"kind": story_index.manifest.kind, "paragraphs": len(story_index.paragraphs), "load_s": load_s,
            **memory, "rss_mb": memory["private_mb"] + memory["mapped_mb"],
            "p50_ms": percentile(times, 50) * 1e3, "p99_ms": percentile(times, 99) * 1e3,
            "recall10": recall(found[:, :10], truth), "candidate_recall10": recall(found, truth)}


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    """Share of the exact top 10 found among `found` (its first 10 columns, or all candidates)."""
    return float(np.mean([len(set(f.tolist()) & set(t.tolist())) / truth.shape[1] for f, t in zip(found, truth)]))


def child_ann_build(work: Path, kind: str, n: int, base: str | None) -> dict:
    """Make n vectors (random, or structured around real embeddings), build storybot's index over them."""
    import faiss

    from storybot.index.embedding.embedder import Embedder
    from storybot.index.storage.store import build_vector_index

    rng = np.random.default_rng(7)
    dimension = 384
    if kind == "random":
        vectors = unit(rng.standard_normal((n, dimension), dtype=np.float32))
        queries = unit(rng.standard_normal((500, dimension), dtype=np.float32))
    else:
        real = np.load(base, mmap_mode="r") if base else synthetic_vectors(work)
        vectors = np.empty((n, dimension), dtype=np.float32)
        for lo in range(0, n, 100_000):  # in chunks: the temporaries of 1M at once would double the peak
            m = min(100_000, n - lo)
            i, j = rng.integers(0, len(real), m), rng.integers(0, len(real), m)
            a = rng.uniform(0.5, 1.0, (m, 1)).astype(np.float32)
            mix = a * real[i] + (1 - a) * real[j] + 0.045 * rng.standard_normal((m, dimension), dtype=np.float32)
            vectors[lo:lo + m] = unit(mix)
        queries = Embedder(cache_dir=work / "data" / "models").encode(wikiqa_questions()[:500])
    start = time.perf_counter()
    index, label = build_vector_index(vectors)
    build_s = time.perf_counter() - start
    build_peak = peak_rss_mb()
    path = work / f"ann-{kind}.faiss"
    faiss.write_index(index, str(path))
    del index
    exact = faiss.IndexFlatIP(dimension)
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    np.save(work / f"ann-{kind}-vectors.npy", vectors)
    np.save(work / f"ann-{kind}-queries.npy", queries)
    np.save(work / f"ann-{kind}-truth.npy", truth)
    return {"kind": label, "n": n, "build_s": build_s, "build_peak_mb": build_peak,
            "file_mb": path.stat().st_size / 1e6}


def child_ann_query(work: Path, kind: str) -> dict:
    """Load the index as storybot does, time single questions (k = 100), recall@10."""
    import faiss

    import storybot.index.storage.store as store
    from storybot.index.answering.search import CANDIDATES

    base = rss_mb()
    start = time.perf_counter()
    index = faiss.read_index(str(work / f"ann-{kind}.faiss"))
    if isinstance(index, faiss.IndexIVF):
        index.nprobe = store.ANN_PROBES
    load_s = time.perf_counter() - start
    loaded = rss_mb()
    queries = np.load(work / f"ann-{kind}-queries.npy")
    truth = np.load(work / f"ann-{kind}-truth.npy")
    vectors = np.load(work / f"ann-{kind}-vectors.npy", mmap_mode="r")
    for q in queries[:20]:
        index.search(q[None, :], CANDIDATES)
    times, found, reranked = [], [], []
    for q in queries:
        start = time.perf_counter()
        _, ids = index.search(q[None, :], CANDIDATES)
        times.append(time.perf_counter() - start)
        ids = ids[0][ids[0] >= 0]
        found.append(ids[:10])
        order = np.argsort(-(np.asarray(vectors[np.sort(ids)]) @ q), kind="stable")  # search's exact re-score
        reranked.append(np.sort(ids)[order][:10])
    return {"load_s": load_s, "index_rss_mb": loaded - base, "rss_mb": loaded,
            "p50_ms": percentile(times, 50) * 1e3, "p99_ms": percentile(times, 99) * 1e3,
            "recall10": recall(np.array(found), truth), "rescored_recall10": recall(np.array(reranked), truth)}


class MixedVectors:
    """Stands in for the embedder when building an archive too large to embed here: each text gets
    a deterministic mixture of two real paragraph embeddings plus noise (as the "structured" ANN
    vectors), so the index has the shape and neighbourhoods of a real one. Questions are still
    encoded by the real model."""

    def __init__(self, name: str, base: np.ndarray) -> None:
        self.name, self.dimension, self.base, self.encoded_texts = name, base.shape[1], base, 0

    def encode(self, texts: list[str], *, progress=None) -> np.ndarray:
        import hashlib

        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for lo in range(0, len(texts), 100_000):
            chunk = texts[lo:lo + 100_000]
            seeds = np.array([int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
                              for t in chunk], dtype=np.uint64)
            rng = np.random.default_rng(seeds[:4])  # noise; the mixture itself is a function of the text
            i, j = seeds % len(self.base), (seeds >> np.uint64(32)) % len(self.base)
            a = (0.5 + (seeds >> np.uint64(16)) % 1000 / 2000.0).astype(np.float32)[:, None]
            noise = 0.045 * rng.standard_normal((len(chunk), self.dimension), dtype=np.float32)
            out[lo:lo + len(chunk)] = unit(a * self.base[i] + (1 - a) * self.base[j] + noise)
            if progress:
                progress(len(chunk))
        self.encoded_texts += len(texts)
        return out


def child_full_build(work: Path, n: int, base: str | None) -> dict:
    """An archive of n synthetic paragraphs through the real build_index, vectors from MixedVectors."""
    from storybot.index.embedding.embedder import DEFAULT_MODEL
    from storybot.index.storage.store import build_index
    from synthetic import write_archive

    sources, index = work / "full-sources", work / "full-index"
    if not sources.exists():
        write_archive(sources, n, seed=9)
    shutil.rmtree(index, ignore_errors=True)
    real = np.load(base) if base else synthetic_vectors(work)
    start = time.perf_counter()
    manifest = build_index(sources, index, MixedVectors(DEFAULT_MODEL, real))
    return {"paragraphs": manifest.paragraphs, "sentences": manifest.sentences, "kind": manifest.kind,
            "build_s": time.perf_counter() - start, "peak_rss_mb": peak_rss_mb(),
            "disk_mb": dir_size(index / "current/") / 1e6}


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def synthetic_vectors(work: Path, n: int = 5000) -> np.ndarray:
    """Real embeddings of a small synthetic archive: the seed of the structured vectors without --archive."""
    from storybot.index.embedding.embedder import Embedder
    from storybot.index.storage.sources import load_sources
    from synthetic import write_archive

    write_archive(work / "seed-sources", n, seed=3)
    texts = [f"{s.title}: {p.text}" for s in load_sources(work / "seed-sources") for p in s.paragraphs]
    return Embedder(cache_dir=work / "data" / "models").encode(texts)


CHILDREN = {"prepare": child_prepare, "latency": child_latency, "encode": child_encode, "build": child_build,
            "archive-query": child_archive_query, "ann-build": child_ann_build, "ann-query": child_ann_query,
            "full-build": child_full_build}


# ------------------------------------------------------------------------------------ sections


def cold_start(work: Path, repeat: int) -> dict:
    question = "How many countries voted in favor of the resolution?"
    cmd = [sys.executable, "-m", "storybot", "ask", "--json", question]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=storybot_env(work))
        times.append(time.perf_counter() - start)
        if out.returncode != 0 or not json.loads(out.stdout)["passages"]:
            raise RuntimeError(f"storybot ask failed: {out.stderr[-2000:]}")
    return {"median_s": statistics.median(times), "runs": len(times)}


def end_to_end(work: Path, repeat: int, *, plain: bool = False) -> dict:
    """`storybot run` (a child process) against the fake Bot API in this process; with `plain`, the
    plain dense bot (benchmarks/plain_dense_bot.py) over the same index instead."""
    from storybot.testing.botapi import FakeBotAPI

    token = "4242:perf-token"
    questions = story_questions()
    with FakeBotAPI(token=token) as api:
        env = {**storybot_env(work), "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_BASE_URL": api.base_url}
        log = open(work / "bot.log", "w+")  # a file, not a pipe: a chatty bot can never block on it
        start = time.perf_counter()
        command = [str(ROOT / "benchmarks" / "plain_dense_bot.py")] if plain else ["-m", "storybot", "run"]
        bot = subprocess.Popen([sys.executable, *command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            if not plain:  # storybot announces its commands once it is ready; the plain bot has none
                api.wait_for_sync("setMyCommands", timeout=300)
            ready_s = time.perf_counter() - start
            api.wait_for_sync("getUpdates", timeout=300 if plain else 60)
            latencies = []
            pushed = 0.0
            for i, q in enumerate(questions[:10] + questions * repeat):  # the first ten warm up
                # Telegram allows a bot ~30 messages a second and the bot's rate limiter keeps to
                # that: back-to-back questions would measure the limiter (1/30 s a reply), not latency.
                time.sleep(max(0.0, 0.05 - (time.time() - pushed)))
                before = len(api.calls_for("sendMessage"))
                pushed = time.time()
                api.push_message(q, user_id=5000 + i)  # many users: the per-user rate limit stays out of it
                reply = api.wait_for_sync("sendMessage", count=before + 1, timeout=60)[before]
                latencies.append(reply.timestamp - pushed)
        except TimeoutError as exc:
            log.seek(0)
            raise RuntimeError(f"{exc}\nbot log:\n{log.read()[-3000:]}") from None
        finally:
            bot.send_signal(signal.SIGTERM)
            try:
                bot.wait(timeout=60)
            except subprocess.TimeoutExpired:
                bot.kill()
            log.close()
    latencies = latencies[10:]
    return {"ready_s": ready_s, "p50_ms": percentile(latencies, 50) * 1e3,
            "p99_ms": percentile(latencies, 99) * 1e3, "runs": len(latencies)}


def keep_alive(requests: int = 30) -> dict:
    """`requests` sendMessage calls through python-telegram-bot to the local Bot API, one after another
    over its kept-alive connection. ~40 ms delayed-ACK stalls per request would show as over 1.2 s."""
    import asyncio

    from telegram import Bot
    from telegram.constants import ParseMode

    from storybot.testing.botapi import DEFAULT_USER_ID, FakeBotAPI

    token = "4242:perf-token"

    async def run() -> float:
        async with FakeBotAPI(token=token) as api, Bot(token, base_url=api.base_url) as bot:
            start = time.perf_counter()
            for n in range(requests):
                await bot.send_message(DEFAULT_USER_ID, f"<i>{n}</i>", parse_mode=ParseMode.HTML)
            return time.perf_counter() - start

    return {"requests": requests, "total_ms": asyncio.run(run()) * 1e3}


# ------------------------------------------------------------------------------------ table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true", help="small archives (5k paragraphs, 100k vectors)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds over the question set / cold starts")
    parser.add_argument("--build-paragraphs", type=int, default=2000)
    parser.add_argument("--build-backends", default="auto,onnx,torch")
    parser.add_argument("--archive-paragraphs", type=int, default=100_000)
    parser.add_argument("--ann-vectors", type=int, default=1_000_000)
    parser.add_argument("--full-paragraphs", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, help="working directory (default: a temporary one, removed after)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--kwargs", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = CHILDREN[args.child](args.work, **json.loads(args.kwargs))
        print(json.dumps(result))
        return
    if args.quick:
        args.build_paragraphs, args.archive_paragraphs, args.ann_vectors, args.full_paragraphs = 500, 5_000, 100_000, 50_000
    only = set(args.only.split(","))
    if only - set(SECTIONS):
        parser.error(f"unknown section(s): {', '.join(sorted(only - set(SECTIONS)))}")
    work = args.work or Path(tempfile.mkdtemp(prefix="storybot-perf-"))
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    rows: list[tuple[str, str, str]] = []

    def row(metric: str, measured: str, target: str = "") -> None:
        rows.append((metric, measured, target))
        print(f"  {metric}: {measured}", file=sys.stderr, flush=True)

    try:
        child("prepare", work)
        if "latency" in only:
            r = child("latency", work, repeat=args.repeat)
            row(f"answer in-process, bundled story, new questions, reader {r['reader']} (p50 / p99, {r['runs']} asks)",
                f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f} ms", "≤ 30 / ≤ 100 ms")
            row("  first stage alone (no reader), p50 / p99",
                f"{r['first_stage_p50_ms']:.1f} / {r['first_stage_p99_ms']:.1f} ms")
            row("  CPU time per new question, p50 (all threads: what one idle core would take)", f"{r['cpu_p50_ms']:.1f} ms")
            row("  same question again (query cache hit), p50", f"{r['cached_p50_ms']:.2f} ms")
            row("  memory of the answering process", f"{r['rss_mb']:.0f} MB")
            enc = {b: child("encode", work, backend=b, repeat=args.repeat)["p50_ms"] for b in BACKENDS}
            row("  question encoding alone, p50: " + " / ".join(BACKENDS),
                " / ".join(f"{enc[b]:.1f}" for b in BACKENDS) + " ms")
        if "e2e" in only:
            r = end_to_end(work, max(1, args.repeat - 2))
            plain = end_to_end(work, max(1, args.repeat - 2), plain=True)
            row(f"end-to-end via local Bot API, update → sendMessage (p50 / p99, {r['runs']})",
                f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f} ms ({r['p50_ms'] / plain['p50_ms']:.1f}× the plain dense bot)",
                "≤ 2× the plain dense bot")
            row("  plain dense bot, same index and model (benchmarks/plain_dense_bot.py), p50 / p99",
                f"{plain['p50_ms']:.1f} / {plain['p99_ms']:.1f} ms")
            row("  `storybot run` start → polling (built index)", f"{r['ready_s']:.2f} s")
            k = keep_alive()
            row(f"  local Bot API: {k['requests']} sendMessage in a row over one kept-alive connection",
                f"{k['total_ms']:.0f} ms", "≤ 900 ms (no delayed-ACK stalls)")
        if "cold" in only:
            r = cold_start(work, max(5, args.repeat))
            row(f"cold start: `storybot ask --json` with a built index (median of {r['runs']})",
                f"{r['median_s']:.2f} s", "≤ 4 s")
        if "build" in only:
            from synthetic import write_archive

            write_archive(work / "build-sources", args.build_paragraphs, seed=11)
            for backend in args.build_backends.split(","):
                r = child("build", work, backend=backend, sources=str(work / "build-sources"),
                          index=str(work / f"build-index-{backend}"))
                row(f"index build, {r['paragraphs']} synthetic paragraphs + {r['sentences']} sentences, "
                    f"STORYBOT_EMBEDDER={backend} (paragraphs encoded with {r['backend']})",
                    f"{r['per_s']:.0f} paragraphs/s ({r['texts_per_s']:.0f} texts/s), peak {r['peak_rss_mb']:.0f} MB",
                    "≥ 300 paragraphs/s" if backend == "auto" else "")
        if "archive" in only:
            from synthetic import write_archive

            n = args.archive_paragraphs
            write_archive(work / "archive-sources", n, seed=5)
            r = child("build", work, backend="auto", sources=str(work / "archive-sources"),
                      index=str(work / "archive-index"))
            row(f"archive of {n:,} synthetic paragraphs embedded for real ({r['backend']}): build ({r['kind']})",
                f"{r['seconds'] / 60:.1f} min, {r['per_s']:.0f} paragraphs/s, {r['disk_mb']:.0f} MB on disk, "
                f"peak {r['peak_rss_mb']:.0f} MB")
            q = child("archive-query", work, index=str(work / "archive-index"))
            row(f"  answer in-process, {q['paragraphs']:,} paragraphs, WikiQA questions (p50 / p99)",
                f"{q['p50_ms']:.1f} / {q['p99_ms']:.1f} ms; load {q['load_s']:.1f} s, "
                f"RSS {q['rss_mb']:.0f} MB ({q['private_mb']:.0f} MB private)")
            row("  ANN recall@10 vs exact: top 10 / among the 100 candidates search re-scores",
                f"{q['recall10']:.3f} / {q['candidate_recall10']:.3f}", "≥ 0.95")
        # Real embeddings to build the structured vectors from: the archive's, when there is one.
        seed = work / "archive-index" / "current" / "paragraphs.npy"
        base = str(seed) if seed.exists() else None
        if "ann" in only:
            for kind in ("structured", "random"):
                b = child("ann-build", work, kind=kind, n=args.ann_vectors, base=base)
                q = child("ann-query", work, kind=kind)
                label = f"{b['n']:,} {kind} vectors, FAISS only ({b['kind']})"
                row(label + ": build, file, memory after load",
                    f"{b['build_s']:.0f} s, {b['file_mb']:.0f} MB, index {q['index_rss_mb']:.0f} MB "
                    f"(process {q['rss_mb']:.0f} MB)", "memory ≤ 2 GB")
                row("  query p50 / p99 (k = 100)", f"{q['p50_ms']:.2f} / {q['p99_ms']:.2f} ms", "p50 ≤ 30 ms")
                row("  recall@10 vs exact: raw / after search's exact re-score",
                    f"{q['recall10']:.3f} / {q['rescored_recall10']:.3f}", "≥ 0.95")
        if "full" in only:
            b = child("full-build", work, n=args.full_paragraphs, base=base)
            row(f"archive of {b['paragraphs']:,} synthetic paragraphs, mixed real vectors (not embedded): build "
                f"({b['kind']})", f"{b['build_s'] / 60:.1f} min, {b['disk_mb'] / 1e3:.1f} GB on disk, "
                f"peak {b['peak_rss_mb'] / 1e3:.1f} GB")
            q = child("archive-query", work, index=str(work / "full-index"))
            row(f"  answer in-process, {q['paragraphs']:,} paragraphs, WikiQA questions (p50 / p99)",
                f"{q['p50_ms']:.1f} / {q['p99_ms']:.1f} ms", "p50 ≤ 30 ms")
            row("  memory of the answering process after the questions: private (+ mapped files touched); "
                "load_index + Engine", f"{q['private_mb'] / 1e3:.1f} GB (+ {q['mapped_mb'] / 1e3:.1f} GB); "
                f"{q['load_s']:.1f} s", "≤ 2 GB")
            row("  peak memory of the answering process (start-up included)", f"{q['peak_mb'] / 1e3:.1f} GB")
            row("  ANN recall@10 vs exact: top 10 / among the 100 candidates search re-scores",
                f"{q['recall10']:.3f} / {q['candidate_recall10']:.3f}", "≥ 0.95")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows, load_before, os.getloadavg()[0])


def print_table(rows: list[tuple[str, str, str]], load_before: float, load_after: float) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    print(f"storybot performance — {date.today()}, {cpu}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average {load_before:.1f} → {load_after:.1f}")
    width = max(len(r[0]) for r in rows)
    value = max(len(r[1]) for r in rows)
    print(f"{'metric'.ljust(width)}  {'measured'.ljust(value)}  target")
    for metric, measured, target in rows:
        print(f"{metric.ljust(width)}  {measured.ljust(value)}  {target}")


if __name__ == "__main__":
    main()
