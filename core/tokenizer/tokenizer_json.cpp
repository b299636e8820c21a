// tokenizer.json parsing (simdjson DOM, error codes only) and writing.
#include "core/tokenizer/tokenizer_json.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/mapped_file.h"
#include "core/common/utf8.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/patterns.h"
#include "core/tokenizer/regex_splitter.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <xxhash.h>

#include <map>
#include <optional>
#include <unordered_map>

namespace strata::tokenizer {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Reads one tokenizer.json; every failure names the source.
class Reader {
public:
    explicit Reader(std::string_view name) : m_name(name) {}

    TokenizerData read(std::string_view json) {
        simdjson::padded_string padded(json);
        element root;
        if (auto error = m_parser.parse(padded).get(root))
            fail("not valid JSON ({})", simdjson::error_message(error));
        if (root.type() != element_type::OBJECT) fail("the top level is not a JSON object");
        object top = root.get_object().value_unsafe();

        TokenizerData data;
        data.preTokenizers.clear();
        data.decoders.clear();
        readSection(top, "normalizer", &Reader::readNormalizer, data);
        readSection(top, "pre_tokenizer", &Reader::readPreTokenizer, data);
        checkPreTokenizers(data);
        readSection(top, "post_processor", &Reader::readPostProcessor, data);
        readSection(top, "decoder", &Reader::readDecoder, data);
        std::optional<element> model = field(top, "model");
        if (!model || model->is_null()) fail("no \"model\" section");
        if (model->type() != element_type::OBJECT) fail("\"model\" is not an object");
        std::vector<AddedToken> added = readAddedTokens(top);
        readModel(model->get_object().value_unsafe(), added, data);
        for (const PostProcessorStep& step : data.postProcessors)
            if (const auto* processor = std::get_if<TemplateProcessor>(&step))
                for (const TemplateSpecial& special : processor->specialTokens)
                    for (TokenId id : special.ids)
                        if (id >= data.tokens.size())
                            fail(
                                "post_processor.special_tokens.{} has id {}, outside the "
                                "vocabulary",
                                special.name, id);
        return data;
    }

