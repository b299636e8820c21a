// PreTokenizerPipeline: Hugging Face's split behaviors over a tiling of matches and gaps.
#include "core/tokenizer/pre_tokenizer_pipeline.h"

#include "core/tokenizer/fast_split.h"

#include <utf8proc.h>

#include <algorithm>

namespace strata::tokenizer {

namespace {

// A piece of the text and whether the pattern matched it; the spans tile the text.
struct Span {
    size_t begin;
    size_t end;
    bool isMatch;
};

// Matches to a tiling: every gap between matches becomes a non-match span.
void tile(const std::vector<PieceSpan>& matches, size_t size, std::vector<Span>& out) {
    size_t pos = 0;
    for (const PieceSpan& match : matches) {
        if (match.begin > pos) out.push_back({pos, match.begin, false});
        out.push_back({match.begin, match.end, true});
        pos = match.end;
    }
    if (pos < size) out.push_back({pos, size, false});
}

void findLiteral(std::string_view text, std::string_view pattern, std::vector<PieceSpan>& out) {
    if (pattern.empty()) return;
    for (size_t at = text.find(pattern); at != std::string_view::npos;
         at = text.find(pattern, at + pattern.size()))
        out.push_back({at, at + pattern.size()});
}

size_t charLength(std::string_view text, size_t pos) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

// Rust's char::is_numeric: the general categories Nd, Nl and No.
bool isNumeric(std::string_view text, size_t pos, size_t length) {
    utf8proc_int32_t cp = 0;
    utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                     utf8proc_ssize_t(length), &cp);
    utf8proc_category_t category = utf8proc_category(cp);
    return category == UTF8PROC_CATEGORY_ND || category == UTF8PROC_CATEGORY_NL ||
           category == UTF8PROC_CATEGORY_NO;
}

// Hugging Face's NormalizedString::split: which spans survive and how they join. Returns
// kept spans (removed ones dropped).
std::vector<PieceSpan> applyBehavior(const std::vector<Span>& spans, SplitBehavior behavior) {
    std::vector<PieceSpan> out;
    switch (behavior) {
        case SplitBehavior::Isolated:
            for (const Span& span : spans)
                out.push_back({span.begin, span.end});
            break;
        case SplitBehavior::Removed:
            for (const Span& span : spans)
                if (!span.isMatch) out.push_back({span.begin, span.end});
            break;
        case SplitBehavior::Contiguous: {
            bool previousMatch = false;
            for (const Span& span : spans) {
                if (span.isMatch == previousMatch && !out.empty()) {
                    out.back().end = span.end;
                } else {
                    out.push_back({span.begin, span.end});
                }
                previousMatch = span.isMatch;
            }
            break;
        }
        case SplitBehavior::MergedWithPrevious: {
            bool previousMatch = false;
            for (const Span& span : spans) {
                if (span.isMatch && !previousMatch && !out.empty()) {
                    out.back().end = span.end;
                } else {
                    out.push_back({span.begin, span.end});
                }
                previousMatch = span.isMatch;
            }
            break;
        }
        case SplitBehavior::MergedWithNext: {
            bool previousMatch = false;
            for (size_t i = spans.size(); i-- > 0;) {
                const Span& span = spans[i];
                if (span.isMatch && !previousMatch && !out.empty()) {
                    out.back().begin = span.begin;
                } else {
                    out.push_back({span.begin, span.end});
                }
                previousMatch = span.isMatch;
            }
            std::reverse(out.begin(), out.end());
            break;
        }
    }
    return out;
}

void emit(const Piece& piece, const std::vector<PieceSpan>& kept, std::vector<Piece>& out) {
    for (const PieceSpan& span : kept) {
        if (span.end == span.begin) continue;
        out.push_back({piece.text.substr(span.begin, span.end - span.begin),
                       piece.atStart && span.begin == 0});
    }
}

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

}  // namespace

PreTokenizerPipeline::PreTokenizerPipeline(const std::vector<PreTokenizerStep>& steps) {
    for (const PreTokenizerStep& spec : steps) {
        Step step{spec, std::nullopt};
        if (const auto* split = std::get_if<SplitStep>(&spec); split && split->isRegex)
            step.regex.emplace(split->pattern);
        m_steps.push_back(std::move(step));
    }
}

void PreTokenizerPipeline::split(std::string_view text, bool atStart,
                                 std::vector<Piece>& pieces) const {
    pieces.clear();
    if (text.empty()) return;
    pieces.push_back({std::string(text), atStart});
    std::vector<Piece> next;
    for (const Step& step : m_steps) {
        next.clear();
        for (const Piece& piece : pieces)
            apply(step, piece, next);
        pieces.swap(next);
    }
}

void PreTokenizerPipeline::apply(const Step& step, const Piece& piece,
                                 std::vector<Piece>& out) const {
    const std::string& text = piece.text;
    std::vector<PieceSpan> matches;
    std::vector<Span> spans;
    if (const auto* split = std::get_if<SplitStep>(&step.spec)) {
        if (step.regex) {
            step.regex->findMatches(text, 0, text.size(), matches);
        } else {
            findLiteral(text, split->pattern, matches);
        }
        tile(matches, text.size(), spans);
        if (split->invert)
            for (Span& span : spans)
                span.isMatch = !span.isMatch;
        emit(piece, applyBehavior(spans, split->behavior), out);
    } else if (const auto* digits = std::get_if<DigitsStep>(&step.spec)) {
        for (size_t pos = 0; pos < text.size();) {
            size_t length = charLength(text, pos);
            if (isNumeric(text, pos, length)) matches.push_back({pos, pos + length});
            pos += length;
        }
        tile(matches, text.size(), spans);
        emit(piece,
             applyBehavior(spans, digits->individualDigits ? SplitBehavior::Isolated
                                                           : SplitBehavior::Contiguous),
             out);
    } else if (const auto* byteLevel = std::get_if<ByteLevelStep>(&step.spec)) {
        Piece prefixed = piece;
        if (byteLevel->addPrefixSpace && !text.starts_with(' ')) prefixed.text.insert(0, " ");
        if (!byteLevel->useRegex) {
            out.push_back(std::move(prefixed));
            return;
        }
        std::string_view view = prefixed.text;
        for (size_t pos = 0; pos < view.size();) {
            size_t end = gpt2PieceEnd(view, pos);
            out.push_back({std::string(view.substr(pos, end - pos)), prefixed.atStart && pos == 0});
            pos = end;
        }
    } else if (const auto* metaspace = std::get_if<MetaspaceStep>(&step.spec)) {
        Piece replaced = piece;
        replaceAll(replaced.text, " ", metaspace->replacement);
        bool prepend = metaspace->prependScheme == PrependScheme::Always ||
                       (metaspace->prependScheme == PrependScheme::First && piece.atStart);
        if (prepend && !replaced.text.starts_with(metaspace->replacement))
            replaced.text.insert(0, metaspace->replacement);
        if (!metaspace->split) {
            out.push_back(std::move(replaced));
            return;
        }
        findLiteral(replaced.text, metaspace->replacement, matches);
        tile(matches, replaced.text.size(), spans);
        emit(replaced, applyBehavior(spans, SplitBehavior::MergedWithNext), out);
    }
}

}  // namespace strata::tokenizer
