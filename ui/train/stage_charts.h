// The charts an alignment stage adds to the Train page, beside loss, learning rate, gradient norm
// and throughput: what its trainer reports (docs/formats.md, the metrics event). SFT: held-out
// perplexity and trained tokens; reward model and DPO: preference accuracy and margin (DPO also
// its implicit rewards); PPO and GRPO: the reward and each of its parts, the KL to the reference,
// held-out exact match, and the policy's entropy and clipping. Pretraining adds none. Any stage
// trained in FP16 adds its loss scale and skipped steps; in FP8, its values out of range and
// each layer's input and gradient amax.
#pragma once

#include <QList>
#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace strata::ui {

struct StageChart {
    QString title;
    QList<std::pair<std::string, QString>> series;  // metric key, legend name
};

// `keys` are the metric keys the run has so far: the reward's parts are named after the rules
// its config weighs (reward_correctness, ...) and FP8's series after the layers, so they come
// from the run.
QList<StageChart> stageCharts(const std::string& stage, const std::vector<std::string>& keys);

}  // namespace strata::ui