    // tokenizer_config.json: the contents of bos_token, eos_token and pad_token (a string or
    // an AddedToken object). add_bos_token/add_eos_token are not read: transformers 5 drops them
    // when a tokenizer.json is present, whose post_processor decides instead.
    void readConfig(std::string_view json, TokenizerData& data) {
        // On demand: transformers writes numbers beyond 64 bits (model_max_length), which only
        // fail here if read.
        simdjson::padded_string padded(json);
        simdjson::ondemand::parser parser;
        simdjson::ondemand::document document;
        simdjson::ondemand::object top;
        if (parser.iterate(padded).get(document) || document.get_object().get(top))
            fail("not a JSON object");
        for (auto entry : top) {
            std::string_view key;
            if (entry.unescaped_key().get(key)) fail("not valid JSON");
            std::string* target = key == "bos_token"   ? &data.bosToken
                                  : key == "eos_token" ? &data.eosToken
                                  : key == "pad_token" ? &data.padToken
                                                       : nullptr;
            if (!target) continue;
            simdjson::ondemand::value value = entry.value();
            std::string_view text;
            simdjson::ondemand::object token;
            if (value.is_null()) {
                target->clear();
            } else if (!value.get_string().get(text)) {
                *target = std::string(text);
            } else if (!value.get_object().get(token) && !token["content"].get_string().get(text)) {
                *target = std::string(text);
            } else {
                fail("{} is neither a string nor an object with \"content\"", key);
            }
        }
    }

private:
    template <typename... Args>
    [[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) const {
        throw common::Error(
            fmt::format("{}: {}", m_name, fmt::format(format, std::forward<Args>(args)...)));
    }

    static std::optional<element> field(object parent, std::string_view key) {
        element value;
        if (parent.at_key(key).get(value)) return std::nullopt;
        return value;
    }
    std::string_view stringField(object parent, std::string_view key, std::string_view where) {
        std::optional<element> value = field(parent, key);
        std::string_view text;
        if (!value || value->get_string().get(text)) fail("{} has no string \"{}\"", where, key);
        return text;
    }
    // An optional boolean: absent or null gives `fallback`.
    bool boolField(object parent, std::string_view key, bool fallback, std::string_view where) {
        std::optional<element> value = field(parent, key);
        if (!value || value->is_null()) return fallback;
        bool flag = false;
        if (value->get_bool().get(flag)) fail("{}: \"{}\" is not true or false", where, key);
        return flag;
    }
    std::string_view typeOf(element value, std::string_view where) {
        if (value.type() != element_type::OBJECT) fail("{} is not an object", where);
        return stringField(value.get_object().value_unsafe(), "type", where);
    }

    template <typename... Args>
    [[noreturn]] void unsupported(std::string_view path, std::string_view type) const {
        fail("{}.type '{}' is not supported", path, type);
    }
    object objectAt(element value, std::string_view path) {
        object result;
        if (value.get_object().get(result)) fail("{} is not an object", path);
        return result;
    }
    array arrayField(object parent, std::string_view key, std::string_view path) {
        std::optional<element> value = field(parent, key);
        array result;
        if (!value || value->get_array().get(result)) fail("{} has no \"{}\" array", path, key);
        return result;
    }
    uint64_t uintField(object parent, std::string_view key, uint64_t fallback,
                       std::string_view path) {
        std::optional<element> value = field(parent, key);
        if (!value || value->is_null()) return fallback;
        uint64_t number = 0;
        if (value->get_uint64().get(number) || number > UINT32_MAX)
            fail("{}.{} is not a small non-negative integer", path, key);
        return number;
    }
    // A Split or Replace pattern: {"Regex": "..."} or {"String": "..."}.
    std::pair<std::string, bool> patternField(object parent, std::string_view path) {
        std::optional<element> value = field(parent, "pattern");
        object pattern;
        if (!value || value->get_object().get(pattern)) fail("{} has no \"pattern\" object", path);
        std::string_view text;
        if (std::optional<element> regex = field(pattern, "Regex")) {
            if (regex->get_string().get(text)) fail("{}.pattern.Regex is not a string", path);
            return {std::string(text), true};
        }
        if (std::optional<element> literal = field(pattern, "String")) {
            if (literal->get_string().get(text)) fail("{}.pattern.String is not a string", path);
            return {std::string(text), false};
        }
        fail("{}.pattern is neither Regex nor String", path);
    }
    PrependScheme prependScheme(object parent, std::string_view path) {
        if (std::optional<element> value = field(parent, "prepend_scheme");
            value && !value->is_null()) {
            std::string_view scheme;
            if (value->get_string().get(scheme)) fail("{}.prepend_scheme is not a string", path);
            if (scheme == "always") return PrependScheme::Always;
            if (scheme == "first") return PrependScheme::First;
            if (scheme == "never") return PrependScheme::Never;
            fail("{}.prepend_scheme '{}' is not always, first or never", path, scheme);
        }
        // Files older than prepend_scheme say add_prefix_space.
        return boolField(parent, "add_prefix_space", true, path) ? PrependScheme::Always
                                                                 : PrependScheme::Never;
    }
    std::string oneCharacter(object parent, std::string_view key, std::string_view path) {
        std::string_view text = stringField(parent, key, path);
        if (text.empty() || common::utf8SequenceLength(text, 0) != text.size())
            fail("{}.{} must be one character", path, key);
        return std::string(text);
    }

    void readNormalizer(element value, const std::string& path, TokenizerData& data) {
        if (value.is_null()) return;
        std::string_view type = typeOf(value, path);
        object normalizer = value.get_object().value_unsafe();
        if (type == "Sequence") {
            size_t index = 0;
            for (element step : arrayField(normalizer, "normalizers", path))
                readNormalizer(step, fmt::format("{}.normalizers[{}]", path, index++), data);
        } else if (type == "NFC") {
            data.normalizers.push_back(NfcNormalizer{});
        } else if (type == "NFKC") {
            data.normalizers.push_back(NfkcNormalizer{});
        } else if (type == "Prepend") {
            data.normalizers.push_back(
                PrependNormalizer{std::string(stringField(normalizer, "prepend", path))});
        } else if (type == "Replace") {
            auto [pattern, isRegex] = patternField(normalizer, path);
            if (isRegex) fail("{}.pattern.Regex is not supported (only String)", path);
            data.normalizers.push_back(
                ReplaceNormalizer{pattern, std::string(stringField(normalizer, "content", path))});
        } else {
            unsupported(path, type);
        }
    }

    static SplitBehavior splitBehavior(std::string_view name, bool& known) {
        known = true;
        if (name == "Removed") return SplitBehavior::Removed;
        if (name == "Isolated") return SplitBehavior::Isolated;
        if (name == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
        if (name == "MergedWithNext") return SplitBehavior::MergedWithNext;
        if (name == "Contiguous") return SplitBehavior::Contiguous;
        known = false;
        return SplitBehavior::Isolated;
    }

    void readPreTokenizer(element value, const std::string& path, TokenizerData& data) {
        if (value.is_null()) return;
        std::string_view type = typeOf(value, path);
        object step = value.get_object().value_unsafe();
        if (type == "Sequence") {
            size_t index = 0;
            for (element inner : arrayField(step, "pretokenizers", path))
                readPreTokenizer(inner, fmt::format("{}.pretokenizers[{}]", path, index++), data);
        } else if (type == "Split") {
            auto [pattern, isRegex] = patternField(step, path);
            std::string_view behaviorName = stringField(step, "behavior", path);
            bool known = false;
            SplitBehavior behavior = splitBehavior(behaviorName, known);
            if (!known) fail("{}.behavior '{}' is not supported", path, behaviorName);
            if (isRegex) {
                try {
                    RegexSplitter check(pattern);
                } catch (const common::Error& error) {
                    fail("{}.pattern: {}", path, error.what());
                }
            }
            data.preTokenizers.push_back(
                SplitStep{pattern, isRegex, behavior, boolField(step, "invert", false, path)});
        } else if (type == "Digits") {
            data.preTokenizers.push_back(
                DigitsStep{boolField(step, "individual_digits", false, path)});
        } else if (type == "ByteLevel") {
            // Hugging Face's defaults for missing fields are true.
            data.preTokenizers.push_back(
                ByteLevelStep{boolField(step, "add_prefix_space", true, path),
                              boolField(step, "use_regex", true, path)});
        } else if (type == "Metaspace") {
            data.preTokenizers.push_back(MetaspaceStep{oneCharacter(step, "replacement", path),
                                                       prependScheme(step, path),
                                                       boolField(step, "split", true, path)});
        } else {
            unsupported(path, type);
        }
    }

    // ByteLevel decides the spelling; it must come last, and Metaspace cannot join it.
    void checkPreTokenizers(TokenizerData& data) {
        bool byteLevel = false;
        bool metaspace = false;
        for (size_t i = 0; i < data.preTokenizers.size(); ++i) {
            if (std::holds_alternative<ByteLevelStep>(data.preTokenizers[i])) {
                if (i + 1 != data.preTokenizers.size())
                    fail("pre_tokenizer: a ByteLevel step before other steps is not supported");
                byteLevel = true;
            }
            metaspace = metaspace || std::holds_alternative<MetaspaceStep>(data.preTokenizers[i]);
        }
        if (byteLevel && metaspace)
            fail("pre_tokenizer: ByteLevel and Metaspace together are not supported");
        data.spelling = byteLevel ? VocabSpelling::ByteLevel : VocabSpelling::Text;
    }

    void readDecoder(element value, const std::string& path, TokenizerData& data) {
        if (value.is_null()) return;
        std::string_view type = typeOf(value, path);
        object step = value.get_object().value_unsafe();
        if (type == "Sequence") {
            size_t index = 0;
            for (element inner : arrayField(step, "decoders", path))
                readDecoder(inner, fmt::format("{}.decoders[{}]", path, index++), data);
        } else if (type == "ByteLevel") {
            data.decoders.push_back(ByteLevelDecoder{});
        } else if (type == "Replace") {
            auto [pattern, isRegex] = patternField(step, path);
            if (isRegex) fail("{}.pattern.Regex is not supported (only String)", path);
            data.decoders.push_back(
                ReplaceDecoder{pattern, std::string(stringField(step, "content", path))});
        } else if (type == "ByteFallback") {
            data.decoders.push_back(ByteFallbackDecoder{});
        } else if (type == "Fuse") {
            data.decoders.push_back(FuseDecoder{});
        } else if (type == "Strip") {
            data.decoders.push_back(StripDecoder{oneCharacter(step, "content", path),
                                                 uint32_t(uintField(step, "start", 0, path)),
                                                 uint32_t(uintField(step, "stop", 0, path))});
        } else if (type == "Metaspace") {
            data.decoders.push_back(MetaspaceDecoder{oneCharacter(step, "replacement", path),
                                                     prependScheme(step, path),
                                                     boolField(step, "split", true, path)});
        } else {
            unsupported(path, type);
        }
    }

    std::vector<TemplatePiece> readTemplate(object processor, std::string_view key,
                                            const std::string& path) {
        std::vector<TemplatePiece> pieces;
        size_t index = 0;
        for (element entry : arrayField(processor, key, path)) {
            std::string where = fmt::format("{}.{}[{}]", path, key, index++);
            object piece = objectAt(entry, where);
            TemplatePiece result;
            std::optional<element> inner;
            if ((inner = field(piece, "Sequence"))) {
                result.isSequence = true;
            } else if ((inner = field(piece, "SpecialToken"))) {
                result.isSequence = false;
            } else {
                fail("{} is neither Sequence nor SpecialToken", where);
            }
            object body = objectAt(*inner, where);
            result.name = std::string(stringField(body, "id", where));
            result.typeId = uint32_t(uintField(body, "type_id", 0, where));
            pieces.push_back(std::move(result));
        }
        return pieces;
    }

    void readPostProcessor(element value, const std::string& path, TokenizerData& data) {
        if (value.is_null()) return;
        std::string_view type = typeOf(value, path);
        object step = value.get_object().value_unsafe();
        if (type == "Sequence") {
            size_t index = 0;
            for (element inner : arrayField(step, "processors", path))
                readPostProcessor(inner, fmt::format("{}.processors[{}]", path, index++), data);
        } else if (type == "ByteLevel") {
            data.postProcessors.push_back(
                ByteLevelProcessor{boolField(step, "trim_offsets", true, path)});
        } else if (type == "TemplateProcessing") {
            TemplateProcessor processor;
            processor.single = readTemplate(step, "single", path);
            processor.pair = readTemplate(step, "pair", path);
            std::optional<element> specials = field(step, "special_tokens");
            object table;
            if (!specials || specials->get_object().get(table))
                fail("{} has no \"special_tokens\" object", path);
            for (auto [key, entry] : table) {
                std::string where = fmt::format("{}.special_tokens.{}", path, key);
                object special = objectAt(entry, where);
                TemplateSpecial result{std::string(key), {}, {}};
                for (element id : arrayField(special, "ids", where)) {
                    uint64_t number = 0;
                    if (id.get_uint64().get(number) || number >= (uint64_t(1) << 31))
                        fail("{}.ids holds something that is not a token id", where);
                    result.ids.push_back(TokenId(number));
                }
                for (element token : arrayField(special, "tokens", where)) {
                    std::string_view text;
                    if (token.get_string().get(text)) fail("{}.tokens holds a non-string", where);
                    result.tokens.emplace_back(text);
                }
                processor.specialTokens.push_back(std::move(result));
            }
            for (const TemplatePiece& piece : processor.single) {
                if (piece.isSequence && piece.name != "A")
                    fail("{}.single uses sequence '{}'; one sequence is A", path, piece.name);
                if (!piece.isSequence &&
                    std::none_of(processor.specialTokens.begin(), processor.specialTokens.end(),
                                 [&](const TemplateSpecial& s) { return s.name == piece.name; }))
                    fail("{}.single names '{}', which special_tokens lacks", path, piece.name);
            }
            data.postProcessors.push_back(std::move(processor));
        } else {
            unsupported(path, type);
        }
    }

    void readSection(object top, std::string_view key,
                     void (Reader::*readStep)(element, const std::string&, TokenizerData&),
                     TokenizerData& data) {
        if (std::optional<element> value = field(top, key))
            (this->*readStep)(*value, std::string(key), data);
    }

    std::vector<AddedToken> readAddedTokens(object top) {
        std::vector<AddedToken> tokens;
        std::optional<element> list = field(top, "added_tokens");
        if (!list || list->is_null()) return tokens;
        array entries;
        if (list->get_array().get(entries)) fail("\"added_tokens\" is not an array");
        size_t index = 0;
        for (element entry : entries) {
            std::string where = fmt::format("added_tokens[{}]", index++);
            object token;
            if (entry.get_object().get(token)) fail("{} is not an object", where);
            AddedToken added;
            uint64_t id = 0;
            std::optional<element> idValue = field(token, "id");
            if (!idValue || idValue->get_uint64().get(id) || id >= (uint64_t(1) << 31))
                fail("{} has no valid \"id\"", where);
            added.id = TokenId(id);
            added.content = std::string(stringField(token, "content", where));
            added.special = boolField(token, "special", false, where);
            // Hugging Face's default: special tokens are not normalized, others are.
            added.normalized = boolField(token, "normalized", !added.special, where);
            added.lstrip = boolField(token, "lstrip", false, where);
            added.rstrip = boolField(token, "rstrip", false, where);
            added.singleWord = boolField(token, "single_word", false, where);
            tokens.push_back(std::move(added));
        }
        return tokens;
    }

    void readModel(object model, std::vector<AddedToken>& added, TokenizerData& data) {
        if (std::optional<element> type = field(model, "type")) {
            std::string_view name;
            if (type->get_string().get(name)) fail("model \"type\" is not a string");
            if (name != "BPE")
                fail("model type '{}' is not supported (Strata reads byte-level BPE)", name);
        }
        std::optional<element> dropout = field(model, "dropout");
        double rate = 0;
        if (dropout && !dropout->is_null() && (dropout->get_double().get(rate) || rate != 0))
            fail("BPE dropout is not supported");
        for (std::string_view key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
            std::optional<element> value = field(model, key);
            std::string_view text;
            if (value && !value->is_null() && (value->get_string().get(text) || !text.empty()))
                fail("BPE {} is not supported", key);
        }
        data.bpe.ignoreMerges = boolField(model, "ignore_merges", false, "model");
        data.bpe.byteFallback = boolField(model, "byte_fallback", false, "model");
        data.bpe.fuseUnk = boolField(model, "fuse_unk", false, "model");
        if (std::optional<element> unk = field(model, "unk_token"); unk && !unk->is_null()) {
            std::string_view text;
            if (unk->get_string().get(text)) fail("model.unk_token is not a string");
            data.bpe.unkToken = std::string(text);
        }
        const bool byteLevel = data.spelling == VocabSpelling::ByteLevel;

        // Vocab: spelling -> id, every spelling byte-level (in a byte-level vocabulary) unless
        // it names an added token.
        std::optional<element> vocabValue = field(model, "vocab");
        object vocab;
        if (!vocabValue || vocabValue->get_object().get(vocab))
            fail("model has no \"vocab\" object");
        std::unordered_map<std::string_view, TokenId> idOf;
        std::map<TokenId, std::string_view> spellingOf;
        for (auto [key, value] : vocab) {
            uint64_t id = 0;
            if (value.get_uint64().get(id) || id >= (uint64_t(1) << 31))
                fail("vocab entry \"{}\" does not have a valid id", key);
            auto [it, fresh] = spellingOf.emplace(TokenId(id), key);
            if (!fresh)
                fail("id {} is used twice in the vocab (\"{}\" and \"{}\")", id, it->second, key);
            if (!idOf.emplace(key, TokenId(id)).second)
                fail("vocab entry \"{}\" appears twice", key);
        }

        std::map<TokenId, const AddedToken*> addedById;
        for (const AddedToken& token : added) {
            if (!addedById.emplace(token.id, &token).second)
                fail("id {} is used by two added tokens", token.id);
            auto it = spellingOf.find(token.id);
            if (it != spellingOf.end() && it->second != token.content) {
                std::string bytes;
                if (!byteLevel || !parseByteLevel(it->second, bytes) || bytes != token.content)
                    fail("id {} is vocab entry \"{}\" but added token \"{}\"", token.id, it->second,
                         token.content);
            }
        }

        TokenId size = 0;
        if (!spellingOf.empty()) size = spellingOf.rbegin()->first + 1;
        if (!addedById.empty()) size = std::max(size, addedById.rbegin()->first + 1);
        // Ids run from 0 without gaps, so the largest is below the number of distinct ids:
        // checked before the table is allocated, which a stray id of 2^31 - 1 would make huge.
        size_t distinct = spellingOf.size();
        for (const auto& [id, token] : addedById)
            distinct += !spellingOf.contains(id);
        if (size > distinct)
            fail("id {} is too large: ids must run from 0 to {} without gaps ({} tokens)", size - 1,
                 distinct - 1, distinct);
        data.tokens.assign(size, {});
        for (TokenId id = 0; id < size; ++id) {
            auto addedIt = addedById.find(id);
            auto vocabIt = spellingOf.find(id);
            if (addedIt != addedById.end()) {
                data.tokens[id] = addedIt->second->content;
            } else if (vocabIt != spellingOf.end() && !byteLevel) {
                data.tokens[id] = std::string(vocabIt->second);
            } else if (vocabIt != spellingOf.end()) {
                if (!parseByteLevel(vocabIt->second, data.tokens[id]))
                    fail("vocab entry \"{}\" is not a byte-level token", vocabIt->second);
            } else {
                fail("no token has id {} (ids must run from 0 to {} without gaps)", id, size - 1);
            }
        }
        data.addedTokens = std::move(added);

        std::optional<element> mergesValue = field(model, "merges");
        array merges;
        if (!mergesValue || mergesValue->get_array().get(merges))
            fail("model has no \"merges\" array");
        size_t index = 0;
        for (element merge : merges) {
            std::string_view left, right;
            std::string_view legacy;
            array pair;
            if (!merge.get_string().get(legacy)) {
                size_t space = legacy.find(' ');
                if (space == std::string_view::npos ||
                    legacy.find(' ', space + 1) != std::string_view::npos)
                    fail("merge {} (\"{}\") is not two tokens separated by one space", index,
                         legacy);
                left = legacy.substr(0, space);
                right = legacy.substr(space + 1);
            } else if (!merge.get_array().get(pair) && pair.size() == 2 &&
                       !pair.at(0).get_string().get(left) && !pair.at(1).get_string().get(right)) {
            } else {
                fail("merge {} is neither [\"a\", \"b\"] nor \"a b\"", index);
            }
            auto find = [&](std::string_view spelling) {
                auto it = idOf.find(spelling);
                if (it == idOf.end())
                    fail("merge {} (\"{}\" \"{}\") names \"{}\", which is not in the vocab", index,
                         left, right, spelling);
                return it->second;
            };
            TokenId leftId = find(left);
            TokenId rightId = find(right);
            std::string joined = std::string(left) + std::string(right);
            if (!idOf.count(joined))
                fail("merge {} (\"{}\" \"{}\") makes \"{}\", which is not in the vocab", index,
                     left, right, joined);
            data.merges.emplace_back(leftId, rightId);
            ++index;
        }
    }

    std::string m_name;
    simdjson::dom::parser m_parser;
};

void appendString(std::string& out, std::string_view text) {
    common::appendJsonString(out, text);
}

}  // namespace

TokenizerData parseTokenizerJson(std::string_view json, std::string_view name) {
    return Reader(name).read(json);
}

std::string tokenizerFingerprint(const std::filesystem::path& path) {
    common::MappedFile file(path);
    return fmt::format("{:016x}", XXH3_64bits(file.data(), file.size()));
}

TokenizerData readTokenizerJson(const std::filesystem::path& path) {
    common::MappedFile file(path);
    return parseTokenizerJson(file.view(), path.string());
}

TokenizerData readTokenizer(const std::filesystem::path& fileOrFolder) {
    if (!std::filesystem::is_directory(fileOrFolder)) return readTokenizerJson(fileOrFolder);
    std::filesystem::path json = fileOrFolder / "tokenizer.json";
    if (!std::filesystem::exists(json))
        common::fail("{}: the folder has no tokenizer.json", fileOrFolder.string());
    TokenizerData data = readTokenizerJson(json);
    readTokenizerConfig(fileOrFolder, data);
    return data;
}

void readTokenizerConfig(const std::filesystem::path& folder, TokenizerData& data) {
    std::filesystem::path config = folder / "tokenizer_config.json";
    if (!std::filesystem::exists(config)) return;
    common::MappedFile file(config);
    Reader(config.string()).readConfig(file.view(), data);
}

Tokenizer loadTokenizer(const std::filesystem::path& path) {
    TokenizerData data = readTokenizer(path);
    try {
        return Tokenizer(std::move(data));
    } catch (const common::Error& error) {
        throw common::Error(fmt::format("{}: {}", path.string(), error.what()));
    }
}

namespace {

std::string jsonString(std::string_view text) {
    return common::quotedJson(text);
}

const char* schemeName(PrependScheme scheme) {
    switch (scheme) {
        case PrependScheme::Always:
            return "always";
        case PrependScheme::First:
            return "first";
        case PrependScheme::Never:
            break;
    }
    return "never";
}

const char* behaviorName(SplitBehavior behavior) {
    switch (behavior) {
        case SplitBehavior::Removed:
            return "Removed";
        case SplitBehavior::Isolated:
            return "Isolated";
        case SplitBehavior::MergedWithPrevious:
            return "MergedWithPrevious";
        case SplitBehavior::MergedWithNext:
            return "MergedWithNext";
        case SplitBehavior::Contiguous:
            break;
    }
    return "Contiguous";
}

std::string patternJson(const std::string& pattern, bool isRegex) {
    return fmt::format("{{\"{}\": {}}}", isRegex ? "Regex" : "String", jsonString(pattern));
}

std::string normalizerJson(const NormalizerStep& step) {
    if (std::holds_alternative<NfcNormalizer>(step)) return R"({"type": "NFC"})";
    if (std::holds_alternative<NfkcNormalizer>(step)) return R"({"type": "NFKC"})";
    if (const auto* prepend = std::get_if<PrependNormalizer>(&step))
        return fmt::format(R"({{"type": "Prepend", "prepend": {}}})", jsonString(prepend->prepend));
    const auto& replace = std::get<ReplaceNormalizer>(step);
    return fmt::format(R"({{"type": "Replace", "pattern": {}, "content": {}}})",
                       patternJson(replace.pattern, false), jsonString(replace.content));
}

std::string preTokenizerJson(const PreTokenizerStep& step) {
    if (const auto* split = std::get_if<SplitStep>(&step))
        return fmt::format(R"({{"type": "Split", "pattern": {}, "behavior": "{}", "invert": {}}})",
                           patternJson(split->pattern, split->isRegex),
                           behaviorName(split->behavior), split->invert);
    if (const auto* digits = std::get_if<DigitsStep>(&step))
        return fmt::format(R"({{"type": "Digits", "individual_digits": {}}})",
                           digits->individualDigits);
    if (const auto* byteLevel = std::get_if<ByteLevelStep>(&step))
        return fmt::format(
            R"({{"type": "ByteLevel", "add_prefix_space": {}, "trim_offsets": true, "use_regex": {}}})",
            byteLevel->addPrefixSpace, byteLevel->useRegex);
    const auto& metaspace = std::get<MetaspaceStep>(step);
    return fmt::format(
        R"({{"type": "Metaspace", "replacement": {}, "prepend_scheme": "{}", "split": {}}})",
        jsonString(metaspace.replacement), schemeName(metaspace.prependScheme), metaspace.split);
}

std::string templateJson(const std::vector<TemplatePiece>& pieces) {
    std::string out = "[";
    for (size_t i = 0; i < pieces.size(); ++i)
        out += fmt::format(R"({}{{"{}": {{"id": {}, "type_id": {}}}}})", i ? ", " : "",
                           pieces[i].isSequence ? "Sequence" : "SpecialToken",
                           jsonString(pieces[i].name), pieces[i].typeId);
    return out + "]";
}

std::string postProcessorJson(const PostProcessorStep& step) {
    if (const auto* byteLevel = std::get_if<ByteLevelProcessor>(&step))
        return fmt::format(
            R"({{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": {}, "use_regex": true}})",
            byteLevel->trimOffsets);
    const auto& processor = std::get<TemplateProcessor>(step);
    std::string specials;
    for (const TemplateSpecial& special : processor.specialTokens) {
        std::string ids, tokens;
        for (size_t i = 0; i < special.ids.size(); ++i)
            ids += fmt::format("{}{}", i ? ", " : "", special.ids[i]);
        for (size_t i = 0; i < special.tokens.size(); ++i)
            tokens += fmt::format("{}{}", i ? ", " : "", jsonString(special.tokens[i]));
        specials += fmt::format(R"({}{}: {{"id": {}, "ids": [{}], "tokens": [{}]}})",
                                specials.empty() ? "" : ", ", jsonString(special.name),
                                jsonString(special.name), ids, tokens);
    }
    return fmt::format(
        R"({{"type": "TemplateProcessing", "single": {}, "pair": {}, "special_tokens": {{{}}}}})",
        templateJson(processor.single), templateJson(processor.pair), specials);
}

