"""Trains the bundled teacher (cross-entropy) or student (logit distillation from the
teacher), CPU-only, deterministic for a seed.

  python3 datasets/train/train.py --role teacher --steps N
  python3 datasets/train/train.py --role student --steps N --teacher datasets/train/ckpt/teacher.pt
  python3 datasets/train/train.py --role teacher --probe-seconds 30   # measure tokens/s only

Windows of `context + 1` tokens start at a document's `<s>`; starts are drawn from a
seeded torch.Generator, so the batch sequence is fixed by the seed.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import LlamaForCausalLM, count_params  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BOS, EOS = 1, 2

CONFIGS = {
    "teacher": dict(vocab_size=2048, hidden_size=256, num_hidden_layers=4, num_attention_heads=8, head_dim=32,
                    intermediate_size=768, rms_norm_eps=1e-5, rope_theta=10000.0, max_position_embeddings=256,
                    initializer_range=0.02),
    "student": dict(vocab_size=2048, hidden_size=128, num_hidden_layers=2, num_attention_heads=4, head_dim=32,
                    intermediate_size=384, rms_norm_eps=1e-5, rope_theta=10000.0, max_position_embeddings=256,
                    initializer_range=0.02),
}


def load_tokens(path):
    ids = np.fromfile(path, dtype="<u2").astype(np.int64)
    starts = np.nonzero(ids == BOS)[0]
    return torch.from_numpy(ids), torch.from_numpy(starts)


def batch(ids, starts, gen, batch_size, context):
    # only starts whose window fits in the stream
    valid = starts[starts + context + 1 <= ids.numel()]
    pick = valid[torch.randint(0, valid.numel(), (batch_size,), generator=gen)]
    rows = torch.stack([ids[p:p + context + 1] for p in pick.tolist()])
    return rows[:, :-1], rows[:, 1:]


def lr_at(step, steps, peak, warmup, floor_ratio=0.1):
    if step < warmup:
        return peak * (step + 1) / warmup
    t = (step - warmup) / max(1, steps - warmup)
    return peak * (floor_ratio + (1 - floor_ratio) * 0.5 * (1 + math.cos(math.pi * t)))


def make_optimizer(model, lr, wd):
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    other = [p for n, p in model.named_parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": wd}, {"params": other, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.95), eps=1e-8)


def distill_loss(s_logits, t_logits, targets, temperature, alpha):
    """alpha * T^2 * KL(teacher_T || student_T) + (1 - alpha) * CE(student, data)."""
    v = s_logits.shape[-1]
    s_log = F.log_softmax(s_logits.reshape(-1, v) / temperature, dim=-1)
    t_log = F.log_softmax(t_logits.reshape(-1, v) / temperature, dim=-1)
    kl = (t_log.exp() * (t_log - s_log)).sum(-1).mean() * temperature ** 2
    ce = F.cross_entropy(s_logits.reshape(-1, v), targets.reshape(-1))
    return alpha * kl + (1 - alpha) * ce, kl.detach(), ce.detach()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", choices=["teacher", "student"], required=True)
    ap.add_argument("--tokens", default=os.path.join(ROOT, "datasets/corpus/build/train.u16"))
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--wd", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--teacher", default=os.path.join(HERE, "ckpt/teacher.pt"))
    ap.add_argument("--temperature", type=float, default=2.0)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--out", default=None)
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--probe-seconds", type=float, default=0)
    ap.add_argument("--state-every", type=int, default=50, help="save a resumable state every N steps")
    ap.add_argument("--resume", action="store_true", help="continue from ckpt/<role>-state.pt (e.g. after changing --threads)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    ids, starts = load_tokens(args.tokens)
    cfg = dict(CONFIGS[args.role])
    model = LlamaForCausalLM(cfg)
    teacher = None
    if args.role == "student":
        ck = torch.load(args.teacher)
        teacher = LlamaForCausalLM(ck["config"])
        teacher.load_state_dict(ck["state_dict"])
        teacher.eval()
    opt = make_optimizer(model, args.lr, args.wd)
    out = args.out or os.path.join(HERE, "ckpt", f"{args.role}.pt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    n_params = count_params(model)
    print(json.dumps({"role": args.role, "params": n_params, "tokens": int(ids.numel()), "docs": int(starts.numel()),
                      "args": vars(args)}), flush=True)

    curve = []
    t0 = time.time()
    tokens_per_step = args.batch * args.context
    steps = args.steps
    state_path = os.path.join(os.path.dirname(out), f"{args.role}-state.pt")
    first = 0
    if args.resume and os.path.exists(state_path):
        st = torch.load(state_path)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        gen.set_state(st["gen"])
        torch.set_rng_state(st["torch_rng"])
        first, curve = st["step"], st["curve"]
        t0 -= st["elapsed_s"]
        print(json.dumps({"resumed_at": first, "threads": args.threads}), flush=True)
    for step in range(first, steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, args.lr, args.warmup)
        x, y = batch(ids, starts, gen, args.batch, args.context)
        logits = model.forward_train(x)
        if teacher is None:
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            kl = ce = loss.detach()
        else:
            with torch.no_grad():
                t_logits = teacher.forward_train(x)
            loss, kl, ce = distill_loss(logits, t_logits, y, args.temperature, args.alpha)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        elapsed = time.time() - t0
        if step % args.log_every == 0 or step == steps - 1:
            rec = {"step": step, "loss": round(loss.item(), 4), "ce": round(ce.item(), 4), "kl": round(kl.item(), 4),
                   "lr": round(opt.param_groups[0]["lr"], 6), "elapsed_s": round(elapsed, 1),
                   "tokens_per_s": round((step + 1) * tokens_per_step / elapsed, 1), "threads": args.threads}
            curve.append(rec)
            print(json.dumps(rec), flush=True)
        if args.state_every and (step + 1) % args.state_every == 0 and step + 1 < steps:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "gen": gen.get_state(),
                        "torch_rng": torch.get_rng_state(), "step": step + 1, "curve": curve,
                        "elapsed_s": time.time() - t0}, state_path)
        if args.probe_seconds and elapsed > args.probe_seconds:
            print(json.dumps({"probe_steps": step + 1, "tokens_per_s": (step + 1) * tokens_per_step / elapsed}), flush=True)
            return
    wall = time.time() - t0
    summary = {"role": args.role, "params": n_params, "steps": steps, "batch": args.batch, "context": args.context,
               "train_tokens": steps * tokens_per_step, "corpus_tokens": int(ids.numel()),
               "epochs": steps * tokens_per_step / ids.numel(), "wall_s": wall, "final_loss": curve[-1]["loss"],
               "final_ce": curve[-1]["ce"], "final_kl": curve[-1]["kl"], "args": vars(args),
               "torch": torch.__version__, "python": sys.version.split()[0], "config": cfg}
    torch.save({"config": cfg, "state_dict": model.state_dict(), "summary": summary}, out)
    with open(os.path.join(HERE, "logs", f"{args.role}-curve.json"), "w") as f:
        json.dump({"summary": summary, "curve": curve}, f, indent=1)
    print(json.dumps({"done": True, "wall_s": wall}), flush=True)


if __name__ == "__main__":
    main()
