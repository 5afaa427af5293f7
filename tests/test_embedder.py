"""The embedder: ONNX and torch backends agree, exports are cached and reused, the query path stays torch-free."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from storybot.index.embedding import encoders
from storybot.index.embedding.embedder import Embedder, export_key, resolve_model
from storybot.index.embedding.encoders import bf16_supported
from storybot.index.errors import StorybotError

from storybot.testing.paths import ROOT

TEXTS = [
    "How did Germany vote?",
    "Netanyahu asked Zelensky to vote against the resolution, Ukrainian and Israeli officials told Axios.",
    "87 countries voted in favour, 24 against and 53 abstained.",
    "ok",
    "The committee vote was a first step; the General Assembly then voted on the resolution. " * 20,  # truncated
]


@pytest.fixture(scope="module")
def torch_embedder():
    return Embedder(backend="torch")


@pytest.fixture(scope="module")
def fp32_embedder(embedder):
    return Embedder(backend="onnx", cache_dir=embedder.export_dir.parent)


def test_default_backend_is_onnx_and_matches_torch(embedder, torch_embedder):
    assert embedder.backend == "onnx" and torch_embedder.backend == "torch"
    assert embedder.dimension == torch_embedder.dimension == 384
    questions = np.vstack([embedder.encode_query(t) for t in TEXTS])
    torch = torch_embedder.encode(TEXTS)
    assert questions.dtype == np.float32 and questions.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(questions, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(questions * torch, axis=1)) > 0.9999  # questions: fp32, the same as torch


def test_default_builds_encode_with_bf16_as_good_as_fp32(embedder, fp32_embedder):
    if not encoders.bf16_supported():
        pytest.skip("this CPU has no bf16 instructions (AVX512-BF16 or AMX), or OpenVINO is not installed")
    documents = embedder.encode(TEXTS)
    assert embedder.document_backend == "openvino-bf16" and fp32_embedder.document_backend == "onnx"
    assert np.allclose(np.linalg.norm(documents, axis=1), 1.0, atol=1e-3)
    assert np.min(np.sum(documents * fp32_embedder.encode(TEXTS), axis=1)) > 0.999


def test_the_build_encoder_is_released_and_loaded_again_when_needed(tmp_path, embedder):
    fresh = Embedder(cache_dir=embedder.export_dir.parent)
    first = fresh.encode(TEXTS)
    fresh.release_build_encoder()
    # Only a separate build encoder (OpenVINO bf16) is dropped; without bf16 the query encoder builds.
    assert fresh.holds_build_encoder == (fresh.document_backend == fresh.backend)
    assert fresh.encode_query("still answers").shape == (384,)
    assert np.allclose(fresh.encode(TEXTS), first, atol=1e-3)  # a later build loads it again


def test_builds_fall_back_to_onnxruntime_without_bf16(embedder, fp32_embedder, monkeypatch):
    import storybot.index.embedding.embedder as module

    def no_bf16(*args, **kwargs):
        raise RuntimeError("this CPU has no bfloat16 instructions")

    monkeypatch.setattr(module, "OpenVinoEncoder", no_bf16)
    fresh = Embedder(cache_dir=embedder.export_dir.parent)
    documents = fresh.encode(TEXTS)
    assert fresh.document_backend == "onnx"
    assert np.min(np.sum(documents * fp32_embedder.encode(TEXTS), axis=1)) > 0.9999


def test_bf16_builds_can_be_switched_off(embedder):
    off = Embedder(cache_dir=embedder.export_dir.parent, bf16_builds=False)
    assert off.document_backend == off.backend == "onnx"


def test_a_cpu_without_bf16_is_told_apart_from_one_with_it(monkeypatch):
    """bf16_supported asks OpenVINO for the CPU's capabilities: AVX2-only and plain AVX-512 CPUs lack BF16."""
    openvino = pytest.importorskip("openvino", reason="the bf16 extra (OpenVINO) is not installed")
    for caps, expected in ((["FP32", "INT8", "BIN", "EXPORT_IMPORT"], False), (["FP32", "BF16", "INT8"], True)):
        monkeypatch.setattr(openvino.Core, "get_property", lambda self, device, name, caps=caps: caps)
        assert bf16_supported() is expected  # the real check, even where the suite forces no bf16


