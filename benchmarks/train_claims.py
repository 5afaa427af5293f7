"""Train the claim reader: a cross-encoder that reads a claim beside a story paragraph and says whether
the paragraph SUPPORTS the claim, CONTRADICTS it, or does NEITHER (three logits, in that order).

    python benchmarks/train_claims.py prep  --work /tmp/ct [--sets train train2/a ...]
    python benchmarks/train_claims.py train --work /tmp/ct [--minutes 30]
    python benchmarks/train_claims.py export --work /tmp/ct --out /tmp/ct/model
    python benchmarks/train_claims.py measure --out /tmp/ct/model --sets train4/A train4/B train4/C dev_claims

Why: the checker's rules compare figures, names and polarity well, but a supported claim worded
differently from the story and an on-topic claim the story never makes get the same relevance logits
and cosines (benchmarks/fit_claims.py): only a model that reads claim and paragraph together for
entailment tells them apart (docs/reader.md, session 15).

Start: storybot-answer-l12 (the shipped question reader, read back from its int8 ONNX by
reader_dequant.py); its one-logit head becomes three rows (supports and contradicts start as its
"answers" row, neither as its negation): a paragraph that is about the claim is where both verdicts live.

Pairs (second segment "<title>: <paragraph>", as the question reader reads them), from the news training
sets only (benchmarks/data/train, train2, train3, train4 by default; never dev_claims, the bundled story's
claims or the blind sets):
  * every labelled claim against the paragraphs its line names: SUPPORTS or CONTRADICTS as labelled, and
    a supported claim with one fact changed (as below) against them: CONTRADICTS;
    against the reader's three likeliest other paragraphs of its story (every claim; a claim the story
    does not make has no named paragraph): NEITHER. Twice each (these are the claims people write).
  * from every paragraph of those sets' stories, one seeded sentence: against its paragraph, SUPPORTS;
    against the rest of its paragraph (or, alone in it, the next paragraph), NEITHER — the near miss: on
    topic, the fact missing; changed (a figure, a "not" added or taken away, a name swapped for
    another of the story's names) against its paragraph, CONTRADICTS.
Loss: cross-entropy. Embeddings and layers 0-3 frozen; AdamW lr 3e-5, 6% warm-up, linear decay, batch 16,
three passes, wall-clock budget; seed 20261130; torch.set_num_threads(2).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import numpy as np

from train_reader import (MAX_LENGTH, ROOT, SEED, TEACHER, auc, fit, frozen_below, labelled, tokenizer_of,
                          to_onnx_int8, write_pairs)

DATA = ROOT / "benchmarks" / "data"
SETS = ("train", "train2/a", "train2/b", "train3", "train4/A", "train4/B", "train4/C")
LABELS = ("supports", "contradicts", "neither")
NEGATIVES = 3  # the reader's likeliest other paragraphs, per claim
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_AUXILIARY = re.compile(r"\b(is|are|was|were|will|would|could|can|has|have|had|should|must)\b(?! not\b)")
_NEGATED = re.compile(r"\b(is|are|was|were|will|would|could|can|has|have|had|should|must|did|does|do) not\b")
_NAME = re.compile(r"(?<![.!?\"'] )(?<!^)\b[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def story_pairs(directory: Path, reader, rng: random.Random) -> list[dict]:
    """The labelled claims of one training set, as (claim, paragraph, label) pairs; a supported claim
    with one fact changed is also set against its paragraphs, contradicted (the same wording either way:
    only the fact tells the two apart)."""
    out = []
    for item, story, texts, numbers in labelled(directory / "claims.jsonl", directory / "sources"):
        named = set(item.get("paragraphs") or [])
        label = {"supported": 0, "contradicted": 1}.get(item["verdict"], 2)
        other = changed(item["claim"], story_names(story), rng) if label == 0 else None
        for i, n in enumerate(numbers):
            if n in named and label < 2:
                out.append({"q": item["claim"], "p": texts[i], "y": label, "src": f"claim:{LABELS[label]}"})
                if other is not None:
                    out.append({"q": other, "p": texts[i], "y": 1, "src": "claim:changed"})
        order = np.argsort(-reader.score(item["claim"], texts))
        out += [{"q": item["claim"], "p": texts[i], "y": 2, "src": "claim:neither"}
                for i in [i for i in order if numbers[i] not in named][:NEGATIVES]]
    return out * 2


def story_names(story) -> list[str]:
    """The capitalised words and runs of them the story writes inside its sentences."""
    return sorted({m.group() for p in story.paragraphs for m in _NAME.finditer(p.text)})


def changed(sentence: str, names: list[str], rng: random.Random) -> str | None:
    """The sentence with one fact changed (a figure, its polarity, or a name), or None if it has none."""
    ways = []
    numbers = [m for m in _NUMBER.finditer(sentence) if not (1900 <= float(m.group().replace(",", "")) <= 2100)]
    if numbers:
        ways.append("figure")
    if _NEGATED.search(sentence) or _AUXILIARY.search(sentence):
        ways.append("polarity")
    own = [m for m in _NAME.finditer(sentence)]
    others = [n for n in names if n not in sentence]
    if own and others:
        ways.append("name")
    if not ways:
        return None
    way = rng.choice(ways)
    if way == "figure":
        m = rng.choice(numbers)
        value = float(m.group().replace(",", ""))
        new = value * rng.choice((0.5, 2, 3, 1.5, 0.25)) + rng.choice((0, 1, 3))
        text = f"{new:,.0f}" if "," in m.group() else (f"{new:.1f}" if "." in m.group() else f"{new:.0f}")
        if text == m.group():
            return None
        return sentence[:m.start()] + text + sentence[m.end():]
    if way == "polarity":
        m = _NEGATED.search(sentence)
        if m:
            return sentence[:m.start()] + m.group(1) + sentence[m.end():]
        m = _AUXILIARY.search(sentence)
        return sentence[:m.end()] + " not" + sentence[m.end():]
    m = rng.choice(own)
    return sentence[:m.start()] + rng.choice(others) + sentence[m.end():]


def sentence_pairs(directory: Path, rng: random.Random) -> list[dict]:
    """One sentence of every paragraph of the set's stories: supported, missing, and changed."""
    from storybot.index.language.sentences import split_sentences
    from storybot.index.storage.sources import load_story
    out = []
    for path in sorted((directory / "sources").glob("*.md")):
        story = load_story(path)
        names = story_names(story)
        for k, p in enumerate(story.paragraphs):
            sentences = split_sentences(p.text)
            usable = [s for s in sentences if len(s.split()) >= 6]
            if not usable:
                continue
            s = rng.choice(usable)
            out.append({"q": s, "p": f"{story.title}: {p.text}", "y": 0, "src": "sentence:supports"})
            # the near miss: the rest of its paragraph, or (a one-sentence paragraph) the next one
            rest = " ".join(t for t in sentences if t is not s) or \
                (story.paragraphs[k + 1].text if k + 1 < len(story.paragraphs) else "")
            if rest:
                out.append({"q": s, "p": f"{story.title}: {rest}", "y": 2, "src": "sentence:neither"})
            other = changed(s, names, rng)
            if other is not None:
                out.append({"q": other, "p": f"{story.title}: {p.text}", "y": 1, "src": "sentence:contradicts"})
    return out


