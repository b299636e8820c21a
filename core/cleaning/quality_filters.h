// The document-level heuristic filters that read only a TextProfile: word-count bounds, character
// entropy, the Gopher quality rules (Rae et al. 2021, "Scaling Language Models", appendix A) and
// the script share. Each returns RejectReason::Kept or the first rule the document breaks.
// Repetition, the blocklist and dedup live in their own files.
#pragma once

#include "core/cleaning/reject_reason.h"
#include "core/cleaning/text_profile.h"

#include <string>
#include <vector>

namespace strata::cleaning {

struct WordCountOptions {
    bool enabled = true;
    int64_t minWords = 50;
    int64_t maxWords = 100000;
    bool operator==(const WordCountOptions&) const = default;
};

struct EntropyOptions {
    bool enabled = true;
    double minBits = 3.5;  // Shannon entropy over characters; English prose is about 4.2
    bool operator==(const EntropyOptions&) const = default;
};

// Word lengths count code points; CJK single-character words are left out of the mean (the rule
// is about space-separated languages).
struct GopherQualityOptions {
    bool enabled = true;
    double minMeanWordLength = 3.0;
    double maxMeanWordLength = 10.0;
    double maxSymbolWordRatio = 0.1;     // ('#' + "..." + "…") per word
    double maxBulletLineFraction = 0.9;  // lines starting with a bullet
    double maxEllipsisLineFraction = 0.3;
    double minAlphaWordFraction = 0.8;  // words containing a letter
    bool operator==(const GopherQualityOptions&) const = default;
};

struct ScriptOptions {
    bool enabled = false;
    std::vector<std::string> allowed = {"latin"};
    double minShare = 0.5;  // share of letters in an allowed script
    bool operator==(const ScriptOptions&) const = default;
};

RejectReason checkWordCount(const TextProfile& profile, const WordCountOptions& options);
RejectReason checkEntropy(const TextProfile& profile, const EntropyOptions& options);
RejectReason checkGopherQuality(const TextProfile& profile, const GopherQualityOptions& options);
// `allowed` holds one flag per Script, set for the allowed ones.
RejectReason checkScript(const TextProfile& profile, const std::array<bool, kNumScripts>& allowed,
                         double minShare);

}  // namespace strata::cleaning
