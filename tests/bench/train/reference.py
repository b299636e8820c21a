"""The training-speed reference: Strata's model and training step written in plain PyTorch eager
Python, the way a researcher would write it, trained on the same initial weights and batches
(from bench_train_inputs). Used only for measuring: it prints each step's loss, so the benchmark
can show both programs compute the same function, and the training throughput."""

import argparse
import json
import math
import struct
import time
import tomllib

import torch
import torch.nn.functional as F
from torch import nn


def load_safetensors(path):
    dtypes = {"F32": torch.float32, "I64": torch.int64, "BF16": torch.bfloat16, "U8": torch.uint8}
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = bytearray(data[begin:end])
        tensors[name] = torch.frombuffer(raw, dtype=dtypes[info["dtype"]]).reshape(info["shape"]).clone()
    return tensors, metadata


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        x32 = x.float()
        return (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight).to(x.dtype)


class Rotary(nn.Module):
    def __init__(self, dim, max_len, base):
        super().__init__()
        inv = base ** (-torch.arange(0, dim, 2, dtype=torch.float64) / dim)
        angles = torch.outer(torch.arange(max_len, dtype=torch.float64), inv)
        angles = torch.cat([angles, angles], -1)
        self.register_buffer("cos", angles.cos().float(), persistent=False)
        self.register_buffer("sin", angles.sin().float(), persistent=False)

    def forward(self, x):  # (B, H, T, D)
        t = x.shape[2]
        a, b = x.chunk(2, -1)
        return x * self.cos[:t] + torch.cat([-b, a], -1) * self.sin[:t]


def linear(n_in, n_out):
    return nn.Linear(n_in, n_out, bias=False)


class GQA(nn.Module):
    def __init__(self, c):
        super().__init__()
        a = c["attention"]
        self.h, self.kv = a["num_heads"], a["num_kv_heads"]
        self.hd = a["head_dim"] or c["d_model"] // self.h
        d = c["d_model"]
        self.wq, self.wk = linear(d, self.h * self.hd), linear(d, self.kv * self.hd)
        self.wv, self.wo = linear(d, self.kv * self.hd), linear(self.h * self.hd, d)
        self.rope = Rotary(self.hd, c["context_length"], a["rope_base"])

    def forward(self, x):
        b, t, _ = x.shape
        q = self.rope(self.wq(x).view(b, t, self.h, self.hd).transpose(1, 2))
        k = self.rope(self.wk(x).view(b, t, self.kv, self.hd).transpose(1, 2))
        v = self.wv(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=self.kv != self.h)
        return self.wo(out.transpose(1, 2).reshape(b, t, -1))


class MLA(nn.Module):
    def __init__(self, c):
        super().__init__()
        a, d = c["attention"], c["d_model"]
        self.h, self.rank = a["num_heads"], a["kv_lora_rank"]
        self.nope, self.rope_dim, self.vd = a["qk_nope_head_dim"], a["qk_rope_head_dim"], a["v_head_dim"]
        qk = self.nope + self.rope_dim
        if a["q_lora_rank"] > 0:
            self.q_a, self.q_norm = linear(d, a["q_lora_rank"]), RMSNorm(a["q_lora_rank"], c["norm_eps"])
            self.q_b = linear(a["q_lora_rank"], self.h * qk)
        else:
            self.wq = linear(d, self.h * qk)
        self.kv_a = linear(d, self.rank + self.rope_dim)
        self.kv_norm = RMSNorm(self.rank, c["norm_eps"])
        self.kv_b = linear(self.rank, self.h * (self.nope + self.vd))
        self.wo = linear(self.h * self.vd, d)
        self.rope = Rotary(self.rope_dim, c["context_length"], a["rope_base"])

    def forward(self, x):
        b, t, _ = x.shape
        q = self.q_b(self.q_norm(self.q_a(x))) if hasattr(self, "q_a") else self.wq(x)
        q_nope, q_rope = q.view(b, t, self.h, -1).transpose(1, 2).split([self.nope, self.rope_dim], -1)
        query = torch.cat([q_nope, self.rope(q_rope)], -1)
        latent, k_rope = self.kv_a(x).split([self.rank, self.rope_dim], -1)
        k_rope = self.rope(k_rope.unsqueeze(1))
        kv = self.kv_b(self.kv_norm(latent)).view(b, t, self.h, -1).transpose(1, 2)
        k_nope, v = kv.split([self.nope, self.vd], -1)
        key = torch.cat([k_nope, k_rope.expand(b, self.h, t, self.rope_dim)], -1)
        out = F.scaled_dot_product_attention(query, key, v, is_causal=True)
        return self.wo(out.transpose(1, 2).reshape(b, t, -1))