def prep(work: Path, sets: list[str]) -> None:
    from storybot.index.reading.load import load_reader
    rng = random.Random(SEED)
    reader = load_reader("storybot-answer-l12", cache_size=0)
    pairs = []
    for name in sets:
        pairs += story_pairs(DATA / name, reader, rng)
        pairs += sentence_pairs(DATA / name, rng)
    rng.shuffle(pairs)
    work.mkdir(parents=True, exist_ok=True)
    write_pairs(work / "pairs.jsonl", pairs)
    (work / "sets.json").write_text(json.dumps(sets))
    counts: dict[str, int] = {}
    for pair in pairs:
        counts[pair["src"]] = counts.get(pair["src"], 0) + 1
    print(len(pairs), counts)


def claim_model(freeze: int = 4):
    """storybot-answer-l12 in torch with a three-way head, embeddings and the first `freeze` layers frozen."""
    import torch
    from reader_dequant import dequantized_model
    from transformers import BertForSequenceClassification

    one = dequantized_model(TEACHER / "model.onnx")
    config = one.config
    config.num_labels = 3
    model = BertForSequenceClassification(config)
    state = one.state_dict()
    w, b = state.pop("classifier.weight"), state.pop("classifier.bias")
    model.load_state_dict(state, strict=False)
    with torch.no_grad():
        model.classifier.weight.copy_(torch.cat([w, w, -w]))
        model.classifier.bias.copy_(torch.cat([b, b, -b]))
    return frozen_below(model, freeze)


