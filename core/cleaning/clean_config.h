// The whole configuration of `strata-cli clean`: one struct per stage with its defaults, read
// from TOML by dotted key (unknown keys and wrong types are errors naming file:line and key).
// defaultCleanConfigText() prints every key with its default and a comment; that text is the
// reference documentation of the stages and parses back to CleanConfig{} (a test checks it).
#pragma once

#include "core/cleaning/exact_dedup.h"
#include "core/cleaning/minhash.h"
#include "core/cleaning/quality_filters.h"
#include "core/cleaning/repetition_filter.h"
#include "core/cleaning/text_masker.h"
#include "core/cleaning/text_normalizer.h"
#include "core/cleaning/word_blocklist.h"

#include <cstdint>
#include <string>

namespace strata::common {
class ConfigReader;
}

namespace strata::cleaning {

struct InputOptions {
    std::string textField = "text";
    int64_t maxDocumentBytes = 64ll << 20;
    bool operator==(const InputOptions&) const = default;
};

struct HtmlOptions {
    bool enabled = true;
    bool detect = true;  // .txt and JSONL documents whose text is markup are converted too
    bool operator==(const HtmlOptions&) const = default;
};

struct TerminalEscapeOptions {
    bool enabled = true;
    bool operator==(const TerminalEscapeOptions&) const = default;
};

struct CleanConfig {
    InputOptions input;
    HtmlOptions html;
    TerminalEscapeOptions terminalEscapes;
    MaskOptions mask;
    NormalizeOptions normalize;
    WordCountOptions words;
    EntropyOptions entropy;
    GopherQualityOptions gopherQuality;
    RepetitionOptions repetition;
    BlocklistOptions blocklist;
    ScriptOptions script;
    ExactDedupOptions exactDedup;
    MinHashOptions nearDedup;
    bool operator==(const CleanConfig&) const = default;
};

// Reads every key (absent keys keep their defaults), validates the values, then calls
// reader.finish() so unknown keys fail. Throws common::Error listing every invalid value.
CleanConfig readCleanConfig(common::ConfigReader& reader);

// The default config as commented TOML: what --print-default-config prints.
std::string defaultCleanConfigText();

}  // namespace strata::cleaning
