"""A Llama-architecture decoder (RMSNorm, RoPE, SwiGLU) whose every linear layer is an
explicit `x @ W` with W stored as [in, out], so the ONNX export has exactly one MatMul
per projection on a readable fp32 initializer (model.layers.{i}.self_attn.q_proj.weight, ...).
"""
import math

import torch
from torch import nn

NEG = -1e9  # additive mask value; finite so fully padded rows stay NaN-free


class Proj(nn.Module):
    """A bias-free linear layer with its weight as [in, out]: y = x @ W."""

    def __init__(self, n_in, n_out, std):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_in, n_out) * std)

    def forward(self, x):
        return torch.matmul(x, self.weight)  # x (..., in) @ W (in, out) -> (..., out)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return x * self.weight  # the Mul that compression folds scales into


class Attention(nn.Module):
    def __init__(self, cfg, std):
        super().__init__()
        h, self.nh, self.hd = cfg["hidden_size"], cfg["num_attention_heads"], cfg["head_dim"]
        self.q_proj = Proj(h, self.nh * self.hd, std)
        self.k_proj = Proj(h, self.nh * self.hd, std)
        self.v_proj = Proj(h, self.nh * self.hd, std)
        self.o_proj = Proj(self.nh * self.hd, h, std / math.sqrt(2 * cfg["num_hidden_layers"]))

    def forward(self, x, cos, sin, bias, past_k=None, past_v=None):
        b, s = x.shape[0], x.shape[1]
        # (B,S,H) -> (B,nh,S,hd)
        q = self.q_proj(x).reshape(b, s, self.nh, self.hd).transpose(1, 2)
        k = self.k_proj(x).reshape(b, s, self.nh, self.hd).transpose(1, 2)
        v = self.v_proj(x).reshape(b, s, self.nh, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        att = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.hd) + bias  # (B,nh,S,T)
        att = torch.softmax(att, dim=-1)
        out = torch.matmul(att, v).transpose(1, 2).reshape(b, s, self.nh * self.hd)
        return self.o_proj(out), k, v


class MLP(nn.Module):
    def __init__(self, cfg, std):
        super().__init__()
        h, i = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj = Proj(h, i, std)
        self.up_proj = Proj(h, i, std)
        self.down_proj = Proj(i, h, std / math.sqrt(2 * cfg["num_hidden_layers"]))

    def forward(self, x):
        g = self.gate_proj(x)
        return self.down_proj(g * torch.sigmoid(g) * self.up_proj(x))  # SwiGLU


class Layer(nn.Module):
    def __init__(self, cfg, std):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.self_attn = Attention(cfg, std)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.mlp = MLP(cfg, std)

    def forward(self, x, cos, sin, bias, past_k=None, past_v=None):
        a, k, v = self.self_attn(self.input_layernorm(x), cos, sin, bias, past_k, past_v)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), k, v


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Embedding(nn.Module):
    """Holds `weight` so the initializer is named model.embed_tokens.weight."""

    def __init__(self, vocab, hidden, std):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(vocab, hidden) * std)


class LlamaModel(nn.Module):
    def __init__(self, cfg, std):
        super().__init__()
        self.embed_tokens = Embedding(cfg["vocab_size"], cfg["hidden_size"], std)
        self.layers = nn.ModuleList([Layer(cfg, std) for _ in range(cfg["num_hidden_layers"])])
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])


class LlamaForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        std = cfg.get("initializer_range", 0.02)
        self.model = LlamaModel(cfg, std)
        self.lm_head = Proj(cfg["hidden_size"], cfg["vocab_size"], std)
        hd = cfg["head_dim"]
        inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
        self.register_buffer("inv_freq", inv, persistent=False)

    def rope(self, position_ids):
        # position_ids (B,S) -> cos, sin (B,1,S,hd)
        freqs = position_ids.to(torch.float32).unsqueeze(-1) * self.inv_freq
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)
        return torch.cos(emb), torch.sin(emb)

    def forward_train(self, input_ids):
        """Full-sequence causal forward without padding: (B,S) -> logits (B,S,V)."""
        b, s = input_ids.shape
        pos = torch.arange(s).unsqueeze(0).expand(b, s)
        cos, sin = self.rope(pos)
        bias = torch.triu(torch.full((s, s), NEG), diagonal=1)
        x = self.model.embed_tokens.weight[input_ids]
        for layer in self.model.layers:
            x, _, _ = layer(x, cos, sin, bias)
        return self.lm_head(self.model.norm(x))

    def forward(self, input_ids, attention_mask, position_ids, *past):
        """The exported signature: past is (k0, v0, k1, v1, ...), each (B,nh,P,hd).
        Returns logits (B,S,V) and the presents (B,nh,P+S,hd)."""
        s = input_ids.shape[1]
        t = attention_mask.shape[1]
        cos, sin = self.rope(position_ids)
        # query i sits at absolute slot t - s + i and may see key slots j <= that slot
        q_slot = torch.arange(s).unsqueeze(1) + (t - s)
        k_slot = torch.arange(t).unsqueeze(0)
        allowed = (k_slot <= q_slot).unsqueeze(0).unsqueeze(0) & attention_mask.bool().unsqueeze(1).unsqueeze(2)
        bias = torch.where(allowed, torch.zeros((), dtype=torch.float32), torch.full((), NEG))
        x = torch.nn.functional.embedding(input_ids, self.model.embed_tokens.weight)
        presents = []
        for i, layer in enumerate(self.model.layers):
            x, k, v = layer(x, cos, sin, bias, past[2 * i], past[2 * i + 1])
            presents += [k, v]
        return (self.lm_head(self.model.norm(x)), *presents)


def count_params(model):
    return sum(p.numel() for p in model.parameters())
