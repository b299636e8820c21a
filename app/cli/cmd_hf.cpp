// `strata-cli export` and `strata-cli import`: a model folder (a checkpoint, or an earlier import)
// to a Hugging Face model folder and back, through core/model/hf_folder.h. The tokenizer is read
// here, for the special tokens an export names and to refuse an import whose tokenizer Strata
// cannot use.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/gguf/ollama_modelfile.h"
#include "core/model/gguf_model.h"
#include "core/model/hf_folder.h"
#include "core/model/model_folder.h"
#include "core/model_spec/generation_config.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>

#include <algorithm>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

void printImported(const fs::path& output, const fs::path& input,
                   const model_spec::HfModelConfig& hf) {
    fmt::print(stderr, "{}: model folder of {} ({} layers, d_model {}, vocabulary {}) from {}\n",
               output.string(), model_spec::hfArchitectureName(hf.config.family),
               hf.config.numLayers, hf.config.dModel, hf.config.vocabSize,
               input.filename().string());
}

// The Modelfile beside an exported GGUF: the model's end-of-turn and end-of-text tokens stop it,
// and its generation_config.json gives the sampling defaults.
void writeModelfile(const fs::path& modelfile, const fs::path& gguf, const fs::path& checkpoint,
                    const tokenizer::Tokenizer& tokenizer,
                    const model_spec::HfSpecialTokens& special) {
    std::vector<std::string> stops;
    if (tokenizer::readChatTemplate(checkpoint)) {
        tokenizer::ChatTemplate chat = tokenizer::modelChatTemplate(checkpoint, tokenizer);
        stops.push_back(tokenizer.data().tokens[chat.endOfTurn()]);
    }
    if (special.eos && std::find(stops.begin(), stops.end(), special.eos->content) == stops.end())
        stops.push_back(special.eos->content);
    std::optional<model_spec::GenerationDefaults> defaults =
        model_spec::readGenerationConfig(checkpoint, model_spec::defaultSamplingOptions());
    common::AtomicFile file(modelfile);
    file.write(gguf::ollamaModelfile(gguf.filename().string(), stops,
                                     defaults ? std::optional(defaults->options) : std::nullopt));
    file.commit();
}

gguf::GgmlType ggufTypeNamed(const std::string& name) {
    if (name == "f32") return gguf::GgmlType::F32;
    if (name == "f16") return gguf::GgmlType::F16;
    if (name == "bf16") return gguf::GgmlType::BF16;
    if (name == "q8_0") return gguf::GgmlType::Q8_0;
    fail("--type is '{}'; it is f16, bf16, q8_0 or f32", name);
}

int exportGgufFile(const fs::path& checkpoint, const fs::path& output, const std::string& type) {
    gguf::GgmlType ggmlType = ggufTypeNamed(type);
    if (output.extension() != ".gguf")
        fail("{}: a GGUF file's name ends in .gguf", output.string());
    if (fs::is_directory(output)) fail("{}: is a folder; -o names the .gguf file", output.string());
    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(checkpoint);
    model_spec::HfSpecialTokens special = model::specialTokensOf(tokenizer);
    std::string architecture = model::exportGguf(checkpoint, output, ggmlType, special);
    fs::path modelfile = output.parent_path() / "Modelfile";
    writeModelfile(modelfile, output, checkpoint, tokenizer, special);
    fmt::print(stderr, "{}: GGUF of the {} architecture, {} ({} beside it for ollama create)\n",
               output.string(), architecture, type, modelfile.filename().string());
    return 0;
}

}  // namespace

int runExport(const Args& args) {
    ArgParser parser(
        "strata-cli export", "--checkpoint DIR -o HF_DIR | --format gguf [--type T] -o FILE.gguf",
        "Writes a model folder (a checkpoint or an import) as a Hugging Face model folder:\n"
        "config.json, model.safetensors, tokenizer.json and tokenizer_config.json.\n"
        "An imported model keeps its family (an imported Qwen3 becomes Qwen3ForCausalLM).\n"
        "A model made here: MLA becomes DeepseekV3ForCausalLM, GQA with MoE\n"
        "MixtralForCausalLM, dense GQA MistralForCausalLM with a sliding window and\n"
        "LlamaForCausalLM without; a setting the class cannot express is an error naming it.\n"
        "With --format gguf: one GGUF file for llama.cpp and Ollama, with the tokenizer and\n"
        "chat template inside and a Modelfile beside it (ollama create NAME -f Modelfile).");
    parser.option("checkpoint", 'c', "DIR", "the model folder (model.toml, model.safetensors)")
        .option("output", 'o', "PATH",
                "the folder or file to write (an earlier export is replaced)")
        .option("format", 0, "FORMAT", "hf (default) or gguf")
        .option("type", 0, "TYPE",
                "gguf: the weight matrices' type, f16 (default), bf16, q8_0 or f32");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (!parsed->has("checkpoint")) fail("--checkpoint is required (see --help)");
    if (!parsed->has("output")) fail("-o/--output is required (see --help)");
    fs::path checkpoint = parsed->value("checkpoint"), output = parsed->value("output");
    std::string format = parsed->has("format") ? parsed->value("format") : "hf";
    if (format != "hf" && format != "gguf") fail("--format is '{}'; it is hf or gguf", format);
    if (format == "hf" && parsed->has("type")) fail("--type is for --format gguf");
    if (!fs::is_directory(checkpoint)) fail("{}: no such model folder", checkpoint.string());
    fs::path tokenizerPath = checkpoint / model::kTokenizerFile;
    if (!fs::exists(tokenizerPath))
        fail("{}: not a model folder ({} is missing)", checkpoint.string(), model::kTokenizerFile);
    if (format == "gguf")
        return exportGgufFile(checkpoint, output,
                              parsed->has("type") ? parsed->value("type") : "f16");

    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(checkpoint);
    model_spec::ModelFamily architecture =
        model::exportHfFolder(checkpoint, output, model::specialTokensOf(tokenizer));
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
