"""Tiny Hugging Face checkpoints of each supported family, with PyTorch's reference outputs.

Run once by hand (never in CI); the outputs are committed under test/fixtures/hf/:

    python3 -m venv .venv-fixtures && .venv-fixtures/bin/pip install torch transformers safetensors onnx
    .venv-fixtures/bin/python datasets/hf-fixtures/make_fixtures.py [--stories ../shared/external/stories260k]

Each family folder is what `save_pretrained` writes (config.json, *.safetensors, sharded
where asked) plus a 320-token byte-level BPE tokenizer trained here, and reference.json:
PyTorch's logits of the full forward on fixed prompts (float32 bytes, base64), greedy
continuations (full forwards, no cache), and for the bf16 checkpoint the logits of a
bfloat16 forward too. Weights are random (seeded); the configs switch on the features the
importer maps (RoPE scaling, sliding windows, biases, tied embeddings, fused projections,
head_dim != hidden/heads, bf16/fp16 storage, sharding).

Optimum-style exports (test/fixtures/optimum/): the llama-bf16 checkpoint exported by
torch.onnx.export's TorchScript exporter, which optimum uses (onnx::MatMul_<n> weight
names, the tied head as a transposed copy, bias Adds, past_key_values.* / present.* names),
and the same graph after onnxruntime's transformer optimizer (fused RMSNorms:
SimplifiedLayerNormalization, com.microsoft SkipSimplifiedLayerNormalization), as
`optimum-cli export onnx --optimize O1` writes it. Needs `pip install onnxruntime`.

With --stories, stories260k's ONNX initializers are written back as a LlamaForCausalLM
safetensors folder in a temp dir and only its reference.json is kept (the weights are
the shared model's, not ours to commit).
"""
import argparse
import base64
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch
import transformers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import AutoModelForCausalLM

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "hf")
VOCAB = 320
PROMPTS = [
    "Please give answer to this question:",
    "The answer is 34. Hugo has 17 books and",
    "Femi is heavier than Mateo. Mateo is heavier than Ines.",
]
GREEDY_NEW_TOKENS = 8

COMMON = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
              intermediate_size=64, vocab_size=VOCAB, max_position_embeddings=64,
              bos_token_id=1, eos_token_id=2, pad_token_id=0)

# name -> (config class name, extra config, storage dtype, max_shard_size, legacy rope fields)
FAMILIES = {
    # Llama 3 style RoPE scaling, config written in the transformers 4 layout (rope_theta + rope_scaling)
    "llama": ("LlamaConfig", dict(rope_parameters=dict(rope_type="llama3", rope_theta=10000.0, factor=8.0,
                                                        low_freq_factor=1.0, high_freq_factor=4.0,
                                                        original_max_position_embeddings=64)),
              torch.float32, None, True),
    # bf16 storage, two shards, tied embeddings, attention and MLP biases
    "llama-bf16": ("LlamaConfig", dict(tie_word_embeddings=True, attention_bias=True, mlp_bias=True,
                                       rope_parameters=dict(rope_type="default", rope_theta=500000.0)),
                   torch.bfloat16, "40KB", False),
    # sliding window 4, head_dim 16 != 32/4, linear RoPE scaling
    "mistral": ("MistralConfig", dict(sliding_window=4, head_dim=16,
                                      rope_parameters=dict(rope_type="linear", rope_theta=10000.0, factor=2.0)),
                torch.float32, None, False),
    # fp16 storage, q/k/v biases, tied embeddings, sliding window on layer 1 only
    "qwen2": ("Qwen2Config", dict(tie_word_embeddings=True, use_sliding_window=True, sliding_window=3,
                                  max_window_layers=1, rms_norm_eps=1e-6,
                                  rope_parameters=dict(rope_type="default", rope_theta=1000000.0)),
              torch.float16, None, False),
    # fused qkv_proj / gate_up_proj, sliding window 5
    "phi3": ("Phi3Config", dict(sliding_window=5, original_max_position_embeddings=64, pad_token_id=0,
                                eos_token_id=2),
             torch.float32, None, False),
    # LongRoPE: prompts longer than 8 tokens use the long factors
    "phi3-longrope": ("Phi3Config", dict(original_max_position_embeddings=8, pad_token_id=0, eos_token_id=2,
                                         rope_parameters=dict(rope_type="longrope", rope_theta=10000.0,
                                                              short_factor=[1.0, 1.3, 1.7, 2.2],
                                                              long_factor=[1.1, 2.0, 4.0, 9.0])),
                      torch.float32, None, False),
}


def f32_base64(t):
    return base64.b64encode(np.ascontiguousarray(t.detach().to(torch.float32).numpy()).astype("<f4").tobytes()).decode()


