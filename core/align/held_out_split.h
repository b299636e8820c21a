// The validation split of an alignment stage's data: data.val when given, else the last
// data.val_fraction of data.train after a seeded shuffle. Too few examples to hold any out (or to
// leave any for training) is an error naming the file: a validation pass over nothing would
// report nothing.
#pragma once

#include "core/common/error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace strata::align {

template <typename Example>
struct Split {
    std::vector<Example> train;
    std::vector<Example> val;
};

// `what` names the examples in messages ("preference pairs", "conversations").
template <typename Example>
Split<Example> splitHeldOut(std::vector<Example> examples, std::vector<Example> val,
                            double valFraction, bool needsVal, uint64_t seed,
                            const std::filesystem::path& file, const char* what) {
    Split<Example> split;
    if (!needsVal || !val.empty()) {
        split.train = std::move(examples);
        split.val = std::move(val);
        return split;
    }
    std::shuffle(examples.begin(), examples.end(), std::mt19937_64(seed));
    size_t held = size_t(std::floor(double(examples.size()) * valFraction));
    if (held == 0 || held >= examples.size())
        common::fail(
            "{}: {} {} are too few to hold out data.val_fraction = {} for validation; add more, "
            "give data.val, or set train.eval_every = 0",
            file.string(), examples.size(), what, valFraction);
    split.val.assign(examples.end() - std::ptrdiff_t(held), examples.end());
    examples.resize(examples.size() - held);
    split.train = std::move(examples);
    return split;
}

}  // namespace strata::align
