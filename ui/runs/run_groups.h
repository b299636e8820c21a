// What a reviewer compares on the Runs page besides single runs: groups of runs (those sharing a
// tag, or a config key's value, such as every seed of one learning rate) drawn as their mean
// with a band from their lowest to their highest value, and any run as its difference from a
// chosen baseline run. Series are the chart's points (x by step, tokens or time); runs logged at
// different x values are compared by linear interpolation, over the x range all of them cover.
#pragma once

#include "core/store/run_history.h"

#include <QList>
#include <QPointF>
#include <QString>

#include <string>
#include <vector>

namespace strata::ui {

struct RunGroup {
    QString name;  // the tag, or "key = value"
    QList<int64_t> runIds;
};

// One group per tag of the runs, by tag; a run with several tags is in each of their groups,
// one without any in none.
QList<RunGroup> groupRunsByTag(const std::vector<store::RunRecord>& runs);
// One group per value of the dotted config key (`optim.lr`), by value; a run whose config lacks
// the key is in the group "key = (absent)".
QList<RunGroup> groupRunsByConfigKey(const std::vector<store::RunRecord>& runs,
                                     const std::string& key);

struct SeriesBand {
    QList<QPointF> mean;
    QList<QPointF> lower;
    QList<QPointF> upper;
};
// The mean, lowest and highest of the series at the x values of the one with the most points,
// within the x range every series covers; empty when they share none.
SeriesBand bandOf(const QList<QList<QPointF>>& series);
// `series` minus `baseline`, at each x of `series` within the baseline's x range.
QList<QPointF> differenceFrom(const QList<QPointF>& series, const QList<QPointF>& baseline);

}  // namespace strata::ui
