// The losses that learn from preference pairs. N pairs.
//   Bradley-Terry (reward model): -log sigmoid(r_chosen - r_rejected - margin)
//   DPO (Rafailov et al., 2023): -log sigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r))), where
//   pi and ref are the summed log-probabilities of a response under the policy and the frozen
//   reference, and beta * (pi - ref) is the response's implicit reward.
#pragma once

#include <torch/types.h>

namespace strata::align {

// The mean loss over the pairs.
torch::Tensor bradleyTerryLoss(const torch::Tensor& chosen_N, const torch::Tensor& rejected_N,
                               double margin);

struct DpoOutput {
    torch::Tensor loss;             // mean over the pairs
    torch::Tensor chosenRewards_N;  // beta * (pi_c - ref_c), detached
    torch::Tensor rejectedRewards_N;
};

DpoOutput dpoLoss(const torch::Tensor& policyChosen_N, const torch::Tensor& policyRejected_N,
                  const torch::Tensor& referenceChosen_N, const torch::Tensor& referenceRejected_N,
                  double beta);

}  // namespace strata::align
