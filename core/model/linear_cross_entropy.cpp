#include "core/model/linear_cross_entropy.h"

#include "core/model/autocast_type.h"

#include <torch/autograd.h>
#include <torch/torch.h>

#include <utility>

namespace strata::model {

namespace {

// The float32 gradients the chunks fill (hidden) and accumulate into (weight); undefined for an
// input that needs none, such as a frozen output matrix.
std::pair<torch::Tensor, torch::Tensor> gradientBuffers(const torch::Tensor& hidden_ND,
                                                        const torch::Tensor& weight_VD,
                                                        bool wantHidden, bool wantWeight) {
    torch::Tensor gradHidden_ND, gradWeight_VD;
    if (wantHidden)
        gradHidden_ND = torch::empty(hidden_ND.sizes(), hidden_ND.options().dtype(torch::kFloat32));
    if (wantWeight)
        gradWeight_VD = torch::zeros(weight_VD.sizes(), weight_VD.options().dtype(torch::kFloat32));
    return {gradHidden_ND, gradWeight_VD};
}

class LinearCrossEntropyFunction : public torch::autograd::Function<LinearCrossEntropyFunction> {
public:
    // Not `weighted`: the mean over rows (weights_N is then empty; autograd takes no undefined
    // input).
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx,
                                 const torch::Tensor& hidden_ND, const torch::Tensor& weight_VD,
                                 const torch::Tensor& targets_N, const torch::Tensor& weights_N,
                                 bool weighted, int64_t chunkRows, bool wantHidden,
                                 bool wantWeight) {
        const int64_t rows = hidden_ND.size(0);
        torch::Tensor lossSum = torch::zeros({}, hidden_ND.options().dtype(torch::kFloat32));
        auto [gradHidden_ND, gradWeight_VD] =
            gradientBuffers(hidden_ND, weight_VD, wantHidden, wantWeight);
        const torch::Tensor hidden = inAutocastType(hidden_ND), weight = inAutocastType(weight_VD);
        for (int64_t start = 0; start < rows; start += chunkRows) {
            int64_t count = std::min(chunkRows, rows - start);
            torch::Tensor h_CD = hidden.narrow(0, start, count);
            torch::Tensor target_C1 = targets_N.narrow(0, start, count).unsqueeze(1);
            torch::Tensor logits_CV = torch::matmul(h_CD, weight.t()).to(torch::kFloat32);
            torch::Tensor lse_C1 = torch::logsumexp(logits_CV, -1, /*keepdim=*/true);
            torch::Tensor loss_C1 = lse_C1 - logits_CV.gather(1, target_C1);
            torch::Tensor weight_C1;
            if (weighted) {
                weight_C1 = weights_N.narrow(0, start, count).unsqueeze(1).to(torch::kFloat32);
                loss_C1 = loss_C1 * weight_C1;
            }
            lossSum += loss_C1.sum();
            if (!wantHidden && !wantWeight) continue;
            // d(loss)/d(logits) = (softmax - onehot) times the row's weight (1 / N for the
            // mean), built in the logits' storage.
            torch::Tensor grad_CV = logits_CV.sub_(lse_C1).exp_();
            grad_CV.scatter_add_(1, target_C1, torch::full({count, 1}, -1.0, grad_CV.options()));
            if (weight_C1.defined())
                grad_CV.mul_(weight_C1);
            else
                grad_CV.div_(double(rows));
            torch::Tensor gradIn_CV = grad_CV.to(h_CD.scalar_type());
            if (wantHidden)
                gradHidden_ND.narrow(0, start, count).copy_(torch::matmul(gradIn_CV, weight));
            if (wantWeight) gradWeight_VD += torch::matmul(gradIn_CV.t(), h_CD).to(torch::kFloat32);
        }
        ctx->saved_data["gradHidden"] = gradHidden_ND;
        ctx->saved_data["gradWeight"] = gradWeight_VD;
        ctx->saved_data["hiddenType"] = int64_t(hidden_ND.scalar_type());
        ctx->saved_data["weightType"] = int64_t(weight_VD.scalar_type());
        return weighted ? lossSum : lossSum / double(std::max<int64_t>(rows, 1));
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        torch::Tensor scale = grads[0].to(torch::kFloat32);
        auto hiddenType = torch::ScalarType(ctx->saved_data["hiddenType"].toInt());
        auto weightType = torch::ScalarType(ctx->saved_data["weightType"].toInt());
        torch::Tensor gradHidden = ctx->saved_data["gradHidden"].toTensor();
        torch::Tensor gradWeight = ctx->saved_data["gradWeight"].toTensor();
        return {gradHidden.defined() ? (gradHidden * scale).to(hiddenType) : torch::Tensor(),
                gradWeight.defined() ? (gradWeight * scale).to(weightType) : torch::Tensor(),
                torch::Tensor(),
                torch::Tensor(),
                torch::Tensor(),
                torch::Tensor(),
                torch::Tensor(),
                torch::Tensor()};
    }
};

// Outputs log p(target) and the entropy of each row's distribution; either may get a gradient.
class LinearTokenLogProbsFunction : public torch::autograd::Function<LinearTokenLogProbsFunction> {
public:
    static torch::autograd::tensor_list forward(torch::autograd::AutogradContext* ctx,
                                                const torch::Tensor& hidden_ND,
                                                const torch::Tensor& weight_VD,
                                                const torch::Tensor& targets_N, double temperature,
                                                int64_t chunkRows) {
        const int64_t rows = hidden_ND.size(0);
        torch::TensorOptions float32 = hidden_ND.options().dtype(torch::kFloat32);
        torch::Tensor logProbs_N = torch::empty({rows}, float32);
        torch::Tensor entropy_N = torch::empty({rows}, float32);
        torch::Tensor lse_N = torch::empty({rows}, float32);
        const torch::Tensor hidden = inAutocastType(hidden_ND), weight = inAutocastType(weight_VD);
        for (int64_t start = 0; start < rows; start += chunkRows) {
            int64_t count = std::min(chunkRows, rows - start);
            torch::Tensor logits_CV = logitsOf(hidden.narrow(0, start, count), weight, temperature);
            torch::Tensor lse_C = torch::logsumexp(logits_CV, -1);
            lse_N.narrow(0, start, count).copy_(lse_C);
            logProbs_N.narrow(0, start, count)
                .copy_(
                    logits_CV.gather(1, targets_N.narrow(0, start, count).unsqueeze(1)).squeeze(1) -
                    lse_C);
            torch::Tensor logp_CV = logits_CV.sub_(lse_C.unsqueeze(1));
            entropy_N.narrow(0, start, count).copy_(logp_CV.exp().mul_(logp_CV).sum(-1).neg_());
        }
        ctx->save_for_backward({hidden_ND, weight_VD, targets_N, lse_N, entropy_N});
        ctx->saved_data["temperature"] = temperature;
        ctx->saved_data["chunkRows"] = chunkRows;
        return {logProbs_N, entropy_N};
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        auto saved = ctx->get_saved_variables();
        const torch::Tensor &hidden_ND = saved[0], &weight_VD = saved[1], &targets_N = saved[2],
                            &lse_N = saved[3], &entropy_N = saved[4];
        const double temperature = ctx->saved_data["temperature"].toDouble();
        const int64_t chunkRows = ctx->saved_data["chunkRows"].toInt();
        const bool wantHidden = ctx->needs_input_grad(0), wantWeight = ctx->needs_input_grad(1);
        torch::Tensor gradLogProb_N = grads[0].to(torch::kFloat32);
        torch::Tensor gradEntropy_N = grads[1].to(torch::kFloat32);
        auto [gradHidden_ND, gradWeight_VD] =
            gradientBuffers(hidden_ND, weight_VD, wantHidden, wantWeight);
        const int64_t rows = hidden_ND.size(0);
        for (int64_t start = 0; start < rows; start += chunkRows) {
            int64_t count = std::min(chunkRows, rows - start);
            torch::Tensor h_CD = hidden_ND.narrow(0, start, count);
            torch::Tensor g_C1 = gradLogProb_N.narrow(0, start, count).unsqueeze(1);
            torch::Tensor e_C1 = gradEntropy_N.narrow(0, start, count).unsqueeze(1);
            // With log p = z - lse: d(log p_target)/dz = onehot - p, dH/dz = -p (log p + H); each
            // times its row's gradient, then 1 / T.
            torch::Tensor logp_CV = logitsOf(h_CD, weight_VD, temperature)
                                        .sub_(lse_N.narrow(0, start, count).unsqueeze(1));
            torch::Tensor inner_CV =
                (logp_CV + entropy_N.narrow(0, start, count).unsqueeze(1)).mul_(e_C1).add_(g_C1);
            torch::Tensor grad_CV = logp_CV.exp_().mul_(inner_CV).neg_();
            grad_CV.scatter_add_(1, targets_N.narrow(0, start, count).unsqueeze(1), g_C1);
            grad_CV.div_(temperature);
            torch::Tensor gradIn_CV = grad_CV.to(h_CD.scalar_type());
            if (wantHidden)
                gradHidden_ND.narrow(0, start, count).copy_(torch::matmul(gradIn_CV, weight_VD));
            if (wantWeight) gradWeight_VD += torch::matmul(gradIn_CV.t(), h_CD).to(torch::kFloat32);
        }
        return {wantHidden ? gradHidden_ND.to(hidden_ND.scalar_type()) : torch::Tensor(),
                wantWeight ? gradWeight_VD.to(weight_VD.scalar_type()) : torch::Tensor(),
                torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }

private:
    static torch::Tensor logitsOf(const torch::Tensor& h_CD, const torch::Tensor& weight_VD,
                                  double temperature) {
        torch::Tensor logits_CV = torch::matmul(h_CD, weight_VD.t()).to(torch::kFloat32);
        return temperature == 1.0 ? logits_CV : logits_CV.div_(temperature);
    }
};

torch::Tensor apply(const torch::Tensor& hidden_ND, const torch::Tensor& weight_VD,
                    const torch::Tensor& targets_N, const torch::Tensor& weights_N,
                    int64_t chunkRows) {
    TORCH_CHECK(hidden_ND.dim() == 2 && weight_VD.dim() == 2 && targets_N.dim() == 1 &&
                    hidden_ND.size(1) == weight_VD.size(1) &&
                    targets_N.size(0) == hidden_ND.size(0),
                "linearCrossEntropy expects (N,D), (V,D), (N); got ", hidden_ND.sizes(), ", ",
                weight_VD.sizes(), ", ", targets_N.sizes());
    TORCH_CHECK(
        !weights_N.defined() || (weights_N.dim() == 1 && weights_N.size(0) == hidden_ND.size(0)),
        "weightedLinearCrossEntropy expects (N) weights, got ", weights_N.sizes());
    TORCH_CHECK(chunkRows >= 0, "linearCrossEntropy's chunk size must not be negative");
    if (chunkRows == 0) chunkRows = chunkRowsFor(weight_VD);
    // Gradients are computed in forward, so only when a backward can follow, and only for the
    // sides that take one.
    bool grad = torch::GradMode::is_enabled();
    bool weighted = weights_N.defined();
    return LinearCrossEntropyFunction::apply(
        hidden_ND, weight_VD, targets_N, weighted ? weights_N : torch::empty({0}), weighted,
        chunkRows, grad && hidden_ND.requires_grad(), grad && weight_VD.requires_grad());
}

}  // namespace

int64_t chunkRowsFor(const torch::Tensor& weight_VD) {
    if (!weight_VD.is_cuda()) return 512;
    constexpr int64_t kChunkLogitsBytes = int64_t(1) << 30;
    const int64_t rowBytes = std::max<int64_t>(1, weight_VD.size(0)) * int64_t(sizeof(float));
    return std::max<int64_t>(512, kChunkLogitsBytes / rowBytes);
}

torch::Tensor linearCrossEntropy(const torch::Tensor& hidden_ND, const torch::Tensor& weight_VD,
                                 const torch::Tensor& targets_N, int64_t chunkRows) {
    return apply(hidden_ND, weight_VD, targets_N, torch::Tensor(), chunkRows);
}

torch::Tensor weightedLinearCrossEntropy(const torch::Tensor& hidden_ND,
                                         const torch::Tensor& weight_VD,
                                         const torch::Tensor& targets_N,
                                         const torch::Tensor& weights_N, int64_t chunkRows) {
    TORCH_CHECK(weights_N.defined(), "weightedLinearCrossEntropy needs weights");
    return apply(hidden_ND, weight_VD, targets_N, weights_N, chunkRows);
}

TokenLogProbs linearTokenLogProbs(const torch::Tensor& hidden_ND, const torch::Tensor& weight_VD,
                                  const torch::Tensor& targets_N, double temperature,
                                  int64_t chunkRows) {
    TORCH_CHECK(hidden_ND.dim() == 2 && weight_VD.dim() == 2 && targets_N.dim() == 1 &&
                    hidden_ND.size(1) == weight_VD.size(1) &&
                    targets_N.size(0) == hidden_ND.size(0),
                "linearTokenLogProbs expects (N,D), (V,D), (N); got ", hidden_ND.sizes(), ", ",
                weight_VD.sizes(), ", ", targets_N.sizes());
    TORCH_CHECK(chunkRows >= 0 && temperature > 0,
                "linearTokenLogProbs needs a chunk size of 0 or more and a positive temperature");
    if (chunkRows == 0) chunkRows = chunkRowsFor(weight_VD);
    torch::autograd::tensor_list out =
        LinearTokenLogProbsFunction::apply(hidden_ND, weight_VD, targets_N, temperature, chunkRows);
    return {out[0], out[1]};
}

}  // namespace strata::model
