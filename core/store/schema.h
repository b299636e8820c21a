// The schema of a workspace's strata.db, as the forward-only migrations that build it: version 1
// holds the runs and what they produce (tags, metrics, checkpoints, logs) and the datasets and
// tokenizers they used; version 2 adds the min/max tile pyramid behind downsampled series and
// each run's last step and loss, both backfilled from the metrics already stored; version 3 adds
// the preference pairs and the labels annotators give them. RunHistory and LabelStore both bring
// the file to the newest version on opening. Only SQL lives here: the tile geometry that version
// 2's backfill spells out in SQL is metric_series.h's, and the tests check that the two agree.
#pragma once

#include "core/store/migrations.h"

#include <span>

namespace strata::store {

std::span<const Migration> runHistoryMigrations();

}  // namespace strata::store
