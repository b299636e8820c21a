#include "core/model/causal_attention.h"

#include <ATen/Context.h>

namespace strata::model {

torch::Tensor causalMask(int64_t queryLength, int64_t keyLength, int64_t window,
                         const torch::Device& device) {
    torch::Tensor position = torch::arange(keyLength - queryLength, keyLength, device).unsqueeze(1);
    torch::Tensor key = torch::arange(keyLength, device).unsqueeze(0);
    torch::Tensor allowed = key <= position;
    return window > 0 ? allowed & (position - key < window) : allowed;
}

namespace {

// Leaves cuDNN out of SDPA's choice of kernel while alive.
class WithoutCudnnAttention {
public:
    WithoutCudnnAttention() : m_was(at::globalContext().userEnabledCuDNNSDP()) {
        at::globalContext().setSDPUseCuDNN(false);
    }
    ~WithoutCudnnAttention() { at::globalContext().setSDPUseCuDNN(m_was); }
    WithoutCudnnAttention(const WithoutCudnnAttention&) = delete;
    WithoutCudnnAttention& operator=(const WithoutCudnnAttention&) = delete;

private:
    bool m_was;
};

// torch 2.11's cuDNN attention, SDPA's first choice on an H100, returns NaN gradients for an
// explicit mask at some sequence lengths (pytorch issue 196678). A masked product on CUDA leaves
// it out, and SDPA takes the memory-efficient kernel; the backward follows the forward's kernel.
torch::Tensor maskedAttention(const torch::Tensor& q, const torch::Tensor& k,
                              const torch::Tensor& v, const torch::Tensor& mask,
                              std::optional<double> scale, bool grouped) {
    std::optional<WithoutCudnnAttention> cudnnOff;
    if (q.is_cuda()) cudnnOff.emplace();
    return at::scaled_dot_product_attention(q, k, v, mask, 0.0, false, scale, grouped);
}

}  // namespace

torch::Tensor causalAttention(const torch::Tensor& q_BHTqX, const torch::Tensor& k_BKTkX,
                              const torch::Tensor& v_BKTkV, int64_t window,
                              const torch::Tensor& mask_B1TqTk, std::optional<double> scale) {
    bool grouped = k_BKTkX.size(1) != q_BHTqX.size(1);
    if (mask_B1TqTk.defined())
        return maskedAttention(q_BHTqX, k_BKTkX, v_BKTkV, mask_B1TqTk, scale, grouped);
    int64_t queryLength = q_BHTqX.size(2), keyLength = k_BKTkX.size(2);
    bool windowBites = window > 0 && window < keyLength;
    // Without a cache or window the kernels' own causal masking applies (and fused CUDA kernels).
    if (queryLength == keyLength && !windowBites)
        return at::scaled_dot_product_attention(q_BHTqX, k_BKTkX, v_BKTkV, std::nullopt, 0.0,
                                                /*is_causal=*/true, scale, grouped);
    // One new token that may see every key needs no mask at all.
    if (queryLength == 1 && !windowBites)
        return at::scaled_dot_product_attention(q_BHTqX, k_BKTkX, v_BKTkV, std::nullopt, 0.0, false,
                                                scale, grouped);
    return maskedAttention(q_BHTqX, k_BKTkX, v_BKTkV,
                           causalMask(queryLength, keyLength, window, q_BHTqX.device()), scale,
                           grouped);
}

}  // namespace strata::model
