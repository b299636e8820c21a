#include "core/distributed/run_agreement.h"

#include "core/common/error.h"

#include <sstream>

namespace strata::distributed {

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);)
        result.push_back(line);
    return result;
}

}  // namespace

void requireSameRun(ProcessGroup& group, const std::string& description) {
    std::vector<std::string> descriptions = group.allGatherText("run", description);
    const std::vector<std::string> reference = lines(descriptions[0]);
    for (size_t rank = 1; rank < descriptions.size(); ++rank) {
        if (descriptions[rank] == descriptions[0]) continue;
        const std::vector<std::string> other = lines(descriptions[rank]);
        size_t line = 0;
        while (line < reference.size() && line < other.size() && reference[line] == other[line])
            ++line;
        auto at = [&](const std::vector<std::string>& text) {
            return line < text.size() ? fmt::format("\"{}\"", text[line]) : std::string("nothing");
        };
        common::fail(
            "rank {} was started with another run than rank 0: line {} of its resolved config "
            "reads {}, rank 0's reads {}",
            rank, line + 1, at(other), at(reference));
    }
}

}  // namespace strata::distributed
