// `strata-cli export` and `strata-cli import`: a model folder (a checkpoint, or an earlier import)
// to a Hugging Face model folder and back, through core/model/hf_folder.h. The tokenizer is read
// here, for the special tokens an export names and to refuse an import whose tokenizer Strata
// cannot use.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/model/gguf_model.h"
#include "core/model/hf_folder.h"
#include "core/model/model_folder.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

// The special tokens transformers has roles for: those tokenizer_config.json names (an imported
// model's), else those of Strata's tokenizer trainer.
model_spec::HfSpecialTokens specialTokensOf(const tokenizer::Tokenizer& tokenizer) {
    const tokenizer::TokenizerData& data = tokenizer.data();
    auto find = [&](const std::string& named,
                    const char* strata) -> std::optional<model_spec::HfSpecialToken> {
        std::string content = named.empty() ? strata : named;
        std::optional<tokenizer::TokenId> id = tokenizer.findAddedToken(content);
        if (!id) return std::nullopt;
        return model_spec::HfSpecialToken{int64_t(*id), content};
    };
    return {find(data.bosToken, "<|bos|>"), find(data.eosToken, "<|eos|>"),
            find(data.padToken, "<|pad|>")};
}

void printImported(const fs::path& output, const fs::path& input,
                   const model_spec::HfModelConfig& hf) {
    fmt::print(stderr, "{}: model folder of {} ({} layers, d_model {}, vocabulary {}) from {}\n",
               output.string(), model_spec::hfArchitectureName(hf.config.family),
               hf.config.numLayers, hf.config.dModel, hf.config.vocabSize,
               input.filename().string());
}

}  // namespace

int runExport(const Args& args) {
    ArgParser parser(
        "strata-cli export", "--checkpoint DIR -o HF_DIR",
        "Writes a model folder (a checkpoint or an import) as a Hugging Face model folder:\n"
        "config.json, model.safetensors, tokenizer.json and tokenizer_config.json.\n"
        "An imported model keeps its family (an imported Qwen3 becomes Qwen3ForCausalLM).\n"
        "A model made here: MLA becomes DeepseekV3ForCausalLM, GQA with MoE\n"
        "MixtralForCausalLM, dense GQA MistralForCausalLM with a sliding window and\n"
        "LlamaForCausalLM without; a setting the class cannot express is an error naming it.");
    parser.option("checkpoint", 'c', "DIR", "the model folder (model.toml, model.safetensors)")
        .option("output", 'o', "HF_DIR", "the folder to write (an earlier export is replaced)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (!parsed->has("checkpoint")) fail("--checkpoint is required (see --help)");
    if (!parsed->has("output")) fail("-o/--output is required (see --help)");
    fs::path checkpoint = parsed->value("checkpoint"), output = parsed->value("output");
    if (!fs::is_directory(checkpoint)) fail("{}: no such model folder", checkpoint.string());
    fs::path tokenizerPath = checkpoint / model::kTokenizerFile;
    if (!fs::exists(tokenizerPath))
        fail("{}: not a model folder ({} is missing)", checkpoint.string(), model::kTokenizerFile);

    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(checkpoint);
    model_spec::ModelFamily architecture =
        model::exportHfFolder(checkpoint, output, specialTokensOf(tokenizer));
    fmt::print(stderr, "{}: {} ({}, {}, {}, {})\n", output.string(),
               model_spec::hfArchitectureName(architecture), model::kHfConfigFile,
               model::kHfWeightsFile, model::kTokenizerFile, model::kTokenizerConfigFile);
    return 0;
}

int runImport(const Args& args) {
    ArgParser parser(
        "strata-cli import", "HF_DIR|MODEL.gguf -o DIR",
        "Reads a Hugging Face model folder (config.json, model.safetensors or its shards,\n"
        "tokenizer.json) of the Llama, Mistral, Qwen2, Qwen3, Qwen3-MoE, Mixtral or\n"
        "DeepSeek-V3 family, or a GGUF file of the llama, qwen2, qwen3, qwen3moe or deepseek2\n"
        "architecture (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q4_K, Q5_K or Q6_K tensors, "
        "dequantized),\n"
        "into a Strata model folder that generate, export and fine-tuning read. A setting\n"
        "Strata cannot compute is an error naming the key.");
    parser.positional("HF_DIR|MODEL.gguf", 1, 1, "the Hugging Face model folder or GGUF file")
        .option("output", 'o', "DIR", "the model folder to write (an earlier import is replaced)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (!parsed->has("output")) fail("-o/--output is required (see --help)");
    fs::path input = parsed->positionals()[0], output = parsed->value("output");
    if (fs::is_regular_file(input)) {
        model_spec::HfModelConfig hf = model::importGguf(input, output);
        printImported(output, input, hf);
        return 0;
    }
    if (!fs::is_directory(input)) fail("{}: no such folder or GGUF file", input.string());

    // Checked before any weight is read: the config, then a tokenizer Strata can use.
    model_spec::HfModelConfig hf = model_spec::readHfConfig(input / model::kHfConfigFile);
    fs::path tokenizerPath = input / model::kTokenizerFile;
    if (!fs::exists(tokenizerPath))
        fail("{}: {} is missing (a Strata model folder keeps the model's tokenizer)",
             input.string(), model::kTokenizerFile);
    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(tokenizerPath);
    if (tokenizer.vocabSize() > size_t(hf.config.vocabSize))
        fail("{}: the tokenizer has {} tokens, more than the model's vocab_size {}",
             tokenizerPath.string(), tokenizer.vocabSize(), hf.config.vocabSize);

    hf = model::importHfFolder(input, output);
    printImported(output, input, hf);
    return 0;
}

}  // namespace strata::app
