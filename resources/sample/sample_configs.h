// The sample workspace's configs (resources/sample/*.toml), compiled in, and where its real model
// comes from.
#pragma once

#include <string_view>

namespace strata::resources {

std::string_view sampleCleanConfig();
std::string_view samplePretrainConfig();
std::string_view sampleSftConfig();
std::string_view sampleGrpoConfig();
// `demo finetune`: LoRA SFT and GRPO of the imported real model on the sample tasks.
std::string_view sampleFinetuneSftConfig();
std::string_view sampleFinetuneGrpoConfig();

// The real model of the sample workspace: `demo init` imports it as models/<kSampleModelName>.
inline constexpr std::string_view kSampleModelName = "smollm2-135m-instruct";
inline constexpr std::string_view kSampleModelTitle = "SmolLM2-135M-Instruct";
// Where this build found it (a Hugging Face folder or a .gguf file under scripts/bootstrap's
// reference folder, as CMake was configured); empty when the build was configured without one.
std::string_view sampleModelSource();

}  // namespace strata::resources
