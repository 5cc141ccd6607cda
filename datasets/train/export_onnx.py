"""Exports a trained checkpoint as a Hugging Face / optimum style folder:
config.json, generation_config.json, tokenizer files, onnx/model.onnx (fp32, opset 14,
KV-cache inputs like optimum's decoder export), and parity-fixture.json (torch logits
on a left-padded batch and on a KV-cached continuation, for the ORT test).

  python3 datasets/train/export_onnx.py --ckpt datasets/train/ckpt/teacher.pt --out datasets/models/teacher
"""
import argparse
import json
import os
import shutil
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import LlamaForCausalLM, count_params  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OPSET = 14


def hf_config(cfg):
    return {
        "architectures": ["LlamaForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
        "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0, "head_dim": cfg["head_dim"], "hidden_act": "silu",
        "hidden_size": cfg["hidden_size"], "initializer_range": cfg["initializer_range"],
        "intermediate_size": cfg["intermediate_size"], "max_position_embeddings": cfg["max_position_embeddings"],
        "mlp_bias": False, "model_type": "llama", "num_attention_heads": cfg["num_attention_heads"],
        "num_hidden_layers": cfg["num_hidden_layers"], "num_key_value_heads": cfg["num_attention_heads"],
        "pretraining_tp": 1, "rms_norm_eps": cfg["rms_norm_eps"], "rope_scaling": None, "rope_theta": cfg["rope_theta"],
        "tie_word_embeddings": False, "torch_dtype": "float32", "use_cache": True, "vocab_size": cfg["vocab_size"],
    }


def names(n_layers):
    ins = ["input_ids", "attention_mask", "position_ids"]
    outs = ["logits"]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    for i in range(n_layers):
        for kv in ("key", "value"):
            ins.append(f"past_key_values.{i}.{kv}")
            outs.append(f"present.{i}.{kv}")
            axes[ins[-1]] = {0: "batch_size", 2: "past_sequence_length"}
            axes[outs[-1]] = {0: "batch_size", 2: "total_sequence_length"}
    return ins, outs, axes


def empty_past(cfg, b, p=0):
    return [torch.zeros(b, cfg["num_attention_heads"], p, cfg["head_dim"]) for _ in range(2 * cfg["num_hidden_layers"])]


def check_graph(path, model):
    """Every projection is one MatMul on a named [in, out] initializer; norms are Mul inputs."""
    g = onnx.load(path).graph
    inits = {i.name: list(i.dims) for i in g.initializer}
    matmul_w = {n.input[1] for n in g.node if n.op_type == "MatMul" and n.input[1] in inits}
    mul_w = {x for n in g.node if n.op_type == "Mul" for x in n.input if x in inits}
    gather_w = {n.input[0] for n in g.node if n.op_type == "Gather" and n.input[0] in inits}
    for name, p in model.state_dict().items():
        if name.endswith("proj.weight") or name == "lm_head.weight":
            assert name in matmul_w and inits[name] == list(p.shape), f"{name} is not a MatMul initializer [in,out]"
        elif name.endswith("norm.weight"):
            assert name in mul_w, f"{name} is not a Mul initializer"
        elif name == "model.embed_tokens.weight":
            assert name in gather_w, "embedding is not a Gather initializer"
    return sorted({n.op_type for n in g.node})


@torch.no_grad()
def parity_fixture(model, cfg):
    """Two left-padded prompts (lengths 7 and 4), then a 2-token KV-cached continuation."""
    g = torch.Generator().manual_seed(7)
    a = [1] + torch.randint(3, cfg["vocab_size"], (6,), generator=g).tolist()
    b = [1] + torch.randint(3, cfg["vocab_size"], (3,), generator=g).tolist()
    ids = torch.tensor([a, [0] * 3 + b])
    mask = torch.tensor([[1] * 7, [0] * 3 + [1] * 4])
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    logits, *present = model(ids, mask, pos, *empty_past(cfg, 2))
    ids2 = torch.randint(3, cfg["vocab_size"], (2, 2), generator=g)
    mask2 = torch.cat([mask, torch.ones(2, 2, dtype=torch.long)], 1)
    pos2 = pos[:, -1:] + torch.tensor([[1, 2]])
    logits2, *_ = model(ids2, mask2, pos2, *present)
    full, *_ = model(torch.cat([ids, ids2], 1), mask2, torch.cat([pos, pos2], 1), *empty_past(cfg, 2))
    cache_vs_full = (full[:, -2:] - logits2).abs().max().item()
    k = 16
    return {
        "note": "torch fp32 logits; slices are [row][position][first 16 vocab entries] and argmax per position",
        "vocab_slice": k,
        "prefill": {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "position_ids": pos.tolist(),
                    "logits_slice": logits[:, :, :k].tolist(), "argmax": logits.argmax(-1).tolist()},
        "continuation": {"input_ids": ids2.tolist(), "attention_mask": mask2.tolist(), "position_ids": pos2.tolist(),
                         "logits_slice": logits2[:, :, :k].tolist(), "argmax": logits2.argmax(-1).tolist()},
        "torch_cache_vs_full_max_abs": cache_vs_full,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tokenizer-dir", default=os.path.join(ROOT, "datasets/corpus/tokenizer"))
    args = ap.parse_args()
    torch.set_num_threads(2)
    ck = torch.load(args.ckpt)
    cfg = ck["config"]
    model = LlamaForCausalLM(cfg)
    model.load_state_dict(ck["state_dict"])
    model.eval()
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    onnx_path = os.path.join(args.out, "onnx", "model.onnx")
    ins, outs, axes = names(cfg["num_hidden_layers"])
    dummy = (torch.tensor([[1, 5, 6], [0, 1, 7]]), torch.tensor([[1, 1, 1, 1, 1], [1, 1, 0, 1, 1]]),
             torch.tensor([[2, 3, 4], [1, 1, 2]]), *[t + 0.1 for t in empty_past(cfg, 2, 2)])
    torch.onnx.export(model, dummy, onnx_path, input_names=ins, output_names=outs, dynamic_axes=axes,
                      opset_version=OPSET, do_constant_folding=True)
    ops = check_graph(onnx_path, model)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(hf_config(cfg), f, indent=2)
    with open(os.path.join(args.out, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0}, f, indent=2)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copyfile(os.path.join(args.tokenizer_dir, name), os.path.join(args.out, name))
    fixture = parity_fixture(model, cfg)
    with open(os.path.join(args.out, "parity-fixture.json"), "w") as f:
        json.dump(fixture, f)
    print(json.dumps({"onnx": onnx_path, "bytes": os.path.getsize(onnx_path), "params": count_params(model),
                      "opset": OPSET, "ops": ops, "torch_cache_vs_full_max_abs": fixture["torch_cache_vs_full_max_abs"]}))


if __name__ == "__main__":
    main()
