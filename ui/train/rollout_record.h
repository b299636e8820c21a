// One step's recorded rollouts (the `rollouts` event, as the run history keeps it) read back for
// the rollout inspector: each sampled response with its reward, the reward's weighted parts,
// GRPO's advantage, and its tokens with their KL to the reference.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace strata::ui {

struct RolloutPart {
    QString name;  // correctness, coherence, ..., model
    double weight = 0;
};

struct RolloutSample {
    QString prompt;
    QString response;
    QString reference;  // empty when the task has none
    double reward = 0;
    QVector<double> parts;  // in the record's part order, before weights
    std::optional<double> advantage;
    QStringList tokens;
    QVector<double> kl;  // per token; empty without a reference
    double klSum() const;
};

struct RolloutRecord {
    qint64 step = 0;
    QString klEstimator;       // k1, k2, k3; empty when the run had no reference
    QList<RolloutPart> parts;  // sorted by name
    QList<RolloutSample> samples;
    bool hasAdvantages() const;
    bool hasKl() const { return !klEstimator.isEmpty(); }
    // The largest |KL| of any token: the top of the inspector's shading for this step.
    double maxAbsKl() const;
};

// Reads the event's data; a record that does not parse (written by a newer Strata, say) reads as
// one with no samples and the step it names.
RolloutRecord parseRolloutRecord(const QByteArray& json);

}  // namespace strata::ui