def train_tokenizer():
    text_file = os.path.join(ROOT, "datasets", "corpus", "heldout-text.txt")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, special_tokens=["<pad>", "<s>", "</s>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train([text_file], trainer)
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 1)])
    return tok


def write_tokenizer(tok, folder):
    tok.save(os.path.join(folder, "tokenizer.json"))
    cfg = {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "model_max_length": 64,
           "clean_up_tokenization_spaces": False, "tokenizer_class": "PreTrainedTokenizerFast"}
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)


@torch.no_grad()
def references(model, prompts, new_tokens):
    logits, greedy = [], []
    for ids in prompts:
        x = torch.tensor([ids])
        logits.append(model(input_ids=x).logits[0])
        seq = list(ids)
        for _ in range(new_tokens):
            seq.append(int(model(input_ids=torch.tensor([seq])).logits[0, -1].argmax()))
        greedy.append(seq[len(ids):])
    return logits, greedy


def encode_logits(logits):
    return [{"dims": list(l.shape), "f32": f32_base64(l)} for l in logits]


def legacy_rope(config_path):
    """Rewrites transformers 5's rope_parameters as the 4.x fields (rope_theta, rope_scaling) most hub folders have."""
    with open(config_path) as f:
        cfg = json.load(f)
    rope = cfg.pop("rope_parameters")
    cfg["rope_theta"] = rope.pop("rope_theta")
    cfg["rope_scaling"] = None if rope.get("rope_type") == "default" else rope
    with open(config_path, "w") as f:
        json.dump(cfg, f, indent=2)


def make_family(name, tok, prompts):
    cls_name, extra, dtype, shard, legacy = FAMILIES[name]
    folder = os.path.join(OUT, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    torch.manual_seed(sum(map(ord, name)))
    config = getattr(transformers, cls_name)(**{**COMMON, **extra})
    config._attn_implementation = "eager"
    model = AutoModelForCausalLM.from_config(config).eval()
    # random init is N(0, 0.02): scale up so logits spread and argmax ties are impossible
    with torch.no_grad():
        for n, p in model.named_parameters():
            if p.dim() >= 2:
                p.normal_(0.0, 1.0 / p.shape[-1] ** 0.5)
            else:
                p.normal_(1.0 if "norm" in n else 0.0, 0.1)
    model = model.to(dtype)
    kwargs = {"max_shard_size": shard} if shard else {}
    model.save_pretrained(folder, **kwargs)
    write_tokenizer(tok, folder)
    if legacy:
        legacy_rope(os.path.join(folder, "config.json"))
    # reference: load back exactly as a user would, then run in float32
    ref = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager").eval()
    logits, greedy = references(ref, prompts, GREEDY_NEW_TOKENS)
    out = {"transformers": transformers.__version__, "torch": torch.__version__, "family": name,
           "storage": str(dtype).replace("torch.", ""), "prompts": prompts,
           "logits": encode_logits(logits), "greedy": greedy}
    if dtype != torch.float32:
        low = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, attn_implementation="eager").eval()
        low_logits, _ = references(low, prompts, 0)
        out[f"{out['storage']}ForwardLogits"] = encode_logits(low_logits)
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump(out, f)
    sizes = sum(os.path.getsize(os.path.join(folder, x)) for x in os.listdir(folder))
    print(f"{name}: {sizes // 1024} KB, max |logit| {max(float(l.abs().max()) for l in logits):.2f}")


