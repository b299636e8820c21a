// PCRE2 behind RegexSplitter. Match data and the JIT stack are per thread (made once, kept for
// the thread's life), so one compiled pattern is shared by every thread and a call allocates
// nothing: a Sequence of Split pre-tokenizers calls split() once per piece of the split before,
// and a JIT stack made per call cost an mmap and munmap each time (most of DeepSeek-V3's encode).
#include "core/tokenizer/regex_splitter.h"

#include "core/common/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace strata::tokenizer {

struct RegexSplitter::Impl {
    pcre2_code* code = nullptr;
    bool jit = false;
    ~Impl() { pcre2_code_free(code); }
};

namespace {

// What pcre2_match needs beside the pattern. One ovector pair: the splitter reads only the whole
// match (pcre2_match returns 0 rather than a count when a pattern has more groups than that).
struct MatchScratch {
    pcre2_match_data* match = pcre2_match_data_create(1, nullptr);
    pcre2_match_context* context = pcre2_match_context_create(nullptr);
    pcre2_jit_stack* stack = pcre2_jit_stack_create(32 << 10, 8 << 20, nullptr);

    MatchScratch() {
        if (stack) pcre2_jit_stack_assign(context, nullptr, stack);
    }
    ~MatchScratch() {
        pcre2_jit_stack_free(stack);
        pcre2_match_context_free(context);
        pcre2_match_data_free(match);
    }
    MatchScratch(const MatchScratch&) = delete;
    MatchScratch& operator=(const MatchScratch&) = delete;
};

MatchScratch& threadScratch() {
    thread_local MatchScratch scratch;
    return scratch;
}

}  // namespace

RegexSplitter::RegexSplitter(std::string pattern)
    : m_pattern(std::move(pattern)), m_impl(std::make_unique<Impl>()) {
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    m_impl->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(m_pattern.data()), m_pattern.size(),
                                 PCRE2_UTF | PCRE2_UCP, &errorCode, &errorOffset, nullptr);
    if (!m_impl->code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errorCode, message, sizeof(message));
        common::fail("pre-tokenizer regex does not compile at offset {}: {}", errorOffset,
                     reinterpret_cast<const char*>(message));
    }
    m_impl->jit = pcre2_jit_compile(m_impl->code, PCRE2_JIT_COMPLETE) == 0;
}

RegexSplitter::~RegexSplitter() = default;
RegexSplitter::RegexSplitter(RegexSplitter&&) noexcept = default;
RegexSplitter& RegexSplitter::operator=(RegexSplitter&&) noexcept = default;

template <typename OnMatch>
void RegexSplitter::forEachMatch(std::string_view text, size_t begin, size_t end,
                                 OnMatch&& onMatch) const {
    MatchScratch& scratch = threadScratch();
    if (!scratch.match || !scratch.context) common::fail("pre-tokenizer regex: out of memory");
    auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t searchFrom = begin;
    while (searchFrom < end) {
        int rc = pcre2_match(m_impl->code, subject, end, searchFrom, PCRE2_NO_UTF_CHECK,
                             scratch.match, scratch.context);
        if (rc == PCRE2_ERROR_NOMATCH) break;
        if (rc < 0) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(rc, message, sizeof(message));
            common::fail("pre-tokenizer regex failed: {}", reinterpret_cast<const char*>(message));
        }
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(scratch.match);
        size_t matchBegin = ovector[0];
        size_t matchEnd = ovector[1];
        onMatch(matchBegin, matchEnd);
        searchFrom = matchEnd;
        if (matchEnd == matchBegin) {
            // An empty match only marks a split point; search again one character on.
            ++searchFrom;
            while (searchFrom < end &&
                   (static_cast<unsigned char>(text[searchFrom]) & 0xC0) == 0x80)
                ++searchFrom;
        }
    }
}

void RegexSplitter::split(std::string_view text, size_t begin, size_t end,
                          std::vector<PieceSpan>& out) const {
    size_t pos = begin;  // start of the piece not yet emitted
    forEachMatch(text, begin, end, [&](size_t matchBegin, size_t matchEnd) {
        if (matchBegin > pos) out.push_back({pos, matchBegin});
        if (matchEnd > matchBegin) out.push_back({matchBegin, matchEnd});
        pos = matchEnd;
    });
    if (pos < end) out.push_back({pos, end});
}

void RegexSplitter::findMatches(std::string_view text, size_t begin, size_t end,
                                std::vector<PieceSpan>& matches) const {
    forEachMatch(text, begin, end, [&](size_t matchBegin, size_t matchEnd) {
        matches.push_back({matchBegin, matchEnd});
    });
}

}  // namespace strata::tokenizer
