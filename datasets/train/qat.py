"""Quantization-aware recovery of the bundled teacher: a short straight-through-estimator (STE)
fine-tune against compbench's RTN grid, distilling from the fp32 teacher on the training corpus.

  /usr/bin/python3 datasets/train/qat.py --bits 3 --steps 300     # CPU, torch 1.13, 1 thread
  /usr/bin/python3 datasets/train/export_onnx.py --ckpt datasets/train/ckpt/teacher-qat-w3.pt --out datasets/models/teacher-qat-w3

The teacher is read from its committed ONNX (initializers are named like the state dict). In every
forward pass each projection weight (q/k/v/o/gate/up/down, not lm_head or the embedding: the
projections `rtn` quantizes by default) is replaced by its RTN dequantization on the grid compbench's
kernels/rtn.ts uses (asymmetric, `bits`, groups of `group` consecutive input rows per output column,
range widened to include 0, round half to even); the gradient passes straight through to the fp32
latent weight. The checkpoint holds the latent fp32 weights: compbench's own `rtn` then quantizes them,
so the recovered variant is packed exactly like teacher/rtn-w{bits}-g{group}.

Loss: alpha * T^2 * KL(teacher_T || student_T) + (1 - alpha) * CE (train.py's distill_loss).
Windows are drawn from the training ids (corpus/build/train.u16), never the held-out text.
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import LlamaForCausalLM  # noqa: E402
from train import CONFIGS, batch, distill_loss, load_tokens, lr_at  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def rtn_dequant(w, bits, group):
    """RTN on compbench's asymmetric grid. w (K, N) [in, out]; groups of `group` rows of K per column."""
    k, n = w.shape
    maxq = 2 ** bits - 1
    wg = w.reshape(k // group, group, n)
    lo = wg.amin(1, keepdim=True).clamp(max=0)
    hi = wg.amax(1, keepdim=True).clamp(min=0)
    empty = (lo == 0) & (hi == 0)
    lo = torch.where(empty, -torch.ones_like(lo), lo)
    hi = torch.where(empty, torch.ones_like(hi), hi)
    scale = (hi - lo) / maxq
    zero = torch.round(-lo / scale).clamp(0, maxq)  # torch.round is half-to-even, as roundHalfEven
    q = (torch.round(wg / scale) + zero).clamp(0, maxq)
    return (scale * (q - zero)).reshape(k, n)


def ste(w, bits, group):
    """Forward: RTN(w). Backward: identity (straight-through)."""
    with torch.no_grad():
        d = rtn_dequant(w, bits, group) - w
    return w + d


def is_projection(name):
    return name.endswith("proj.weight")


def quantize_projections(model, bits, group):
    """Makes every Proj whose weight is a projection compute x @ STE(W)."""
    for name, mod in model.named_modules():
        if hasattr(mod, "weight") and is_projection(name + ".weight"):
            mod.forward = (lambda m: lambda x: torch.matmul(x, ste(m.weight, bits, group)))(mod)


def load_onnx_teacher(path):
    cfg = dict(CONFIGS["teacher"])
    model = LlamaForCausalLM(cfg)
    inits = {i.name: i for i in onnx.load(path).graph.initializer}
    state = {}
    for name, p in model.state_dict().items():
        assert name in inits, f"{name} missing from {path}"
        arr = numpy_helper.to_array(inits[name])
        assert list(arr.shape) == list(p.shape), f"{name}: {arr.shape} vs {tuple(p.shape)}"
        state[name] = torch.from_numpy(arr.copy())
    model.load_state_dict(state)
    return model, cfg


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bits", type=int, required=True, choices=[2, 3, 4, 8])
    ap.add_argument("--group", type=int, default=32)
    ap.add_argument("--teacher-onnx", default=os.path.join(ROOT, "datasets/models/teacher/onnx/model.onnx"))
    ap.add_argument("--tokens", default=os.path.join(ROOT, "datasets/corpus/build/train.u16"))
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--context", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--temperature", type=float, default=2.0)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--log-every", type=int, default=10)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    ids, starts = load_tokens(args.tokens)
    teacher, cfg = load_onnx_teacher(args.teacher_onnx)
    teacher.eval()
    model, _ = load_onnx_teacher(args.teacher_onnx)
    quantize_projections(model, args.bits, args.group)
    # no weight decay: the latent weights should stay near the teacher's grid cells
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.0)
    role = f"teacher-qat-w{args.bits}"
    print(json.dumps({"role": role, "args": vars(args)}), flush=True)
    curve = []
    t0 = time.time()
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps, args.lr, args.warmup)
        x, y = batch(ids, starts, gen, args.batch, args.context)
        with torch.no_grad():
            t_logits = teacher.forward_train(x)
        logits = model.forward_train(x)
        loss, kl, ce = distill_loss(logits, t_logits, y, args.temperature, args.alpha)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % args.log_every == 0 or step == args.steps - 1:
            rec = {"step": step, "loss": round(loss.item(), 4), "kl": round(kl.item(), 4), "ce": round(ce.item(), 4),
                   "lr": round(opt.param_groups[0]["lr"], 7), "elapsed_s": round(time.time() - t0, 1)}
            curve.append(rec)
            print(json.dumps(rec), flush=True)
    wall = time.time() - t0
    summary = {"role": role, "recoveredFrom": "teacher", "method": "STE quantization-aware distillation",
               "grid": {"method": "rtn", "bits": args.bits, "group": args.group, "symmetric": False,
                        "weights": "every *proj.weight (not lm_head, not the embedding)"},
               "steps": args.steps, "batch": args.batch, "context": args.context,
               "train_tokens": args.steps * args.batch * args.context, "seed": args.seed, "wall_s": round(wall, 1),
               "threads": args.threads, "teacher_onnx_sha256": sha256(args.teacher_onnx),
               "train_tokens_sha256": sha256(args.tokens), "first_loss": curve[0]["loss"], "final_loss": curve[-1]["loss"],
               "first_kl": curve[0]["kl"], "final_kl": curve[-1]["kl"], "args": vars(args), "torch": torch.__version__,
               "python": sys.version.split()[0], "config": cfg}
    for k in ("teacher_onnx", "tokens"):  # machine paths stay out of the committed log
        summary["args"][k] = os.path.relpath(summary["args"][k], ROOT)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    os.makedirs(os.path.join(HERE, "ckpt"), exist_ok=True)
    torch.save({"config": cfg, "state_dict": state, "summary": summary}, os.path.join(HERE, "ckpt", f"{role}.pt"))
    with open(os.path.join(HERE, "logs", f"{role}-curve.json"), "w") as f:
        json.dump({"summary": summary, "curve": curve}, f, indent=1)
    print(json.dumps({"done": True, "wall_s": wall}), flush=True)


if __name__ == "__main__":
    main()
