#include "core/common/human_units.h"

#include <fmt/format.h>

namespace strata::common {

std::string humanCount(double value, const char* unit) {
    const char* suffixes[] = {"", "K", "M", "B", "T"};
    int i = 0;
    while (value >= 1000 && i < 4) {
        value /= 1000;
        ++i;
    }
    std::string space = *unit ? " " : "";
    return i == 0 ? fmt::format("{:.0f}{}{}", value, space, unit)
                  : fmt::format("{:.1f}{}{}{}", value, space, suffixes[i], unit);
}

std::string humanBytes(uint64_t bytes) {
    double value = double(bytes);
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (value >= 1024 && i < 4) {
        value /= 1024;
        ++i;
    }
    return fmt::format("{:.1f} {}", value, units[i]);
}

}  // namespace strata::common
