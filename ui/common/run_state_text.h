// A run's state as the studio shows it, in the interface language. The history and the protocol
// keep the English names (store::runStateName); these are for people.
#pragma once

#include "core/store/run_history.h"

#include <QString>

namespace strata::ui {

QString runStateText(store::RunState state);

}  // namespace strata::ui
