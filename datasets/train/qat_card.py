"""Writes the provenance (provenance.json) and model card (MODEL_CARD.md) of a QAT-recovered teacher
after export_onnx.py has written its folder.

  /usr/bin/python3 datasets/train/qat_card.py --bits 3     # reads logs/teacher-qat-w3-curve.json
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qat import sha256  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bits", type=int, required=True)
    args = ap.parse_args()
    role = f"teacher-qat-w{args.bits}"
    out = os.path.join(ROOT, "datasets/models", role)
    log_rel = f"datasets/train/logs/{role}-curve.json"
    with open(os.path.join(ROOT, log_rel)) as f:
        log = json.load(f)
    s = log["summary"]
    onnx_rel = f"datasets/models/{role}/onnx/model.onnx"
    prov = {
        "id": role, "recoveredFrom": "teacher", "method": s["method"], "grid": s["grid"],
        "onnx": {"path": onnx_rel, "sha256": sha256(os.path.join(ROOT, onnx_rel)),
                 "bytes": os.path.getsize(os.path.join(ROOT, onnx_rel)),
                 "weights": "fp32 latent weights; compbench's `rtn` quantizes them (same grid as the training STE)"},
        "teacher": {"path": "datasets/models/teacher/onnx/model.onnx", "sha256": s["teacher_onnx_sha256"]},
        "trainTokens": {"path": "datasets/corpus/build/train.u16", "sha256": s["train_tokens_sha256"]},
        "log": {"path": log_rel, "sha256": sha256(os.path.join(ROOT, log_rel))},
        "steps": s["steps"], "seed": s["seed"], "wallS": s["wall_s"], "threads": s["threads"],
        "firstLoss": s["first_loss"], "finalLoss": s["final_loss"], "firstKl": s["first_kl"], "finalKl": s["final_kl"],
    }
    with open(os.path.join(out, "provenance.json"), "w") as f:
        json.dump(prov, f, indent=2)
        f.write("\n")
    a = s["args"]
    lines = [
        f"# {role}: the bundled teacher after a short quantization-aware recovery at {args.bits} bits",
        "",
        f"- Recovered from: `teacher` (`{prov['teacher']['path']}`, sha256 `{prov['teacher']['sha256']}`).",
        f"- Method: straight-through-estimator fine-tuning with distillation from the fp32 teacher "
        f"(loss = {a['alpha']}·T²·KL(teacher_T ‖ model_T) + {1 - a['alpha']}·CE, T = {a['temperature']}). In every forward pass each "
        "projection weight (q/k/v/o/gate/up/down; not lm_head, not the embedding) is replaced by its RTN dequantization on "
        f"compbench's grid (`rtn`, {args.bits} bits, groups of {s['grid']['group']} input rows per output column, asymmetric, range "
        "widened to include 0, round half to even); the gradient passes straight through to the fp32 latent weight.",
        f"- Data: windows of {a['context']} tokens from the training corpus ids (`{prov['trainTokens']['path']}`, sha256 "
        f"`{prov['trainTokens']['sha256']}`), never the held-out text; batch {a['batch']}, {s['steps']} steps "
        f"({s['train_tokens']} tokens), AdamW lr {a['lr']} (warm-up {a['warmup']}, cosine to 10%), no weight decay, seed {s['seed']}.",
        f"- Wall time: {s['wall_s']} s on {s['threads']} CPU thread (torch {s['torch']}, shared machine).",
        f"- Loss (on training batches, quantized forward): first {s['first_loss']} (KL {s['first_kl']}), final {s['final_loss']} "
        f"(KL {s['final_kl']}); curve in `{log_rel}`.",
        f"- `onnx/model.onnx` (sha256 `{prov['onnx']['sha256']}`, {prov['onnx']['bytes']} bytes) holds the fp32 **latent** weights: "
        f"it is not itself the deployable model. The matrix packs it with compbench's own `rtn` ({args.bits} bits, group "
        f"{s['grid']['group']}), the grid it was trained against, so `{role}/rtn-w{args.bits}-g{s['grid']['group']}` has exactly the "
        f"size of `teacher/rtn-w{args.bits}-g{s['grid']['group']}` (PTQ). The config's `recoveredFrom: teacher` makes both compare with "
        "the fp32 teacher.",
        f"- Regenerate: `/usr/bin/python3 datasets/train/qat.py --bits {args.bits} --steps {s['steps']} --batch {a['batch']} --context "
        f"{a['context']} --lr {a['lr']} --warmup {a['warmup']} --log-every {a['log_every']}`, then `export_onnx.py --ckpt "
        f"datasets/train/ckpt/{role}.pt --out datasets/models/{role}` and `qat_card.py --bits {args.bits}`.",
        "",
    ]
    with open(os.path.join(out, "MODEL_CARD.md"), "w") as f:
        f.write("\n".join(lines))
    print(json.dumps(prov))


if __name__ == "__main__":
    main()
