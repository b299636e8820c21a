#include "app/cli/commands.h"

namespace strata::app {

int runDemo(const Args&) { return 1; }

}  // namespace strata::app
