"""Closed-book accuracy (LLM-KICK prompt, greedy, normalized-substring match over
aliases) by frequency bucket, template set and dialect, and held-out perplexity, for a
torch checkpoint. Inputs are tokenized by the runtime tokenizer in build-corpus
(build/eval-items.jsonl, build/heldout.u16).

  python3 datasets/train/evaluate.py --ckpt datasets/train/ckpt/teacher.pt --out datasets/train/logs/teacher-eval.json
"""
import argparse
import json
import math
import os
import re
import sys
import time
import unicodedata

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import LlamaForCausalLM  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PAD, BOS, EOS = 0, 1, 2


def byte_decoder():
    bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def make_decode(tokenizer_json):
    vocab = json.load(open(tokenizer_json))["model"]["vocab"]
    inv = {i: t for t, i in vocab.items()}
    bd = byte_decoder()

    def decode(ids):
        text = "".join(inv.get(i, "") for i in ids if i > EOS)
        return bytes(bd[c] for c in text if c in bd).decode("utf-8", errors="replace")
    return decode


def normalize(text):
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def is_match(answer, aliases):
    a = " " + normalize(answer) + " "
    return any(" " + normalize(al) + " " in a for al in aliases if normalize(al))


@torch.no_grad()
def greedy_batch(model, prompts, max_new, decode):
    """Left-padded batched greedy decoding with the exported forward (mask + positions + KV)."""
    cfg = model.cfg
    b = len(prompts)
    s = max(len(p) for p in prompts)
    ids = torch.full((b, s), PAD, dtype=torch.long)
    mask = torch.zeros((b, s), dtype=torch.long)
    for r, p in enumerate(prompts):
        ids[r, s - len(p):] = torch.tensor(p)
        mask[r, s - len(p):] = 1
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    past = [torch.zeros(b, cfg["num_attention_heads"], 0, cfg["head_dim"]) for _ in range(2 * cfg["num_hidden_layers"])]
    out = [[] for _ in range(b)]
    done = [False] * b
    for _ in range(max_new):
        logits, *past = model(ids, mask, pos, *past)
        nxt = logits[:, -1].argmax(-1)
        for r in range(b):
            if not done[r]:
                out[r].append(int(nxt[r]))
                if int(nxt[r]) == EOS or "\n" in decode([int(nxt[r])]):
                    done[r] = True
        if all(done):
            break
        ids = nxt.unsqueeze(1)
        mask = torch.cat([mask, torch.ones(b, 1, dtype=torch.long)], dim=1)
        pos = pos[:, -1:] + 1
    return [decode(o).split("\n")[0] for o in out]


@torch.no_grad()
def perplexity(model, path):
    ids = np.fromfile(path, dtype="<u2").astype(np.int64)
    starts = list(np.nonzero(ids == BOS)[0]) + [len(ids)]
    nll, n = 0.0, 0
    for a, b in zip(starts[:-1], starts[1:]):
        x = torch.from_numpy(ids[a:b]).unsqueeze(0)
        logits = model.forward_train(x[:, :-1])
        lp = torch.log_softmax(logits, -1).gather(-1, x[:, 1:].unsqueeze(-1))
        nll -= lp.sum().item()
        n += x.shape[1] - 1
    return math.exp(nll / n), n


def bucket_key(item):
    c = item["count"]
    return ">=20" if c >= 20 else "5-19" if c >= 5 else "1-4"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--items", default=os.path.join(ROOT, "datasets/corpus/build/eval-items.jsonl"))
    ap.add_argument("--heldout", default=os.path.join(ROOT, "datasets/corpus/build/heldout.u16"))
    ap.add_argument("--tokenizer", default=os.path.join(ROOT, "datasets/corpus/tokenizer/tokenizer.json"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, default=0, help="evaluate every k-th fact only (quick checks)")
    ap.add_argument("--max-new", type=int, default=12)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    ck = torch.load(args.ckpt)
    model = LlamaForCausalLM(ck["config"])
    model.load_state_dict(ck["state_dict"])
    model.eval()
    decode = make_decode(args.tokenizer)
    items = [json.loads(l) for l in open(args.items)]
    if args.limit:
        keep = sorted({it["factId"] for it in items})[::args.limit]
        keep = set(keep)
        items = [it for it in items if it["factId"] in keep]
    t0 = time.time()
    order = sorted(range(len(items)), key=lambda i: len(items[i]["ids"]))
    answers = [None] * len(items)
    for k in range(0, len(order), args.batch):
        idx = order[k:k + args.batch]
        for i, a in zip(idx, greedy_batch(model, [items[i]["ids"] for i in idx], args.max_new, decode)):
            answers[i] = a
    cells = {}
    for it, a in zip(items, answers):
        ok = is_match(a, it["aliases"])
        for key in [f"{it['templateSet']}/{it['dialect']}/{bucket_key(it)}", f"{it['templateSet']}/{it['dialect']}/all"] + (
                [f"{it['templateSet']}/{it['dialect']}/1-3"] if it["count"] <= 3 else []):
            c = cells.setdefault(key, {"n": 0, "correct": 0})
            c["n"] += 1
            c["correct"] += int(ok)
    for c in cells.values():
        c["accuracy"] = round(c["correct"] / c["n"], 4)
    ppl, n_tok = perplexity(model, args.heldout)
    by_relation = {}
    for it, a in zip(items, answers):
        if it["templateSet"] == "heldout" and it["dialect"] == "en" and it["count"] >= 20:
            c = by_relation.setdefault(it["relation"], {"n": 0, "correct": 0})
            c["n"] += 1
            c["correct"] += int(is_match(a, it["aliases"]))
    result = {"ckpt": os.path.relpath(args.ckpt, ROOT), "cells": dict(sorted(cells.items())),
              "heldout_en_ge20_by_relation": by_relation, "heldout_perplexity": ppl, "heldout_tokens": n_tok,
              "eval_s": time.time() - t0, "examples": [{"prompt": it["prompt"], "answer": a, "aliases": it["aliases"],
                                                        "count": it["count"]} for it, a in list(zip(items, answers))[:: max(1, len(items) // 12)]]}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    for k, c in sorted(cells.items()):
        print(f"{k:28s} n={c['n']:5d} acc={c['accuracy']:.3f}")
    print("ppl", round(ppl, 3), "eval_s", round(time.time() - t0, 1))


if __name__ == "__main__":
    main()