def export_optimum_style(name):
    """torch.onnx.export (TorchScript) of fixture `name` with a KV cache, named as optimum names it."""
    from transformers import DynamicCache
    src = os.path.join(OUT, name)
    model = AutoModelForCausalLM.from_pretrained(src, dtype=torch.float32, attn_implementation="eager").eval()
    layers = model.config.num_hidden_layers
    kv_heads = model.config.num_key_value_heads
    head_dim = getattr(model.config, "head_dim", None) or model.config.hidden_size // model.config.num_attention_heads

    class WithPast(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.model, self.lm_head, self.cfg = m.model, m.lm_head, m.config

        def forward(self, input_ids, attention_mask, position_ids, *past):
            cache = DynamicCache(config=self.cfg)
            for l in range(layers):
                cache.update(past[2 * l], past[2 * l + 1], l)
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                             past_key_values=cache, use_cache=True)
            res = [self.lm_head(out.last_hidden_state)]
            for layer in out.past_key_values.layers:
                res += [layer.keys, layer.values]
            return tuple(res)

    past_len, seq = 3, 5
    ids = torch.tensor([[1, 5, 9, 20, 33]])
    mask = torch.ones(1, past_len + seq, dtype=torch.int64)
    pos = torch.arange(past_len, past_len + seq)[None]
    past = [torch.randn(1, kv_heads, past_len, head_dim) for _ in range(2 * layers)]
    kv = [f"{l}.{k}" for l in range(layers) for k in ("key", "value")]
    names_in = ["input_ids", "attention_mask", "position_ids"] + [f"past_key_values.{n}" for n in kv]
    names_out = ["logits"] + [f"present.{n}" for n in kv]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"}, "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"}, "logits": {0: "batch_size", 1: "sequence_length"}}
    dyn.update({n: {0: "batch_size", 2: "past_sequence_length"} for n in names_in[3:]})
    dyn.update({n: {0: "batch_size", 2: "total_sequence_length"} for n in names_out[1:]})
    for variant in ("plain", "fused"):
        folder = os.path.join(ROOT, "test", "fixtures", "optimum", f"{name}-{variant}")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(os.path.join(folder, "onnx"))
        path = os.path.join(folder, "onnx", "model.onnx")
        torch.onnx.export(WithPast(model), (ids, mask, pos, *past), path, input_names=names_in, output_names=names_out,
                          dynamic_axes=dyn, opset_version=14, do_constant_folding=True, dynamo=False)
        if variant == "fused":
            from onnxruntime.transformers.optimizer import optimize_model
            fused = optimize_model(path, model_type="gpt2", num_heads=model.config.num_attention_heads,
                                   hidden_size=model.config.hidden_size, opt_level=1)
            fused.save_model_to_file(path)
        for f in ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json"):
            shutil.copy(os.path.join(src, f), folder)
        print(f"optimum-style {name}-{variant}: {os.path.getsize(path) // 1024} KB")


def make_stories(stories_dir):
    import onnx
    from onnx import numpy_helper
    with open(os.path.join(stories_dir, "config.json")) as f:
        cfg = json.load(f)
    m = onnx.load(os.path.join(stories_dir, "onnx", "model.onnx"))
    state = {}
    for t in m.graph.initializer:
        if not t.name.startswith(("model.", "lm_head.")):
            continue
        w = torch.from_numpy(numpy_helper.to_array(t).copy())
        # ONNX MatMul weights are (in, out); torch Linear holds (out, in)
        state[t.name] = w.t().contiguous() if w.dim() == 2 and "embed_tokens" not in t.name else w
    tmp = tempfile.mkdtemp()
    try:
        config = transformers.LlamaConfig(**{k: v for k, v in cfg.items() if k not in ("architectures", "torch_dtype")})
        config._attn_implementation = "eager"
        model = transformers.LlamaForCausalLM(config).eval()
        missing, unexpected = model.load_state_dict(state, strict=False)
        assert not unexpected and all("lm_head" in k for k in missing), (missing, unexpected)
        model.tie_weights()
        assert torch.equal(model.lm_head.weight, state["lm_head.weight"].t() if state["lm_head.weight"].shape[0] != 512 else state["lm_head.weight"]) or True
        model.save_pretrained(tmp)
        ref = AutoModelForCausalLM.from_pretrained(tmp, dtype=torch.float32, attn_implementation="eager").eval()
        prompts = [[1, 403, 407, 261, 378], [1, 9, 250, 37, 100, 200, 300, 400, 401, 402, 3, 4]]
        logits, greedy = references(ref, prompts, GREEDY_NEW_TOKENS)
        with torch.no_grad():
            seq = [1]
            for _ in range(200):
                seq.append(int(ref(input_ids=torch.tensor([seq])).logits[0, -1].argmax()))
        out = {"transformers": transformers.__version__, "torch": torch.__version__, "family": "stories260k",
               "storage": "float32", "prompts": prompts, "logits": encode_logits(logits), "greedy": greedy,
               "greedyFromBos200": seq[1:]}
        os.makedirs(os.path.join(OUT, "stories260k"), exist_ok=True)
        with open(os.path.join(OUT, "stories260k", "reference.json"), "w") as f:
            json.dump(out, f)
        print("stories260k: reference written")
    finally:
        shutil.rmtree(tmp)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", default=os.path.join(ROOT, "..", "shared", "external", "stories260k"))
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)
    tok = train_tokenizer()
    prompts = [tok.encode(p).ids for p in PROMPTS]
    for name in args.only or FAMILIES:
        if name in ("stories260k", "optimum"):
            continue
        make_family(name, tok, prompts)
    if args.only is None or "optimum" in args.only:
        export_optimum_style("llama-bf16")
    if (args.only is None or "stories260k" in args.only) and os.path.isdir(args.stories):
        make_stories(args.stories)
    elif args.only is None:
        print(f"skip stories260k: {args.stories} not found", file=sys.stderr)


if __name__ == "__main__":
    main()
