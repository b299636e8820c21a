#include "ui/train/stage_charts.h"

#include "core/run/metric_keys.h"

#include <QCoreApplication>

#include <algorithm>

namespace strata::ui {

namespace {

// A measure of the training steps beside the same on validation.
StageChart withValidation(const QString& title, const char* metric) {
    return {
        title,
        {{metric, QCoreApplication::translate("StageCharts", "train")},
         {run::validationKey(metric), QCoreApplication::translate("StageCharts", "validation")}}};
}

StageChart accuracy() {
    return withValidation(QCoreApplication::translate("StageCharts", "Preference accuracy"),
                          run::kMetricAccuracy);
}

StageChart margin() {
    return withValidation(QCoreApplication::translate("StageCharts", "Reward margin"),
                          run::kMetricMargin);
}

// The reward, then each part the run reports: "reward_correctness" is drawn as "correctness".
StageChart reward(const std::vector<std::string>& keys) {
    StageChart chart{QCoreApplication::translate("StageCharts", "Reward"),
                     {{run::kMetricReward, QCoreApplication::translate("StageCharts", "total")}}};
    for (const std::string& key : keys)
        if (std::optional<std::string_view> part = run::parseRewardPartKey(key))
            chart.series.append({key, QString::fromUtf8(part->data(), qsizetype(part->size()))});
    return chart;
}

bool has(const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// One series per FP8 layer: "fp8.block0.attention.wq.weight.input_amax" is drawn as
// "block0.attention.wq".
StageChart perLayer(const QString& title, const std::vector<std::string>& keys,
                    const char* series) {
    StageChart chart{title, {}};
    for (const std::string& key : keys) {
        std::optional<std::string_view> weight = run::parseFp8LayerKey(key, series);
        if (!weight) continue;
        std::string_view layer = *weight;
        if (layer.ends_with(".weight")) layer.remove_suffix(std::string_view(".weight").size());
        chart.series.append({key, QString::fromUtf8(layer.data(), qsizetype(layer.size()))});
    }
    return chart;
}

// What the low precisions report: FP16's loss scale, FP8's overflows and each layer's amax.
QList<StageChart> precisionCharts(const std::vector<std::string>& keys) {
    QList<StageChart> charts;
    if (has(keys, run::kMetricLossScale)) {
        charts.append(
            {QCoreApplication::translate("StageCharts", "FP16 loss scale"),
             {{run::kMetricLossScale, QCoreApplication::translate("StageCharts", "scale")}}});
        charts.append(
            {QCoreApplication::translate("StageCharts", "Steps skipped for overflow"),
             {{run::kMetricOverflowSteps, QCoreApplication::translate("StageCharts", "steps")}}});
    }
    if (has(keys, run::kMetricFp8Overflow)) {
        charts.append(
            {QCoreApplication::translate("StageCharts", "FP8 values out of range"),
             {{run::kMetricFp8Overflow, QCoreApplication::translate("StageCharts", "overflow")},
              {run::kMetricFp8Underflow,
               QCoreApplication::translate("StageCharts", "underflow")}}});
        charts.append(
            perLayer(QCoreApplication::translate("StageCharts", "FP8 input amax per layer"), keys,
                     run::kFp8InputAmax));
        charts.append(
            perLayer(QCoreApplication::translate("StageCharts", "FP8 gradient amax per layer"),
                     keys, run::kFp8GradAmax));
    }
    return charts;
}

QList<StageChart> stageOwnCharts(const std::string& stage, const std::vector<std::string>& keys) {
    if (stage == "sft")
        return {{QCoreApplication::translate("StageCharts", "Validation perplexity"),
                 {{run::validationKey(run::kMetricPerplexity),
                   QCoreApplication::translate("StageCharts", "validation")}}},
                {QCoreApplication::translate("StageCharts", "Trained tokens per step"),
                 {{run::kMetricTrainedTokens,
                   QCoreApplication::translate("StageCharts", "assistant tokens")}}}};
    if (stage == "reward") return {accuracy(), margin()};
    if (stage == "dpo")
        return {
            accuracy(),
            margin(),
            {QCoreApplication::translate("StageCharts", "Implicit rewards"),
             {{run::kMetricChosenReward, QCoreApplication::translate("StageCharts", "chosen")},
              {run::kMetricRejectedReward, QCoreApplication::translate("StageCharts", "rejected")},
              {run::validationKey(run::kMetricChosenReward),
               QCoreApplication::translate("StageCharts", "chosen (validation)")},
              {run::validationKey(run::kMetricRejectedReward),
               QCoreApplication::translate("StageCharts", "rejected (validation)")}}}};
    if (stage == "ppo" || stage == "grpo") {
        QList<StageChart> charts{
            reward(keys),
            {QCoreApplication::translate("StageCharts", "KL to the reference"),
             {{run::kMetricKl, QCoreApplication::translate("StageCharts", "per token")},
              {run::kMetricApproxKl, QCoreApplication::translate("StageCharts", "policy step")}}},
            {QCoreApplication::translate("StageCharts", "Held-out exact match"),
             {{run::validationKey(run::kMetricExactMatch),
               QCoreApplication::translate("StageCharts", "exact match")}}},
            {QCoreApplication::translate("StageCharts", "Policy"),
             {{run::kMetricEntropy, QCoreApplication::translate("StageCharts", "entropy")},
              {run::kMetricClipFraction,
               QCoreApplication::translate("StageCharts", "clip fraction")}}}};
        if (stage == "ppo")
            charts.append(
                {QCoreApplication::translate("StageCharts", "PPO losses"),
                 {{run::kMetricPolicyLoss, QCoreApplication::translate("StageCharts", "policy")},
                  {run::kMetricValueLoss, QCoreApplication::translate("StageCharts", "value")}}});
        charts.append(
            {QCoreApplication::translate("StageCharts", "Response length"),
             {{run::kMetricResponseLength, QCoreApplication::translate("StageCharts", "tokens")}}});
        return charts;
    }
    return {};
}

}  // namespace

QList<StageChart> stageCharts(const std::string& stage, const std::vector<std::string>& keys) {
    return stageOwnCharts(stage, keys) + precisionCharts(keys);
}

}  // namespace strata::ui
