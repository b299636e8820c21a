#include "app/cli/commands.h"

namespace strata::app {

int runShard(const Args&) { return 1; }

}  // namespace strata::app
