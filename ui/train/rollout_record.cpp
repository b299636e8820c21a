#include "ui/train/rollout_record.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace strata::ui {

double RolloutSample::klSum() const {
    return std::accumulate(kl.begin(), kl.end(), 0.0);
}

bool RolloutRecord::hasAdvantages() const {
    return std::any_of(samples.begin(), samples.end(),
                       [](const RolloutSample& sample) { return sample.advantage.has_value(); });
}

double RolloutRecord::maxAbsKl() const {
    double largest = 0;
    for (const RolloutSample& sample : samples)
        for (double value : sample.kl)
            largest = std::max(largest, std::abs(value));
    return largest;
}

RolloutRecord parseRolloutRecord(const QByteArray& json) {
    const QJsonObject data = QJsonDocument::fromJson(json).object();
    RolloutRecord record;
    record.step = data["step"].toInteger();
    record.klEstimator = data["kl_estimator"].toString();
    const QJsonObject weights = data["weights"].toObject();
    // QJsonObject keeps its keys sorted: the parts come in the order of their names.
    for (auto it = weights.begin(); it != weights.end(); ++it)
        record.parts.append({it.key(), it.value().toDouble()});
    for (const QJsonValue& value : data["samples"].toArray()) {
        const QJsonObject object = value.toObject();
        RolloutSample sample;
        sample.prompt = object["prompt"].toString();
        sample.response = object["response"].toString();
        sample.reference = object["reference"].toString();
        sample.reward = object["reward"].toDouble();
        const QJsonObject parts = object["parts"].toObject();
        for (const RolloutPart& part : record.parts)
            sample.parts.append(parts[part.name].toDouble());
        if (object.contains("advantage")) sample.advantage = object["advantage"].toDouble();
        for (const QJsonValue& token : object["tokens"].toArray())
            sample.tokens.append(token.toString());
        for (const QJsonValue& kl : object["kl"].toArray())
            sample.kl.append(kl.toDouble());
        record.samples.append(std::move(sample));
    }
    return record;
}

}  // namespace strata::ui
