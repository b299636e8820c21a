#include "core/gguf/gguf_tokenizer.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/patterns.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <vector>

namespace strata::gguf {

using common::fail;

namespace {

// tokenizer.ggml.token_type values (llama.cpp's llama_token_type).
constexpr int64_t kControl = 3;
constexpr int64_t kUserDefined = 4;

// The pre-tokenizer of each tokenizer.ggml.pre value Strata knows: the regexes llama.cpp splits
// with, in order (each splits the pieces of the one before), as the models' own tokenizer.json
// spell them, and whether a piece that is itself a token skips the merges (Llama 3's
// ignore_merges).
struct PreTokenizer {
    std::vector<std::string_view> names;
    std::vector<std::string_view> splits;
    bool ignoreMerges = false;
};

constexpr std::string_view kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// Written with \u escapes: the ranges are exact code points, which a Unicode normalization of
// this source file would change.
constexpr std::string_view kDeepseekLlmLetters =
    R"(\s?[A-Za-z)"
    "\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF"
    "\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1"
    "\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5"
    "\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A"
    "\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D"
    "\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3"
    "\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115"
    "\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F"
    "\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3"
    "\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF"
    "\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\U00010400-\U0001044F"
    "\U000104B0-\U000104D3\U000104D8-\U000104FB\U00010C80-\U00010CB2\U00010CC0-\U00010CF2"
    "\U000118A0-\U000118DF\U0001E900-\U0001E943]+";
constexpr std::string_view kDeepseekLlmPunctuation =
    R"(\s?[!-/:-~)"
    "\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+";
constexpr std::string_view kDeepseekLlmHan = "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+";
constexpr std::string_view kDeepseekV3Han = "[\u4E00-\u9FA5\u3040-\u309F\u30A0-\u30FF]+";
constexpr std::string_view kDeepseekV3Words =
    R"([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^)"
    "\r\n"
    R"(\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[)"
    "\r\n"
    R"(]*|\s*[)"
    "\r\n"
    R"(]+|\s+(?!\S)|\s+)";

const std::vector<PreTokenizer>& preTokenizers() {
    static const std::vector<PreTokenizer> table = {
        {{"default", "gpt-2", "phi-2", "mpt", "olmo"}, {tokenizer::kGpt2Pattern}},
        {{"llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral"},
         {tokenizer::kCl100kPattern},
         true},
        {{"dbrx", "smaug-bpe"}, {tokenizer::kCl100kPattern}},
        {{"qwen2", "deepseek-r1-qwen", "stablelm2"}, {kQwen2Pattern}},
        {{"smollm", "starcoder", "refact", "codeshell"}, {R"(\p{N})", tokenizer::kGpt2Pattern}},
        {{"deepseek-llm"},
         {"[\r\n]", kDeepseekLlmLetters, kDeepseekLlmPunctuation, R"(\s+$)", kDeepseekLlmHan,
          R"(\p{N}+)"}},
        {{"deepseek-coder"},
         {"[\r\n]", R"(\s?\p{L}+)", R"(\s?\p{P}+)", kDeepseekLlmHan, R"(\p{N})"}},
        {{"deepseek-v3"}, {R"(\p{N}{1,3})", kDeepseekV3Han, kDeepseekV3Words}},
    };
    return table;
}

const PreTokenizer& preTokenizerOf(const GgufFile& file) {
    std::string_view name = file.findString("tokenizer.ggml.pre").value_or("default");
    for (const PreTokenizer& entry : preTokenizers())
        for (std::string_view known : entry.names)
            if (known == name) return entry;
    std::string known;
    for (const PreTokenizer& entry : preTokenizers())
        for (std::string_view each : entry.names)
            known += (known.empty() ? "" : ", ") + std::string(each);
    fail("{}: key 'tokenizer.ggml.pre' is '{}', a pre-tokenizer Strata does not know ({})",
         file.name(), name, known);
}

std::vector<std::string_view> stringArray(const GgufFile& file, const char* key) {
    const Array* array = file.findArray(key, ValueType::String);
    if (!array) fail("{}: key '{}' is missing", file.name(), key);
    std::vector<std::string_view> strings;
    strings.reserve(array->values.size());
    for (const Value& value : array->values)
        strings.push_back(std::get<std::string_view>(value.data));
    return strings;
}

// token_type holds int32 in llama.cpp's files; any integer type is read.
std::vector<int64_t> tokenTypes(const GgufFile& file, size_t count) {
    const Value* value = file.find("tokenizer.ggml.token_type");
    std::vector<int64_t> types(count, 1);
    if (!value) return types;
    const auto* array = std::get_if<Array>(&value->data);
    if (!array || array->values.size() != count)
        fail("{}: key 'tokenizer.ggml.token_type' must be an array of {} integers, one a token",
             file.name(), count);
    for (size_t i = 0; i < count; ++i) {
        const Value& type = array->values[i];
        if (const auto* number = std::get_if<int64_t>(&type.data))
            types[i] = *number;
        else if (const auto* number = std::get_if<uint64_t>(&type.data))
            types[i] = int64_t(*number);
        else
            fail("{}: key 'tokenizer.ggml.token_type' must hold integers", file.name());
    }
    return types;
}

struct SpecialToken {
    int64_t id = 0;
    std::string_view content;
};

std::optional<SpecialToken> specialToken(const GgufFile& file,
                                         std::span<const std::string_view> tokens,
                                         const char* key) {
    std::optional<int64_t> id = file.findInteger(key);
    if (!id) return std::nullopt;
    if (*id < 0 || size_t(*id) >= tokens.size())
        fail("{}: key '{}' is {}, outside the vocabulary of {} tokens", file.name(), key, *id,
             tokens.size());
    return SpecialToken{*id, tokens[size_t(*id)]};
}

void writePreTokenizer(common::JsonWriter& json, const PreTokenizer& pre) {
    json.key("pre_tokenizer").beginObject().field("type", "Sequence");
    json.key("pretokenizers").beginArray();
    for (std::string_view split : pre.splits) {
        json.beginObject().field("type", "Split");
        json.key("pattern").beginObject().field("Regex", split).endObject();
        json.field("behavior", "Isolated").field("invert", false).endObject();
    }
    json.beginObject()
        .field("type", "ByteLevel")
        .field("add_prefix_space", false)
        .field("trim_offsets", true)
        .field("use_regex", false)
        .endObject();
    json.endArray().endObject();
}

// What add_special_tokens adds: `before` ahead of each sequence and `after` behind it
// (add_bos_token and add_eos_token).
void writePostProcessor(common::JsonWriter& json, std::optional<SpecialToken> before,
                        std::optional<SpecialToken> after) {
    if (!before && !after) {
        json.key("post_processor")
            .beginObject()
            .field("type", "ByteLevel")
            .field("add_prefix_space", true)
            .field("trim_offsets", false)
            .field("use_regex", true)
            .endObject();
        return;
    }
    auto piece = [&](const char* kind, std::string_view id) {
        json.beginObject().key(kind).beginObject().field("id", id).field("type_id", 0);
        json.endObject().endObject();
    };
    auto sequence = [&](const char* id) {
        if (before) piece("SpecialToken", before->content);
        piece("Sequence", id);
        if (after) piece("SpecialToken", after->content);
    };
    json.key("post_processor").beginObject().field("type", "TemplateProcessing");
    json.key("single").beginArray();
    sequence("A");
    json.endArray().key("pair").beginArray();
    sequence("A");
    sequence("B");
    json.endArray().key("special_tokens").beginObject();
    auto entry = [&](const SpecialToken& token) {
        json.key(token.content).beginObject().field("id", token.content);
        json.key("ids").beginArray().value(token.id).endArray();
        json.key("tokens").beginArray().value(token.content).endArray();
        json.endObject();
    };
    if (before) entry(*before);
    if (after && (!before || after->id != before->id)) entry(*after);
    json.endObject().endObject();
}

}  // namespace

GgufTokenizerFiles readGgufTokenizer(const GgufFile& file) {
    std::string_view model = file.findString("tokenizer.ggml.model").value_or("");
    if (model != "gpt2")
        fail(
            "{}: key 'tokenizer.ggml.model' is '{}'; Strata imports byte-level BPE vocabularies "
            "('gpt2'), not {}",
            file.name(), model,
            model == "llama" ? "SentencePiece ('llama')"
            : model.empty()  ? "a file without one"
                             : fmt::format("'{}'", model));
    const PreTokenizer& pre = preTokenizerOf(file);
    std::vector<std::string_view> tokens = stringArray(file, "tokenizer.ggml.tokens");
    std::vector<std::string_view> merges = stringArray(file, "tokenizer.ggml.merges");
    std::vector<int64_t> types = tokenTypes(file, tokens.size());

    std::optional<SpecialToken> bos = specialToken(file, tokens, "tokenizer.ggml.bos_token_id");
    std::optional<SpecialToken> eos = specialToken(file, tokens, "tokenizer.ggml.eos_token_id");
    std::optional<SpecialToken> pad = specialToken(file, tokens, "tokenizer.ggml.padding_token_id");
    std::optional<SpecialToken> unk = specialToken(file, tokens, "tokenizer.ggml.unknown_token_id");
    // llama.cpp adds BOS for Llama 3's vocabularies unless the file says otherwise.
    bool addBos = file.findBool("tokenizer.ggml.add_bos_token").value_or(pre.ignoreMerges);
    bool addEos = file.findBool("tokenizer.ggml.add_eos_token").value_or(false);

    common::JsonWriter json;
    json.beginObject().field("version", "1.0");
    json.key("truncation").rawValue("null").key("padding").rawValue("null");
    json.key("added_tokens").beginArray();
    for (size_t id = 0; id < tokens.size(); ++id) {
        if (types[id] != kControl && types[id] != kUserDefined) continue;
        json.beginObject()
            .field("id", int64_t(id))
            .field("content", tokens[id])
            .field("single_word", false)
            .field("lstrip", false)
            .field("rstrip", false)
            .field("normalized", false)
            .field("special", types[id] == kControl)
            .endObject();
    }
    json.endArray();
    json.key("normalizer").rawValue("null");
    writePreTokenizer(json, pre);
    writePostProcessor(json, addBos ? bos : std::nullopt, addEos ? eos : std::nullopt);
    json.key("decoder")
        .beginObject()
        .field("type", "ByteLevel")
        .field("add_prefix_space", true)
        .field("trim_offsets", true)
        .field("use_regex", true)
        .endObject();
    json.key("model").beginObject().field("type", "BPE");
    json.key("dropout").rawValue("null").key("unk_token").rawValue("null");
    json.key("continuing_subword_prefix").rawValue("null");
    json.key("end_of_word_suffix").rawValue("null");
    json.field("fuse_unk", false).field("byte_fallback", false);
    json.field("ignore_merges", pre.ignoreMerges);
    json.key("vocab").beginObject();
    for (size_t id = 0; id < tokens.size(); ++id)
        json.field(tokens[id], int64_t(id));
    json.endObject();
    json.key("merges").beginArray();
    for (size_t i = 0; i < merges.size(); ++i) {
        size_t space = merges[i].find(' ');
        if (space == std::string_view::npos ||
            merges[i].find(' ', space + 1) != std::string_view::npos)
            fail("{}: key 'tokenizer.ggml.merges' entry {} ('{}') is not two tokens", file.name(),
                 i, merges[i]);
        json.beginArray()
            .value(merges[i].substr(0, space))
            .value(merges[i].substr(space + 1))
            .endArray();
    }
    json.endArray().endObject().endObject();

    GgufTokenizerFiles files;
    files.tokenizerJson = json.take() + "\n";
    try {
        tokenizer::parseTokenizerJson(files.tokenizerJson, "tokenizer.json");
    } catch (const common::Error& error) {
        fail("{}: its tokenizer does not load: {}", file.name(), error.what());
    }

    common::JsonWriter config;
    config.beginObject()
        .field("tokenizer_class", "PreTrainedTokenizerFast")
        .field("clean_up_tokenization_spaces", false)
        .field("add_bos_token", addBos)
        .field("add_eos_token", addEos);
    auto named = [&](const char* key, const std::optional<SpecialToken>& token) {
        if (token) config.field(key, token->content);
    };
    named("bos_token", bos);
    named("eos_token", eos);
    named("pad_token", pad);
    named("unk_token", unk);
    if (std::optional<std::string_view> chat = file.findString("tokenizer.chat_template"))
        config.field("chat_template", *chat);
    files.tokenizerConfigJson = config.endObject().take() + "\n";
    return files;
}

namespace {

// The regexes a tokenizer splits with, in order, as llama.cpp lists them: Digits with individual
// digits is \p{N}, a ByteLevel step with use_regex is GPT-2's pattern.
std::optional<std::vector<std::string>> splitRegexes(const tokenizer::TokenizerData& data) {
    std::vector<std::string> regexes;
    for (const tokenizer::PreTokenizerStep& step : data.preTokenizers) {
        if (const auto* split = std::get_if<tokenizer::SplitStep>(&step)) {
            if (!split->isRegex || split->invert ||
                split->behavior != tokenizer::SplitBehavior::Isolated)
                return std::nullopt;
            regexes.push_back(split->pattern);
        } else if (const auto* digits = std::get_if<tokenizer::DigitsStep>(&step)) {
            if (!digits->individualDigits) return std::nullopt;
            regexes.emplace_back(R"(\p{N})");
        } else if (const auto* byteLevel = std::get_if<tokenizer::ByteLevelStep>(&step)) {
            if (byteLevel->addPrefixSpace) return std::nullopt;
            if (byteLevel->useRegex) regexes.emplace_back(tokenizer::kGpt2Pattern);
        } else {
            return std::nullopt;
        }
    }
    return regexes;
}

std::string_view preTokenizerName(const tokenizer::TokenizerData& data, const std::string& source) {
    std::optional<std::vector<std::string>> regexes = splitRegexes(data);
    if (regexes)
        for (const PreTokenizer& entry : preTokenizers())
            if (entry.ignoreMerges == data.bpe.ignoreMerges &&
                std::equal(regexes->begin(), regexes->end(), entry.splits.begin(),
                           entry.splits.end()))
                return entry.names.front();
    fail(
        "{}: its tokenizer's pre-tokenizer is none of llama.cpp's (it splits the way no "
        "tokenizer.ggml.pre type does)",
        source);
}

}  // namespace

void addGgufTokenizerMetadata(GgufWriter& writer, const tokenizer::TokenizerData& data,
                              const model_spec::HfSpecialTokens& special,
                              std::string_view chatTemplate, const std::string& source) {
    if (data.spelling != tokenizer::VocabSpelling::ByteLevel || data.bpe.byteFallback)
        fail("{}: GGUF export writes byte-level BPE tokenizers, and this one is not", source);
    std::string_view pre = preTokenizerName(data, source);
    std::vector<int32_t> types(data.tokens.size(), 1);
    std::vector<bool> added(data.tokens.size(), false);
    for (const tokenizer::AddedToken& token : data.addedTokens) {
        types[token.id] = int32_t(token.special ? kControl : kUserDefined);
        added[token.id] = true;
    }
    std::vector<std::string> tokens(data.tokens.size());
    for (size_t id = 0; id < tokens.size(); ++id) {
        if (added[id])
            tokens[id] = data.tokens[id];
        else
            tokenizer::appendByteLevel(tokens[id], data.tokens[id]);
    }
    std::vector<std::string> merges;
    merges.reserve(data.merges.size());
    for (const auto& [left, right] : data.merges)
        merges.push_back(tokens[left] + " " + tokens[right]);

    writer.addString("tokenizer.ggml.model", "gpt2")
        .addString("tokenizer.ggml.pre", pre)
        .addStrings("tokenizer.ggml.tokens", tokens)
        .addInt32s("tokenizer.ggml.token_type", types)
        .addStrings("tokenizer.ggml.merges", merges);
    if (special.bos) writer.addU32("tokenizer.ggml.bos_token_id", uint32_t(special.bos->id));
    if (special.eos) writer.addU32("tokenizer.ggml.eos_token_id", uint32_t(special.eos->id));
    if (special.pad) writer.addU32("tokenizer.ggml.padding_token_id", uint32_t(special.pad->id));
    // add_bos_token: the post-processor puts a special token first.
    bool addsBos = false;
    for (const tokenizer::PostProcessorStep& step : data.postProcessors)
        if (const auto* processor = std::get_if<tokenizer::TemplateProcessor>(&step))
            addsBos = !processor->single.empty() && !processor->single.front().isSequence;
    writer.addBool("tokenizer.ggml.add_bos_token", addsBos);
    if (!chatTemplate.empty()) writer.addString("tokenizer.chat_template", chatTemplate);
}

}  // namespace strata::gguf
