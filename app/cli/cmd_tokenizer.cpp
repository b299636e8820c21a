#include "app/cli/commands.h"

namespace strata::app {

int runTokenizer(const Args&) { return 1; }

}  // namespace strata::app
