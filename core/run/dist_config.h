// The [dist] table of a run config: how the ranks of a multi-process run (WORLD_SIZE > 1) train
// together. A run of one process ignores it.
#pragma once

namespace strata::run {

struct DistConfig {
    // ZeRO stage 1: each rank keeps AdamW's moments of its share of the parameters only, updates
    // that share and broadcasts it; the gradients are still all-reduced whole.
    bool zero1 = false;
    // Expert parallelism: each rank holds an equal range of every MoE layer's routed experts, and
    // the tokens' assignments travel to the experts' ranks and back by all-to-all.
    bool expertParallel = false;
    // Gradients are all-reduced in buckets of about this many MiB, each as soon as the backward
    // pass has produced all of its gradients.
    int bucketMb = 25;
    // How long the rendezvous and every collective may wait for the other ranks before the run
    // fails, so a dead rank or an unreachable master ends the run instead of hanging it.
    int timeoutSeconds = 300;
    bool operator==(const DistConfig&) const = default;
};

}  // namespace strata::run
