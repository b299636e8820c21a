#include "ui/train/stage_charts.h"

#include <QCoreApplication>

#include <algorithm>

namespace strata::ui {

namespace {

StageChart accuracy() {
    return {QCoreApplication::translate("StageCharts", "Preference accuracy"),
            {{"accuracy", QCoreApplication::translate("StageCharts", "train")},
             {"val_accuracy", QCoreApplication::translate("StageCharts", "validation")}}};
}

StageChart margin() {
    return {QCoreApplication::translate("StageCharts", "Reward margin"),
            {{"margin", QCoreApplication::translate("StageCharts", "train")},
             {"val_margin", QCoreApplication::translate("StageCharts", "validation")}}};
}

// The reward, then each part the run reports: "reward_correctness" is drawn as "correctness".
StageChart reward(const std::vector<std::string>& keys) {
    StageChart chart{QCoreApplication::translate("StageCharts", "Reward"),
                     {{"reward", QCoreApplication::translate("StageCharts", "total")}}};
    const std::string prefix = "reward_";
    for (const std::string& key : keys)
        if (key.starts_with(prefix))
            chart.series.append({key, QString::fromStdString(key.substr(prefix.size()))});
    return chart;
}

bool has(const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// One series per FP8 layer: "fp8.block0.attention.wq.weight.input_amax" is drawn as
// "block0.attention.wq".
StageChart perLayer(const QString& title, const std::vector<std::string>& keys,
                    const std::string& suffix) {
    StageChart chart{title, {}};
    const std::string prefix = "fp8.";
    for (const std::string& key : keys) {
        if (!key.starts_with(prefix) || !key.ends_with(suffix)) continue;
        std::string layer = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
        if (layer.ends_with(".weight")) layer.resize(layer.size() - std::string(".weight").size());
        chart.series.append({key, QString::fromStdString(layer)});
    }
    return chart;
}

// What the low precisions report: FP16's loss scale, FP8's overflows and each layer's amax.
QList<StageChart> precisionCharts(const std::vector<std::string>& keys) {
    QList<StageChart> charts;
    if (has(keys, "loss_scale")) {
        charts.append({QCoreApplication::translate("StageCharts", "FP16 loss scale"),
                       {{"loss_scale", QCoreApplication::translate("StageCharts", "scale")}}});
        charts.append({QCoreApplication::translate("StageCharts", "Steps skipped for overflow"),
                       {{"overflow_steps", QCoreApplication::translate("StageCharts", "steps")}}});
    }
    if (has(keys, "fp8_overflow")) {
        charts.append(
            {QCoreApplication::translate("StageCharts", "FP8 values out of range"),
             {{"fp8_overflow", QCoreApplication::translate("StageCharts", "overflow")},
              {"fp8_underflow", QCoreApplication::translate("StageCharts", "underflow")}}});
        charts.append(
            perLayer(QCoreApplication::translate("StageCharts", "FP8 input amax per layer"), keys,
                     ".input_amax"));
        charts.append(
            perLayer(QCoreApplication::translate("StageCharts", "FP8 gradient amax per layer"),
                     keys, ".grad_amax"));
    }
    return charts;
}

QList<StageChart> stageOwnCharts(const std::string& stage, const std::vector<std::string>& keys) {
    if (stage == "sft")
        return {
            {QCoreApplication::translate("StageCharts", "Validation perplexity"),
             {{"val_perplexity", QCoreApplication::translate("StageCharts", "validation")}}},
            {QCoreApplication::translate("StageCharts", "Trained tokens per step"),
             {{"trained_tokens", QCoreApplication::translate("StageCharts", "assistant tokens")}}}};
    if (stage == "reward") return {accuracy(), margin()};
    if (stage == "dpo")
        return {accuracy(),
                margin(),
                {QCoreApplication::translate("StageCharts", "Implicit rewards"),
                 {{"chosen_reward", QCoreApplication::translate("StageCharts", "chosen")},
                  {"rejected_reward", QCoreApplication::translate("StageCharts", "rejected")},
                  {"val_chosen_reward",
                   QCoreApplication::translate("StageCharts", "chosen (validation)")},
                  {"val_rejected_reward",
                   QCoreApplication::translate("StageCharts", "rejected (validation)")}}}};
    if (stage == "ppo" || stage == "grpo") {
        QList<StageChart> charts{
            reward(keys),
            {QCoreApplication::translate("StageCharts", "KL to the reference"),
             {{"kl", QCoreApplication::translate("StageCharts", "per token")},
              {"approx_kl", QCoreApplication::translate("StageCharts", "policy step")}}},
            {QCoreApplication::translate("StageCharts", "Held-out exact match"),
             {{"val_exact_match", QCoreApplication::translate("StageCharts", "exact match")}}},
            {QCoreApplication::translate("StageCharts", "Policy"),
             {{"entropy", QCoreApplication::translate("StageCharts", "entropy")},
              {"clip_fraction", QCoreApplication::translate("StageCharts", "clip fraction")}}}};
        if (stage == "ppo")
            charts.append({QCoreApplication::translate("StageCharts", "PPO losses"),
                           {{"policy_loss", QCoreApplication::translate("StageCharts", "policy")},
                            {"value_loss", QCoreApplication::translate("StageCharts", "value")}}});
        charts.append(
            {QCoreApplication::translate("StageCharts", "Response length"),
             {{"response_length", QCoreApplication::translate("StageCharts", "tokens")}}});
        return charts;
    }
    return {};
}

}  // namespace

QList<StageChart> stageCharts(const std::string& stage, const std::vector<std::string>& keys) {
    return stageOwnCharts(stage, keys) + precisionCharts(keys);
}

}  // namespace strata::ui