def test_batched_encoding_keeps_input_order(fp32_embedder):
    """Texts are length-sorted into batches; the rows must still come back in input order."""
    seen = []
    batched = fp32_embedder.encode(TEXTS, batch_size=2, progress=seen.append)
    single = np.vstack([fp32_embedder.encode([t]) for t in TEXTS])
    assert np.min(np.sum(batched * single, axis=1)) > 0.9999
    assert sum(seen) == len(TEXTS) and len(seen) == 3


PARAGRAPH = ("The council approved the budget 5-2 late Tuesday. "
             "Heavy snow closed every school in the county on Monday. “We listened,” the mayor said.")


def _spans(text: str, sentences: list[str], prefix: int) -> list[tuple[int, int]]:
    starts = [text.index(s) for s in sentences]
    return [(prefix + a, prefix + a + len(s)) for a, s in zip(starts, sentences)]


def test_sentence_vectors_are_pooled_from_the_paragraph_pass(fp32_embedder):
    prefix = "Budget vote: "
    sentences = ["The council approved the budget 5-2 late Tuesday.",
                 "Heavy snow closed every school in the county on Monday.", "“We listened,” the mayor said."]
    before = fp32_embedder.encoded_texts
    vectors, [pooled] = fp32_embedder.encode_passages([prefix + PARAGRAPH], [_spans(PARAGRAPH, sentences, len(prefix))],
                                                      [len(prefix)])
    assert fp32_embedder.encoded_texts - before == 1  # one pass for the paragraph and its three sentences
    assert np.allclose(vectors[0], fp32_embedder.encode([prefix + PARAGRAPH])[0], atol=1e-5)
    alone = fp32_embedder.encode([prefix + s for s in sentences])
    agreement = np.sum(pooled * alone, axis=1)
    assert pooled.shape == (3, 384) and np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-5)
    assert agreement.min() > 0.6  # each pooled vector is its own sentence's, read in its paragraph …
    # … and each factual sentence's is closer to it than to the other (the bare quote leans on its context)
    assert [int(np.argmax(alone[:2] @ pooled[k])) for k in range(2)] == [0, 1]


def test_a_sentence_cut_off_by_the_model_window_is_embedded_on_its_own(fp32_embedder):
    filler = "budget " * 250  # 250 tokens: the window (256) ends inside the next sentence
    tail = "Mayor Ann Lee said libraries would get 4% more."
    text = filler + tail
    start = len(filler)
    vectors, [pooled] = fp32_embedder.encode_passages([text], [[(0, start - 1), (start, len(text))]], [0])
    assert np.allclose(pooled[1], fp32_embedder.encode([tail])[0], atol=1e-5)  # the model never saw it in context
    assert np.sum(pooled[0] * fp32_embedder.encode([filler.strip()])[0]) < 0.9999  # the first one was pooled


def test_torch_backend_embeds_sentences_on_their_own(torch_embedder):
    prefix = "Budget vote: "
    sentences = ["The council approved the budget 5-2 late Tuesday.", "Mayor Ann Lee said libraries would get 4% more."]
    text = prefix + " ".join(sentences)
    _, [pooled] = torch_embedder.encode_passages([text], [_spans(text, sentences, 0)], [len(prefix)])
    assert np.allclose(pooled, torch_embedder.encode([prefix + s for s in sentences]), atol=1e-5)


def test_empty_input_gives_an_empty_matrix(embedder):
    assert embedder.encode([]).shape == (0, 384)


def test_repeated_question_is_not_encoded_again(embedder):
    before = embedder.encoded_texts
    first = embedder.encode_query("Who called whom on Friday? (cache test)")
    second = embedder.encode_query("Who called whom on Friday? (cache test)")
    assert second is first and not first.flags.writeable
    assert embedder.encoded_texts == before + 1