std::string decoderJson(const DecoderStep& step) {
    if (std::holds_alternative<ByteLevelDecoder>(step))
        return R"({"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true})";
    if (const auto* replace = std::get_if<ReplaceDecoder>(&step))
        return fmt::format(R"({{"type": "Replace", "pattern": {}, "content": {}}})",
                           patternJson(replace->pattern, false), jsonString(replace->content));
    if (std::holds_alternative<ByteFallbackDecoder>(step)) return R"({"type": "ByteFallback"})";
    if (std::holds_alternative<FuseDecoder>(step)) return R"({"type": "Fuse"})";
    if (const auto* strip = std::get_if<StripDecoder>(&step))
        return fmt::format(R"({{"type": "Strip", "content": {}, "start": {}, "stop": {}}})",
                           jsonString(strip->content), strip->start, strip->stop);
    const auto& metaspace = std::get<MetaspaceDecoder>(step);
    return fmt::format(
        R"({{"type": "Metaspace", "replacement": {}, "prepend_scheme": "{}", "split": {}}})",
        jsonString(metaspace.replacement), schemeName(metaspace.prependScheme), metaspace.split);
}

// null for no step, the step itself for one, a Sequence under `listKey` for more.
template <typename Step, typename ToJson>
std::string sectionJson(const std::vector<Step>& steps, std::string_view listKey, ToJson toJson) {
    if (steps.empty()) return "null";
    if (steps.size() == 1) return toJson(steps[0]);
    std::string out = fmt::format(R"({{"type": "Sequence", "{}": [)", listKey);
    for (size_t i = 0; i < steps.size(); ++i)
        out += (i ? ",\n    " : "\n    ") + toJson(steps[i]);
    return out + "\n  ]}";
}

}  // namespace

