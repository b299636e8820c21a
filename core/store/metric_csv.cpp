#include "core/store/metric_csv.h"

#include "core/common/atomic_file.h"

#include <fmt/format.h>

#include <iterator>

namespace strata::store {

namespace {

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace

void writeMetricsCsv(const std::vector<std::string>& keys, const MetricRowPages& pages,
                     const std::filesystem::path& out) {
    common::AtomicFile file(out);
    std::string buffer = "key,step,value,wall_time,rank\n";
    for (const std::string& name : keys) {
        const std::string key = csvField(name);
        for (std::vector<MetricRow> page = pages(name, INT64_MIN); !page.empty();
             page = pages(name, page.back().step)) {
            for (const MetricRow& row : page)
                fmt::format_to(std::back_inserter(buffer), "{},{},{},{},{}\n", key, row.step,
                               row.value, row.wallTime, row.rank);
            if (buffer.size() >= (1 << 20)) {
                file.write(buffer);
                buffer.clear();
            }
        }
    }
    file.write(buffer);
    file.commit();
}

}  // namespace strata::store
