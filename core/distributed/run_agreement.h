// The check that the ranks of a run are the same run: each publishes a description of what it was
// started with (the resolved config, the tokenizer, the checkpoint it resumes from), and a
// difference fails every rank at start with the same one-line error, naming the two ranks and
// the first line on which they differ, before any collective could pair unlike steps.
#pragma once

#include "core/distributed/process_group.h"

#include <string>

namespace strata::distributed {

void requireSameRun(ProcessGroup& group, const std::string& description);

}  // namespace strata::distributed
