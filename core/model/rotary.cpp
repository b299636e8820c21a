#include "core/model/rotary.h"

namespace strata::model {

RotaryEmbeddingImpl::RotaryEmbeddingImpl(int64_t headDim, int64_t maxLength, double base)
    : m_headDim(headDim) {
    TORCH_CHECK(headDim % 2 == 0, "RotaryEmbedding needs an even head dim, got ", headDim);
    torch::Tensor inverseFrequency =
        torch::pow(base, -torch::arange(0, headDim, 2, torch::kFloat64) / double(headDim));
    torch::Tensor angles =
        torch::outer(torch::arange(maxLength, torch::kFloat64), inverseFrequency);
    torch::Tensor angles_TDh = torch::cat({angles, angles}, -1);
    m_cos_TDh = register_buffer("cos", angles_TDh.cos().to(torch::kFloat32));
    m_sin_TDh = register_buffer("sin", angles_TDh.sin().to(torch::kFloat32));
}

torch::Tensor RotaryEmbeddingImpl::forward(const torch::Tensor& x_BHTDh, int64_t offset) {
    TORCH_CHECK(x_BHTDh.dim() == 4 && x_BHTDh.size(3) == m_headDim,
                "RotaryEmbedding expects (B,H,T,", m_headDim, "), got ", x_BHTDh.sizes());
    int64_t length = x_BHTDh.size(2);
    TORCH_CHECK(offset >= 0 && offset + length <= m_cos_TDh.size(0), "positions ", offset, "..",
                offset + length, " exceed the ", m_cos_TDh.size(0), " the rotary table holds");
    return rotate(x_BHTDh, m_cos_TDh.narrow(0, offset, length),
                  m_sin_TDh.narrow(0, offset, length));
}

torch::Tensor RotaryEmbeddingImpl::forward(const torch::Tensor& x_BHTDh,
                                           const torch::Tensor& positions_BT) {
    TORCH_CHECK(x_BHTDh.dim() == 4 && x_BHTDh.size(3) == m_headDim &&
                    positions_BT.sizes() == torch::IntArrayRef({x_BHTDh.size(0), x_BHTDh.size(2)}),
                "RotaryEmbedding expects (B,H,T,", m_headDim, ") and (B,T) positions, got ",
                x_BHTDh.sizes(), " and ", positions_BT.sizes());
    auto table = [&](const torch::Tensor& values_TDh) {
        return values_TDh.index_select(0, positions_BT.reshape({-1}))
            .view({positions_BT.size(0), 1, positions_BT.size(1), m_headDim});
    };
    return rotate(x_BHTDh, table(m_cos_TDh), table(m_sin_TDh));
}

torch::Tensor RotaryEmbeddingImpl::rotate(const torch::Tensor& x_BHTDh, const torch::Tensor& cos,
                                          const torch::Tensor& sin) const {
    std::vector<torch::Tensor> halves = x_BHTDh.chunk(2, -1);
    torch::Tensor rotated = torch::cat({-halves[1], halves[0]}, -1);
    return x_BHTDh * cos.to(x_BHTDh.scalar_type()) + rotated * sin.to(x_BHTDh.scalar_type());
}

}  // namespace strata::model