def train(work: Path, minutes: float, lr: float = 3e-5, epochs: int = 3) -> None:
    import torch
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    pairs = [json.loads(line) for line in (work / "pairs.jsonl").read_text().splitlines()]
    model = claim_model()

    def loss_of(logits, batch):
        y = torch.tensor([p["y"] for p in batch])
        ce = torch.nn.functional.cross_entropy(logits, y)
        return ce, ce, torch.zeros(())

    info = fit(model, pairs, tokenizer_of(TEACHER), loss_of, work=work, log_name="train.log", minutes=minutes,
               lr=lr, epochs=epochs, every_output=True)
    torch.save(model.state_dict(), work / "model.pt")
    (work / "train_info.json").write_text(json.dumps(info))
    print("saved", work / "model.pt")


def export(work: Path, out: Path) -> None:
    import torch
    from storybot.index.reading.cross_encoder import sha256_of

    model = claim_model()
    model.load_state_dict(torch.load(work / "model.pt"))
    to_onnx_int8(model, work, out, TEACHER)
    info = json.loads((work / "train_info.json").read_text())
    sets = json.loads((work / "sets.json").read_text())
    meta = {"name": "storybot-claim-l12", "sha256": sha256_of(out / "model.onnx"), "max_length": MAX_LENGTH,
            "outputs": list(LABELS),
            "trained_on": ("storybot-answer-l12 with a three-way head (supports / contradicts / neither) fine-tuned on "
                           f"the claims and story sentences of benchmarks/data/{', '.join(sets)}; {info['pairs']} pairs, "
                           f"{info['pairs_seen']} pair-steps, {info['minutes']:.0f} min on 2 CPU threads, seed {SEED} "
                           "(benchmarks/train_claims.py)"),
            "seen": {"claims": sets}}
    (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    print(meta)


def measure(model_dir: Path, claim_sets: list[tuple[Path, Path]]) -> None:
    """For each claims file (with its sources directory): the claim model's view of each claim beside the
    question reader's five likeliest paragraphs of its story — the AUC of "states the claim's fact"
    (1 - neither, best paragraph) for claims the story makes against those it does not, and of supports
    over contradicts at that paragraph for the claims it makes."""
    import onnxruntime as ort
    from storybot.index.reading.load import load_reader
    reader = load_reader("storybot-answer-l12", cache_size=0)
    session = ort.InferenceSession(str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    tok = tokenizer_of(model_dir)

    def logits_of(claim: str, passages: list[str]) -> np.ndarray:
        rows = []
        for passage in passages:  # one pair per run, as storybot's readers run
            e = tok.encode(claim, passage)
            feed = {"input_ids": np.array([e.ids]), "attention_mask": np.ones((1, len(e.ids)), dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids])}
            rows.append(session.run(None, feed)[0][0])
        return np.array(rows)

    for claims, sources in claim_sets:
        stated: dict[str, list[float]] = {v: [] for v in ("supported", "contradicted", "not_in_story")}
        supports: dict[str, list[float]] = {"supported": [], "contradicted": []}
        for item, _, texts, _ in labelled(claims, sources):
            top = [texts[i] for i in np.argsort(-reader.score(item["claim"], texts))[:5]]
            logits = logits_of(item["claim"], top)
            probs = np.exp(logits - logits.max(1, keepdims=True))
            probs /= probs.sum(1, keepdims=True)
            best = int(np.argmax(1 - probs[:, 2]))
            stated[item["verdict"]].append(float(1 - probs[best, 2]))
            if item["verdict"] in supports:
                supports[item["verdict"]].append(float(probs[best, 0] / (probs[best, 0] + probs[best, 1])))
        made = stated["supported"] + stated["contradicted"]
        print(f"{claims.relative_to(DATA)}: {len(made) + len(stated['not_in_story'])} claims; states the fact, "
              f"made vs not made: AUC {auc(made, stated['not_in_story']):.3f}; supports vs contradicts: "
              f"AUC {auc(supports['supported'], supports['contradicted']):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=("prep", "train", "export", "measure"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/ct"))
    ap.add_argument("--sets", nargs="+", default=list(SETS), help="prep: training sets under benchmarks/data")
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--out", type=Path, required=False, help="export: where the model goes; measure: the model to measure")
    args = ap.parse_args()
    if args.command in ("export", "measure") and args.out is None:
        ap.error(f"{args.command} needs --out (the model directory)")
    if args.command == "prep":
        prep(args.work, args.sets)
    elif args.command == "train":
        train(args.work, args.minutes, epochs=args.epochs)
    elif args.command == "export":
        export(args.work, args.out)
    else:
        files = [(DATA / name / "claims.jsonl", DATA / name / "sources") for name in args.sets]
        measure(args.out, files + [(DATA / "story_claims.jsonl", ROOT / "sources"),
                                   (DATA / "story_claims_heldout.jsonl", ROOT / "sources")])


if __name__ == "__main__":
    main()
