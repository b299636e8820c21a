#include "app/cli/commands.h"

namespace strata::app {

int runClean(const Args&) { return 1; }

}  // namespace strata::app
