#include "core/run/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace strata::run {

double learningRateAt(const ScheduleConfig& c, int64_t step) {
    double floor = c.peakLr * c.minLrRatio;
    if (step < c.warmupSteps) return c.peakLr * double(step + 1) / double(c.warmupSteps);
    if (c.kind == ScheduleKind::Cosine) {
        double span = double(std::max<int64_t>(1, c.totalSteps - c.warmupSteps));
        double progress = std::clamp(double(step - c.warmupSteps) / span, 0.0, 1.0);
        return floor + (c.peakLr - floor) * 0.5 * (1.0 + std::cos(M_PI * progress));
    }
    int64_t decaySteps =
        std::max<int64_t>(1, int64_t(std::llround(c.decayFraction * double(c.totalSteps))));
    int64_t decayStart = c.totalSteps - decaySteps;
    if (step < decayStart) return c.peakLr;
    double progress = std::clamp(double(step - decayStart) / double(decaySteps), 0.0, 1.0);
    return c.peakLr + (floor - c.peakLr) * progress;
}

}  // namespace strata::run
