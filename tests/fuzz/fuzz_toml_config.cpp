// libFuzzer target for TOML configs, which users write by hand: any text must either read as the
// model, cleaning and alignment configs or be refused with common::Error naming the key (a TOML
// syntax error included), never crash or trip a sanitizer.
#include "core/cleaning/clean_config.h"
#include "core/common/config_reader.h"
#include "core/common/config_validator.h"
#include "core/common/error.h"
#include "core/model_spec/model_config.h"
#include "core/run/stage.h"
#include "core/run/stage_config.h"

#include <cstdint>
#include <functional>
#include <string_view>

using namespace strata;

namespace {

void refusedOrRead(std::string_view text, const std::function<void(common::ConfigReader&)>& read) {
    try {
        common::ConfigReader reader = common::ConfigReader::fromString(text, "fuzz.toml");
        read(reader);
        reader.finish();
    } catch (const common::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    refusedOrRead(text, [](common::ConfigReader& reader) { model_spec::readModelConfig(reader); });
    refusedOrRead(text, [](common::ConfigReader& reader) { cleaning::readCleanConfig(reader); });
    for (run::Stage stage : run::kStages)
        refusedOrRead(text, [stage](common::ConfigReader& reader) {
            common::ConfigValidator validator(reader);
            run::AlignConfig config;
            run::readAlignConfig(reader, validator, stage, common::pathsRelativeTo("/workspace"),
                                 config);
            validator.finish();
        });
    return 0;
}
