// The message of the common::Error an action throws, or an empty string when it throws none: how
// the tests check that bad input gets its one-line error.
#pragma once

#include "core/common/error.h"

#include <QString>

#include <functional>

inline QString errorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const strata::common::Error& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}
