#include "core/align/preference_losses.h"

#include <torch/torch.h>

namespace strata::align {

torch::Tensor bradleyTerryLoss(const torch::Tensor& chosen_N, const torch::Tensor& rejected_N,
                               double margin) {
    return -torch::nn::functional::logsigmoid(chosen_N - rejected_N - margin).mean();
}

DpoOutput dpoLoss(const torch::Tensor& policyChosen_N, const torch::Tensor& policyRejected_N,
                  const torch::Tensor& referenceChosen_N, const torch::Tensor& referenceRejected_N,
                  double beta) {
    torch::Tensor chosen_N = beta * (policyChosen_N - referenceChosen_N);
    torch::Tensor rejected_N = beta * (policyRejected_N - referenceRejected_N);
    return {-torch::nn::functional::logsigmoid(chosen_N - rejected_N).mean(), chosen_N.detach(),
            rejected_N.detach()};
}

}  // namespace strata::align
