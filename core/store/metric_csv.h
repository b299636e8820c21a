// A run's metrics as the CSV file reviewers export (Runs page, `strata-cli runs export`):
// "key,step,value,wall_time,rank" under that header, each series in step order, values as the
// shortest text that reads back as the same double ("nan" for NaN). The rows come a page at a
// time from the run history here or from a workspace's worker over SSH, so a run of millions of
// points is never held whole.
#pragma once

#include "core/store/run_history.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace strata::store {

// The rows of `key` after `afterStep`, in step order; an empty page ends the series.
using MetricRowPages =
    std::function<std::vector<MetricRow>(const std::string& key, int64_t afterStep)>;

// Writes every series of `keys` through a temporary file renamed when complete.
void writeMetricsCsv(const std::vector<std::string>& keys, const MetricRowPages& pages,
                     const std::filesystem::path& out);

}  // namespace strata::store