std::string formatTokenizerJson(const TokenizerData& data) {
    std::vector<bool> isAdded(data.tokens.size(), false);
    for (const AddedToken& token : data.addedTokens)
        isAdded[token.id] = true;

    std::string out = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n";
    out += "  \"added_tokens\": [";
    for (size_t i = 0; i < data.addedTokens.size(); ++i) {
        const AddedToken& token = data.addedTokens[i];
        out += i == 0 ? "\n    " : ",\n    ";
        out += fmt::format("{{\"id\": {}, \"content\": ", token.id);
        appendString(out, token.content);
        out += fmt::format(
            ", \"single_word\": {}, \"lstrip\": {}, \"rstrip\": {}, \"normalized\": {}, "
            "\"special\": {}}}",
            token.singleWord, token.lstrip, token.rstrip, token.normalized, token.special);
    }
    out += "\n  ],\n";
    out +=
        "  \"normalizer\": " + sectionJson(data.normalizers, "normalizers", normalizerJson) + ",\n";
    // Always a Sequence, one step a line: Strata's own files have looked like this from the start.
    out += "  \"pre_tokenizer\": ";
    if (data.preTokenizers.empty()) {
        out += "null,\n";
    } else {
        out += "{\"type\": \"Sequence\", \"pretokenizers\": [";
        for (size_t i = 0; i < data.preTokenizers.size(); ++i)
            out += (i ? ",\n    " : "\n    ") + preTokenizerJson(data.preTokenizers[i]);
        out += "\n  ]},\n";
    }
    out += "  \"post_processor\": " +
           sectionJson(data.postProcessors, "processors", postProcessorJson) + ",\n";
    out += "  \"decoder\": " + sectionJson(data.decoders, "decoders", decoderJson) + ",\n";
    out += fmt::format(
        "  \"model\": {{\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": "
        "{},\n"
        "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n"
        "    \"fuse_unk\": {},\n    \"byte_fallback\": {},\n    \"ignore_merges\": {},\n",
        data.bpe.unkToken.empty() ? std::string("null") : jsonString(data.bpe.unkToken),
        data.bpe.fuseUnk, data.bpe.byteFallback, data.bpe.ignoreMerges);
    const bool byteLevel = data.spelling == VocabSpelling::ByteLevel;
    std::vector<std::string> spelled(data.tokens.size());
    for (size_t id = 0; id < data.tokens.size(); ++id) {
        if (isAdded[id] || !byteLevel) {
            spelled[id] = data.tokens[id];
        } else {
            appendByteLevel(spelled[id], data.tokens[id]);
        }
    }
    out += "    \"vocab\": {";
    for (size_t id = 0; id < data.tokens.size(); ++id) {
        out += id == 0 ? "\n      " : ",\n      ";
        appendString(out, spelled[id]);
        out += fmt::format(": {}", id);
    }
    out += "\n    },\n    \"merges\": [";
    for (size_t rank = 0; rank < data.merges.size(); ++rank) {
        out += rank == 0 ? "\n      [" : ",\n      [";
        appendString(out, spelled[data.merges[rank].first]);
        out += ", ";
        appendString(out, spelled[data.merges[rank].second]);
        out += "]";
    }
    out += "\n    ]\n  }\n}\n";
    return out;
}

void saveTokenizerJson(const TokenizerData& data, const std::filesystem::path& path) {
    common::AtomicFile file(path);
    file.write(formatTokenizerJson(data));
    file.commit();
}

}  // namespace strata::tokenizer
