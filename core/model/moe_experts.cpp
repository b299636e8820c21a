#include "core/model/moe_experts.h"

#include "core/model/matmul_override.h"

#include <ATen/autocast_mode.h>

#include <cmath>

namespace strata::model {

namespace {

// _grouped_mm is outside autocast's operator lists, so under autocast the experts take its dtype
// (bf16 on CUDA: the grouped GEMM kernel's) themselves.
torch::ScalarType computeType(const torch::Tensor& x) {
    c10::DeviceType device = x.device().type();
    return at::autocast::is_autocast_enabled(device) ? at::autocast::get_autocast_dtype(device)
                                                     : x.scalar_type();
}

}  // namespace

MoeExpertsImpl::MoeExpertsImpl(int64_t numExperts, int64_t dModel, int64_t hidden)
    : m_numExperts(numExperts) {
    // Each expert starts like a Linear layer: uniform in +-1/sqrt(fan_in).
    auto init = [](std::vector<int64_t> shape, int64_t fanIn) {
        double bound = 1.0 / std::sqrt(double(fanIn));
        return torch::empty(shape).uniform_(-bound, bound);
    };
    gate_EFD = register_parameter("gate", init({numExperts, hidden, dModel}, dModel));
    up_EFD = register_parameter("up", init({numExperts, hidden, dModel}, dModel));
    down_EDF = register_parameter("down", init({numExperts, dModel, hidden}, hidden));
}

torch::Tensor MoeExpertsImpl::expert(int64_t e, const torch::Tensor& x_MD) const {
    torch::Tensor hidden_MF =
        torch::silu(torch::matmul(x_MD, gate_EFD[e].t())) * torch::matmul(x_MD, up_EFD[e].t());
    return torch::matmul(hidden_MF, down_EDF[e].t());
}

torch::Tensor MoeExpertsImpl::forward(const torch::Tensor& x_ND, const torch::Tensor& topIdx_NK,
                                      const torch::Tensor& topWeight_NK) {
    TORCH_CHECK(x_ND.dim() == 2 && topIdx_NK.dim() == 2 &&
                    topIdx_NK.sizes() == topWeight_NK.sizes() && topIdx_NK.size(0) == x_ND.size(0),
                "MoeExperts expects (N,D), (N,K), (N,K); got ", x_ND.sizes(), ", ",
                topIdx_NK.sizes(), ", ", topWeight_NK.sizes());
    int64_t topK = topIdx_NK.size(1);
    // Route: assignments sorted by expert; each row of the permuted input is one assignment.
    torch::Tensor expert_A = topIdx_NK.reshape({-1});
    auto [sortedExpert_A, order_A] = torch::sort(expert_A, std::optional<bool>(true), 0);
    torch::Tensor token_A = torch::div(order_A, topK, "floor");
    torch::Tensor input_AD = x_ND.index_select(0, token_A);
    torch::ScalarType type = computeType(x_ND);
    torch::Tensor output_AD;
    if (m_exchange) {
        output_AD = runSpread(input_AD, expert_A, type);
    } else {
        // Expert e's rows end before the first assignment to a later expert: a search of the
        // sorted assignments, whose result has a known size, so the host never waits (bincount
        // sizes its result by the largest id, which on CUDA is a read of the device).
        torch::Tensor ends_E =
            torch::searchsorted(sortedExpert_A, torch::arange(m_numExperts, expert_A.options()),
                                /*out_int32=*/true, /*right=*/true);
        output_AD = runExperts(input_AD, ends_E, type);
    }
    // Combine: weight each assignment and add it back to its token.
    torch::Tensor weight_A = topWeight_NK.reshape({-1}).index_select(0, order_A).unsqueeze(1);
    return torch::zeros_like(x_ND).index_add_(0, token_A,
                                              (output_AD * weight_A).to(x_ND.scalar_type()));
}

torch::Tensor MoeExpertsImpl::runExperts(const torch::Tensor& rows_AD, const torch::Tensor& ends_E,
                                         torch::ScalarType type) {
    // One grouped matrix product per weight (ATen's _grouped_mm: one kernel over all experts on
    // CUDA, and on the CPU still about twice as fast as a product per expert).
    auto grouped = [&](const torch::Tensor& rows, const torch::Tensor& weight_EOI) {
        return groupedProject(rows, weight_EOI, ends_E, type);
    };
    torch::Tensor hidden_AF = torch::silu(grouped(rows_AD, gate_EFD)) * grouped(rows_AD, up_EFD);
    return grouped(hidden_AF, down_EDF);
}

torch::Tensor MoeExpertsImpl::runSpread(const torch::Tensor& rows_AD, const torch::Tensor& expert_A,
                                        torch::ScalarType type) {
    const int64_t ranks = m_exchange->size(), held = gate_EFD.size(0);
    TORCH_CHECK(held * ranks == m_numExperts, "MoeExperts holds ", held, " of ", m_numExperts,
                " experts, not their share over ", ranks, " ranks");
    // Rank r holds experts r * L .. r * L + L - 1, so rows sorted by expert are sorted by rank.
    torch::Tensor sent_WL = torch::bincount(expert_A, {}, m_numExperts).view({ranks, held});
    torch::Tensor received_WL = m_exchange->exchangeCounts(sent_WL);
    // The all-to-all needs its row counts on the host: the one wait of the layer.
    torch::Tensor rows_2W = torch::stack({sent_WL.sum(1), received_WL.sum(1)}).cpu();
    std::vector<int64_t> sendRows(rows_2W[0].data_ptr<int64_t>(),
                                  rows_2W[0].data_ptr<int64_t>() + ranks);
    std::vector<int64_t> receiveRows(rows_2W[1].data_ptr<int64_t>(),
                                     rows_2W[1].data_ptr<int64_t>() + ranks);
    torch::Tensor arrived_RD = m_exchange->exchangeRows(rows_AD, sendRows, receiveRows);

    // Rows arrive grouped by sender, then by expert; the grouped products want them by expert.
    torch::Tensor expert_R = torch::repeat_interleave(
        torch::arange(held, received_WL.options()).repeat({ranks}), received_WL.reshape({-1}));
    torch::Tensor order_R = torch::argsort(expert_R, /*stable=*/true);
    torch::Tensor ends_L = received_WL.sum(0).cumsum(0).to(torch::kInt32);
    torch::Tensor output_RD = runExperts(arrived_RD.index_select(0, order_R), ends_L, type);
    // Back in arrival order, then home.
    torch::Tensor arrivalOrder_RD = torch::zeros_like(output_RD).index_copy(0, order_R, output_RD);
    return m_exchange->exchangeRows(arrivalOrder_RD, receiveRows, sendRows);
}

torch::Tensor MoeExpertsImpl::forwardDense(const torch::Tensor& x_ND,
                                           const torch::Tensor& topIdx_NK,
                                           const torch::Tensor& topWeight_NK) {
    torch::Tensor out_ND = torch::zeros_like(x_ND);
    for (int64_t e = 0; e < gate_EFD.size(0); ++e) {
        torch::Tensor weight_N = (topWeight_NK * (topIdx_NK == e)).sum(-1, /*keepdim=*/true);
        out_ND += expert(e, x_ND) * weight_N;
    }
    return out_ND;
}

}  // namespace strata::model