class SwiGLU(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.gate, self.up, self.down = linear(d, hidden), linear(d, hidden), linear(hidden, d)

    def forward(self, x):
        return self.down(F.silu(self.gate(x)) * self.up(x))


class Router(nn.Module):
    def __init__(self, d, m):
        super().__init__()
        self.m = m
        self.gate = linear(d, m["num_routed_experts"])
        self.register_buffer("bias", torch.zeros(m["num_routed_experts"]))

    def forward(self, x):
        m, e = self.m, self.m["num_routed_experts"]
        logits = self.gate(x).float()
        sigmoid = m["scoring"] == "sigmoid"
        scores = torch.sigmoid(logits) if sigmoid else torch.softmax(logits, -1)
        top = torch.topk(scores.detach() + self.bias, m["top_k"], -1).indices
        chosen = scores.gather(1, top)
        weights = chosen / chosen.sum(-1, keepdim=True)
        probs = scores / scores.sum(-1, keepdim=True) if sigmoid else scores
        counts = torch.zeros_like(logits).scatter_(1, top, 1.0).sum(0)
        load = (counts / counts.sum().clamp_min(1.0)).detach()
        loss = logits.new_zeros(())
        if m["aux_loss_coef"] > 0:
            loss = loss + m["aux_loss_coef"] * e * (load * probs.mean(0)).sum()
        if m["z_loss_coef"] > 0:
            loss = loss + m["z_loss_coef"] * torch.logsumexp(logits, -1).pow(2).mean()
        return top, weights, load, loss


class MoE(nn.Module):
    def __init__(self, c):
        super().__init__()
        m, d = c["moe"], c["d_model"]
        hidden = m["expert_hidden_size"] or d
        e = m["num_routed_experts"]
        self.router = Router(d, m)
        self.experts = nn.Module()
        self.experts.gate = nn.Parameter(torch.empty(e, hidden, d))
        self.experts.up = nn.Parameter(torch.empty(e, hidden, d))
        self.experts.down = nn.Parameter(torch.empty(e, d, hidden))
        if m["num_shared_experts"] > 0:
            self.shared = SwiGLU(d, m["num_shared_experts"] * hidden)

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        top, weights, load, loss = self.router(x)
        k = top.shape[1]
        flat = top.reshape(-1)
        order = torch.argsort(flat, stable=True)
        token = order // k
        rows = x[token]
        counts = torch.bincount(flat, minlength=self.experts.gate.shape[0]).tolist()
        outputs, start = [], 0
        for i, n in enumerate(counts):
            if n == 0:
                continue
            part = rows[start:start + n]
            hidden = F.silu(part @ self.experts.gate[i].t()) * (part @ self.experts.up[i].t())
            outputs.append(hidden @ self.experts.down[i].t())
            start += n
        y = torch.zeros_like(x).index_add_(0, token, torch.cat(outputs) * weights.reshape(-1)[order].unsqueeze(1))
        if hasattr(self, "shared"):
            y = y + self.shared(x)
        return y.view(shape), load, loss


class Block(nn.Module):
    def __init__(self, c, layer):
        super().__init__()
        self.attention_norm = RMSNorm(c["d_model"], c["norm_eps"])
        self.attention = MLA(c) if c["attention"]["kind"] == "mla" else GQA(c)
        self.ffn_norm = RMSNorm(c["d_model"], c["norm_eps"])
        if layer < c["num_dense_layers"]:
            hidden = c["dense_hidden_size"] or (4 * c["d_model"] * 2 // 3 + 63) // 64 * 64
            self.ffn = SwiGLU(c["d_model"], hidden)
        else:
            self.moe = MoE(c)

    def forward(self, x, routing):
        h = x + self.attention(self.attention_norm(x))
        if hasattr(self, "ffn"):
            return h + self.ffn(self.ffn_norm(h))
        y, load, loss = self.moe(self.ffn_norm(h))
        routing.append((load, loss))
        return h + y


class Transformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embedding = nn.Embedding(c["vocab_size"], c["d_model"])
        for layer in range(c["num_layers"]):
            self.add_module(f"block{layer}", Block(c, layer))
        self.blocks = [getattr(self, f"block{layer}") for layer in range(c["num_layers"])]
        self.final_norm = RMSNorm(c["d_model"], c["norm_eps"])
        self.head = None if c["tied_embeddings"] else linear(c["d_model"], c["vocab_size"])

    def forward(self, tokens):
        x, routing = self.embedding(tokens), []
        for block in self.blocks:
            x = block(x, routing)
        x = self.final_norm(x)
        logits = self.head(x) if self.head is not None else x @ self.embedding.weight.t()
        return logits, routing


def learning_rate(s, step, peak, total):
    floor = peak * s["min_lr_ratio"]
    if step < s["warmup_steps"]:
        return peak * (step + 1) / s["warmup_steps"]
    if s["kind"] == "cosine":
        progress = min(max((step - s["warmup_steps"]) / max(1, total - s["warmup_steps"]), 0.0), 1.0)
        return floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * progress))
    decay = max(1, round(s["decay_fraction"] * total))
    progress = min(max((step - (total - decay)) / decay, 0.0), 1.0)
    return peak if step < total - decay else peak + (floor - peak) * progress


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", required=True, help="bench_train_inputs output")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=2, help="steps left out of the timing")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    tensors, metadata = load_safetensors(args.inputs)
    config = tomllib.loads(metadata["config"])
    c, t, o, s = config["model"], config["train"], config["optim"], config["schedule"]
    batches = tensors.pop("batches")

    model = Transformer(c)
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    assert not unexpected and all(".rope." in name for name in missing), (missing, unexpected)
    decayed = [p for n, p in model.named_parameters() if p.dim() >= 2 and "embedding" not in n]
    plain = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "embedding" not in n)]
    optimizer = torch.optim.AdamW(
        [{"params": decayed, "weight_decay": o["weight_decay"]}, {"params": plain, "weight_decay": 0.0}],
        lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"])
    seq_len = t["sequence_length"] or c["context_length"]
    micro, accum = t["micro_batch_size"], t["grad_accum_steps"]
    steps = batches.shape[0] // (micro * accum)
    moe_blocks = [b for b in model.blocks if hasattr(b, "moe")]

    losses, seconds = [], []
    for step in range(steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        total, loads = 0.0, [0.0] * len(moe_blocks)
        for m in range(accum):
            rows = batches[(step * accum + m) * micro:(step * accum + m + 1) * micro]
            logits, routing = model(rows[:, :seq_len])
            ce = F.cross_entropy(logits.reshape(-1, c["vocab_size"]).float(), rows[:, 1:].reshape(-1))
            router_loss = sum((loss for _, loss in routing), logits.new_zeros(()))
            ((ce + router_loss) / accum).backward()
            total += ce.item() / accum
            loads = [a + load for a, (load, _) in zip(loads, routing)]
        clip = t["grad_clip"] if t["grad_clip"] > 0 else float("inf")
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(s, step, o["lr"], t["max_steps"])
        optimizer.step()
        speed = c["moe"]["bias_update_speed"]
        with torch.no_grad():
            for block, load in zip(moe_blocks, loads):
                if speed > 0:
                    load = load / accum
                    block.moe.router.bias -= speed * torch.sign(load - load.mean())
        seconds.append(time.perf_counter() - start)
        losses.append(total)

    timed = sorted(seconds[args.warmup:])
    median = timed[len(timed) // 2]
    print(json.dumps({"losses": losses, "step_seconds": median,
                      "tokens_per_second": micro * accum * seq_len / median}))


if __name__ == "__main__":
    main()
