"""The gguf Python package's side of tst_gguf_quants (run with the pinned pytools python).

  gguf_reference.py quants OUT_DIR
      For every ggml type Strata reads, random blocks (seeded; their f16 scales finite) in
      OUT_DIR/TYPE.bin and their values as the gguf package dequantizes them in OUT_DIR/TYPE.f32.
      For every type Strata writes, random values in OUT_DIR/values.f32 and the package's
      encoding of them in OUT_DIR/TYPE.encoded.
"""
import os
import sys

import numpy as np
from gguf import GGMLQuantizationType as T
from gguf.constants import GGML_QUANT_SIZES
from gguf.quants import dequantize, quantize

BLOCKS = 64
READ = [T.F32, T.F16, T.BF16, T.Q4_0, T.Q4_1, T.Q8_0, T.Q4_K, T.Q5_K, T.Q6_K]
WRITTEN = [T.F32, T.F16, T.BF16, T.Q8_0]
# Byte offsets of each block's f16 scales (d, dmin, m), which must be finite numbers.
HALF_OFFSETS = {T.Q4_0: [0], T.Q4_1: [0, 2], T.Q8_0: [0], T.Q4_K: [0, 2], T.Q5_K: [0, 2],
                T.Q6_K: [208]}


def random_blocks(rng, qtype):
    block_values, block_bytes = GGML_QUANT_SIZES[qtype]
    if qtype in (T.F32, T.F16, T.BF16):
        values = rng.standard_normal(BLOCKS * 256).astype(np.float32)
        return quantize(values, qtype).view(np.uint8).reshape(-1), BLOCKS * 256
    blocks = rng.integers(0, 256, size=(BLOCKS, block_bytes), dtype=np.uint8)
    for offset in HALF_OFFSETS[qtype]:
        scales = (rng.standard_normal(BLOCKS) * 0.05).astype(np.float16)
        blocks[:, offset:offset + 2] = scales.view(np.uint8).reshape(BLOCKS, 2)
    return blocks.reshape(-1), BLOCKS * block_values


def quants(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    for qtype in READ:
        data, count = random_blocks(rng, qtype)
        data.tofile(os.path.join(out, f"{qtype.name}.bin"))
        values = dequantize(data.reshape(1, -1), qtype).astype(np.float32).reshape(-1)
        assert values.size == count
        values.tofile(os.path.join(out, f"{qtype.name}.f32"))
    values = (rng.standard_normal(BLOCKS * 256) * 3).astype(np.float32)
    values[:32] = 0  # an all-zero block
    values[40] = 1e6  # beyond f16's range
    values.tofile(os.path.join(out, "values.f32"))
    for qtype in WRITTEN:
        quantize(values.reshape(1, -1), qtype).view(np.uint8).tofile(
            os.path.join(out, f"{qtype.name}.encoded"))


def main(argv):
    if len(argv) == 3 and argv[1] == "quants":
        quants(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