def test_export_is_cached_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # no export to find elsewhere
    first = Embedder(cache_dir=tmp_path)
    assert first.export_dir is not None and first.export_dir.parent == tmp_path
    meta = json.loads((first.export_dir / "meta.json").read_text())
    assert meta["agreement"] > 0.9999 and meta["dimension"] == 384 and not meta["quantized"]
    stamp = (first.export_dir / "model.onnx").stat().st_mtime_ns
    second = Embedder(cache_dir=tmp_path)
    assert second.export_dir == first.export_dir
    assert (second.export_dir / "model.onnx").stat().st_mtime_ns == stamp


def test_int8_backend_stays_close_to_fp32(embedder, tmp_path):
    int8 = Embedder(backend="onnx-int8", cache_dir=tmp_path)
    assert int8.backend == "onnx-int8" and int8.export_dir.name.endswith("-int8")
    assert json.loads((int8.export_dir / "meta.json").read_text())["quantized"] is True
    agreement = np.sum(int8.encode(TEXTS) * embedder.encode(TEXTS), axis=1)
    assert agreement.min() > 0.95 and agreement.mean() > 0.98


def test_export_key_changes_with_the_weights(tmp_path):
    model = tmp_path / "my-model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights v1")
    before = export_key("my-model", str(model))
    assert before.startswith("my-model-")
    assert export_key("my-model", str(model)) == before
    (model / "model.safetensors").write_bytes(b"weights v2, longer")
    assert export_key("my-model", str(model)) != before
    assert export_key("my-model", str(model), quantized=True).endswith("-int8")


def test_unknown_backend_is_refused():
    with pytest.raises(StorybotError, match="unknown embedding backend 'gpu'"):
        Embedder(backend="gpu")


def test_onnx_backend_says_why_it_cannot_load(tmp_path):
    with pytest.raises(StorybotError, match="cannot use the ONNX backend for model"):
        Embedder(str(tmp_path / "no-such-model"), backend="onnx", cache_dir=tmp_path / "cache")


def test_missing_model_is_a_clear_error_with_auto_backend(tmp_path):
    with pytest.raises(StorybotError, match=r"cannot load embedding model .*STORYBOT_MODEL"):
        Embedder(str(tmp_path / "no-such-model"), cache_dir=tmp_path / "cache")


def test_answering_with_an_export_never_imports_torch(embedder):
    """The query path runs on onnxruntime + tokenizers alone: that is what makes start-up fast."""
    probe = (
        "import sys; from pathlib import Path; from storybot.index.embedding.embedder import Embedder\n"
        f"e = Embedder(cache_dir=Path({str(embedder.export_dir.parent)!r}))\n"
        "v = e.encode_query('How did Germany vote?')\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules)\n"
        "print(e.backend, v.shape[0], heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["onnx", "384", "[]"]


def test_bundled_model_resolves_to_a_local_directory():
    assert Path(resolve_model("sentence-transformers/all-MiniLM-L6-v2"), "model.safetensors").is_file()


def _storybot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("STORYBOT_", "TELEGRAM_"))}
    return subprocess.run([sys.executable, "-m", "storybot", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**clean, "HF_HUB_OFFLINE": "1", **env}, timeout=300)


def test_cli_exports_the_model_into_the_data_dir(tmp_path):
    env = {"STORYBOT_DATA_DIR": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    built = _storybot("index", "build", "--sources", str(ROOT / "sources"), env=env)
    assert built.returncode == 0, built.stderr
    [export] = (tmp_path / "data" / "models").iterdir()  # questions on onnxruntime, the build on OpenVINO: one export
    assert (export / "model.onnx").is_file() and json.loads((export / "meta.json").read_text())["dimension"] == 384
    status = _storybot("index", "status", "--sources", str(ROOT / "sources"), env=env)
    assert status.returncode == 0 and "flat vector index" in status.stdout


def test_cli_refuses_an_unknown_embedder_setting():
    result = _storybot("ask", "How did Germany vote?", env={"STORYBOT_EMBEDDER": "gpu"})
    assert result.returncode == 2
    assert "bad setting embedder" in result.stderr
