// Learning-rate schedules: linear warmup to the peak, then cosine decay to minLrRatio * peak
// (the default), or warmup-stable-decay (WSD: the peak holds until the last decayFraction of the
// run, which decays linearly to the floor). A pure function of the step, so resuming a run
// needs only the step.
#pragma once

#include <cstdint>

namespace strata::run {

enum class ScheduleKind { Cosine, WarmupStableDecay };

struct ScheduleConfig {
    ScheduleKind kind = ScheduleKind::Cosine;
    double peakLr = 3e-4;
    double minLrRatio = 0.1;  // the floor, as a fraction of the peak
    int64_t warmupSteps = 100;
    int64_t totalSteps = 1000;
    double decayFraction = 0.2;  // WSD: share of totalSteps spent decaying
};

// The learning rate of step `step` (0-based); after totalSteps it stays at the floor.
double learningRateAt(const ScheduleConfig& config, int64_t step);

}  // namespace strata::run
