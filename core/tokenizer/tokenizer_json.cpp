// tokenizer.json parsing (simdjson DOM, error codes only) and writing.
#include "core/tokenizer/tokenizer_json.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/mapped_file.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/patterns.h"

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
        readNormalizer(top);
        readPreTokenizer(top, data);
        readDecoder(top, "decoder");
        readDecoder(top, "post_processor");
        std::optional<element> model = field(top, "model");
        if (!model || model->is_null()) fail("no \"model\" section");
        if (model->type() != element_type::OBJECT) fail("\"model\" is not an object");
        std::vector<AddedToken> added = readAddedTokens(top);
        readModel(model->get_object().value_unsafe(), added, data);
        return data;
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

    void readNormalizer(object top) {
        std::optional<element> normalizer = field(top, "normalizer");
        if (normalizer && !normalizer->is_null())
            fail("normalizer '{}' is not supported (Strata reads tokenizers without one)",
                 typeOf(*normalizer, "normalizer"));
    }

    void readDecoder(object top, std::string_view key) {
        std::optional<element> decoder = field(top, key);
        if (!decoder || decoder->is_null()) return;
        std::string_view type = typeOf(*decoder, key);
        if (type != "ByteLevel") fail("{} '{}' is not supported (only ByteLevel)", key, type);
    }

    void readByteLevel(object byteLevel, TokenizerData& data) {
        // Hugging Face's default for a missing add_prefix_space is true.
        if (boolField(byteLevel, "add_prefix_space", true, "pre_tokenizer ByteLevel"))
            fail("pre_tokenizer ByteLevel with add_prefix_space true is not supported");
        if (boolField(byteLevel, "use_regex", true, "pre_tokenizer ByteLevel"))
            data.splitPatterns.emplace_back(kGpt2Pattern);
    }

    void readSplit(object split, TokenizerData& data) {
        std::optional<element> pattern = field(split, "pattern");
        object patternObject;
        std::string_view regex;
        if (!pattern || pattern->get_object().get(patternObject))
            fail("pre_tokenizer Split has no \"pattern\" object");
        if (std::optional<element> value = field(patternObject, "Regex")) {
            if (value->get_string().get(regex)) fail("pre_tokenizer Split's Regex is not a string");
        } else {
            fail("pre_tokenizer Split with a String pattern is not supported (only Regex)");
        }
        std::string_view behavior = stringField(split, "behavior", "pre_tokenizer Split");
        if (behavior != "Isolated")
            fail("pre_tokenizer Split behavior '{}' is not supported (only Isolated)", behavior);
        if (boolField(split, "invert", false, "pre_tokenizer Split"))
            fail("pre_tokenizer Split with invert true is not supported");
        data.splitPatterns.emplace_back(regex);
    }

    void readPreTokenizer(object top, TokenizerData& data) {
        data.splitPatterns.clear();
        std::optional<element> pre = field(top, "pre_tokenizer");
        if (!pre || pre->is_null()) fail("no pre_tokenizer; byte-level BPE needs a ByteLevel one");
        std::string_view type = typeOf(*pre, "pre_tokenizer");
        object preObject = pre->get_object().value_unsafe();
        if (type == "ByteLevel") {
            readByteLevel(preObject, data);
            return;
        }
        if (type != "Sequence")
            fail(
                "pre_tokenizer '{}' is not supported (ByteLevel or Sequence of Split and "
                "ByteLevel)",
                type);
        array steps;
        std::optional<element> list = field(preObject, "pretokenizers");
        if (!list || list->get_array().get(steps))
            fail("pre_tokenizer Sequence has no \"pretokenizers\" array");
        size_t index = 0;
        size_t count = steps.size();
        bool sawByteLevel = false;
        for (element step : steps) {
            std::string_view stepType = typeOf(step, "pre_tokenizer step");
            object stepObject = step.get_object().value_unsafe();
            if (stepType == "Split" && !sawByteLevel) {
                readSplit(stepObject, data);
            } else if (stepType == "ByteLevel" && index + 1 == count) {
                readByteLevel(stepObject, data);
                sawByteLevel = true;
            } else {
                fail(
                    "pre_tokenizer step {} ('{}') is not supported (Splits, then one ByteLevel "
                    "last)",
                    index, stepType);
            }
            ++index;
        }
        if (!sawByteLevel) fail("pre_tokenizer Sequence does not end with ByteLevel");
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
            for (std::string_view flag : {"single_word", "lstrip", "rstrip"})
                if (boolField(token, flag, false, where))
                    fail("added token '{}' sets {}, which is not supported", added.content, flag);
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
        if (boolField(model, "byte_fallback", false, "model"))
            fail("BPE byte_fallback is not supported");
        data.ignoreMerges = boolField(model, "ignore_merges", false, "model");

        // Vocab: spelling -> id, every spelling byte-level unless it names an added token.
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
                if (!parseByteLevel(it->second, bytes) || bytes != token.content)
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
            fail("id {} is too large: ids must run from 0 to {} without gaps ({} tokens)",
                 size - 1, distinct - 1, distinct);
        data.tokens.assign(size, {});
        for (TokenId id = 0; id < size; ++id) {
            auto addedIt = addedById.find(id);
            auto vocabIt = spellingOf.find(id);
            if (addedIt != addedById.end()) {
                data.tokens[id] = addedIt->second->content;
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

Tokenizer loadTokenizer(const std::filesystem::path& path) {
    TokenizerData data = readTokenizerJson(path);
    try {
        return Tokenizer(std::move(data));
    } catch (const common::Error& error) {
        throw common::Error(fmt::format("{}: {}", path.string(), error.what()));
    }
}

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
            ", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": "
            "false, \"special\": {}}}",
            token.special);
    }
    out += "\n  ],\n  \"normalizer\": null,\n";
    out += "  \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [";
    for (const std::string& pattern : data.splitPatterns) {
        out += "\n    {\"type\": \"Split\", \"pattern\": {\"Regex\": ";
        appendString(out, pattern);
        out += "}, \"behavior\": \"Isolated\", \"invert\": false},";
    }
    out +=
        "\n    {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, "
        "\"use_regex\": false}\n  ]},\n";
    out += "  \"post_processor\": null,\n";
    out +=
        "  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": "
        "true, \"use_regex\": true},\n";
    out += fmt::format(
        "  \"model\": {{\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": "
        "null,\n"
        "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n"
        "    \"fuse_unk\": false,\n    \"byte_fallback\": false,\n    \"ignore_merges\": {},\n",
        data.ignoreMerges);
    std::vector<std::string> spelled(data.tokens.size());
    for (size_t id = 0; id < data.tokens.size(); ++id) {
        if (isAdded[id]) {
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
