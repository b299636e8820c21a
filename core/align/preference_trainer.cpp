#include "core/align/preference_trainer.h"

#include "core/align/held_out_split.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace strata::align {

PreferenceTrainer::PreferenceTrainer(run::RunConfig config, std::filesystem::path runDir,
                                     run::MetricsSink& sink)
    : AlignmentTrainer(std::move(config), std::move(runDir), sink) {
    const run::RunConfig& c = m_config;
    data::PreferenceData train = data::readPreferences(c.data.train);
    data::PreferenceData val;
    if (!c.data.val.empty()) val = data::readPreferences(c.data.val);
    Split<data::Preference> split =
        splitHeldOut(std::move(train.pairs), std::move(val.pairs), c.data.valFraction,
                     c.train.evalEvery > 0, c.train.seed, c.data.train, "preference pairs");
    m_train = std::move(split.train);
    m_val = std::move(split.val);
    if (m_train.empty()) common::fail("{}: no preference pair to train on", c.data.train.string());
    if (int64_t identical = train.identicalSkipped + val.identicalSkipped; identical > 0)
        noteAtStart(
            fmt::format("skipped {} preference pairs whose two responses are the same", identical));
    m_order = EpochOrder(m_train.size(), true, c.train.seed);
}

void PreferenceTrainer::snapshotPairs() const {
    // Human labels are small: the file is read whole and written atomically, never half a copy.
    auto copy = [&](const std::filesystem::path& from, const char* name) {
        if (from.empty()) return;
        std::ifstream in(from, std::ios::binary);
        if (!in) common::fail("{}: cannot read the preference pairs", from.string());
        std::stringstream bytes;
        bytes << in.rdbuf();
        common::AtomicFile file(m_runDir / name);
        file.write(bytes.str());
        file.commit();
    };
    copy(m_config.data.train, kPreferencesSnapshot);
    copy(m_config.data.val, kValPreferencesSnapshot);
}

PairBatch PreferenceTrainer::stepPairs(int micro) const {
    const run::TrainConfig& t = m_config.train;
    uint64_t first = (uint64_t(m_state.step) * t.gradAccumSteps + micro) * t.microBatchSize;
    PairBatch pairs;
    for (size_t index : m_order.range(first, size_t(t.microBatchSize)))
        pairs.push_back(&m_train[index]);
    return pairs;
}

std::vector<PairBatch> PreferenceTrainer::leadingBatches(
    const std::vector<data::Preference>& pairs) const {
    const size_t batchSize = size_t(m_config.train.microBatchSize);
    const size_t total = std::min(pairs.size(), size_t(m_config.train.evalBatches) * batchSize);
    std::vector<PairBatch> batches;
    for (size_t first = 0; first < total; first += batchSize) {
        batches.emplace_back();
        for (size_t i = first; i < std::min(total, first + batchSize); ++i)
            batches.back().push_back(&pairs[i]);
    }
    return batches;
}

}  // namespace strata::align
