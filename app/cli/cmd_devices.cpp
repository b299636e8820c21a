#include "app/cli/commands.h"

namespace strata::app {

int runDevices(const Args&) { return 1; }

}  // namespace strata::app
