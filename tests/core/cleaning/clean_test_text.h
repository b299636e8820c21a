// Seeded text for the cleaning tests: English-like prose that passes every default filter, and
// small file helpers. Deterministic for a given seed, so failures reproduce.
#pragma once

#include <QtTest>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

#include <random>
#include <string>
#include <string_view>

namespace strata::cleaning::test {

inline constexpr std::string_view kWords[] = {
    "the",       "of",       "and",       "to",         "in",       "is",      "that",
    "for",       "it",       "as",        "was",        "with",     "be",      "by",
    "on",        "not",      "he",        "this",       "are",      "or",      "his",
    "from",      "at",       "which",     "but",        "have",     "an",      "had",
    "they",      "you",      "were",      "their",      "one",      "all",     "we",
    "can",       "her",      "has",       "there",      "been",     "if",      "more",
    "when",      "will",     "would",     "who",        "so",       "no",      "river",
    "mountain",  "library",  "history",   "language",   "system",   "people",  "water",
    "garden",    "teacher",  "morning",   "window",     "question", "answer",  "machine",
    "village",   "country",  "summer",    "winter",     "journey",  "letter",  "number",
    "problem",   "picture",  "example",   "science",    "music",    "market",  "doctor",
    "family",    "student",  "paper",     "forest",     "ocean",    "kitchen", "evening",
    "story",     "project",  "engine",    "station",    "bridge",   "harbor",  "account",
    "method",    "result",   "process",   "theory",     "network",  "memory",  "signal",
    "surface",   "pattern",  "careful",   "quiet",      "bright",   "ancient", "modern",
    "simple",    "strange",  "gentle",    "heavy",      "rapid",    "narrow",  "useful",
    "written",   "walked",   "opened",    "built",      "carried",  "found",   "measured",
    "explained", "followed", "described", "considered", "returned", "noticed",
};

// Sentences of 6..18 random words in paragraphs of 3..6 sentences.
inline std::string prose(std::mt19937& rng, int numWords) {
    std::uniform_int_distribution<size_t> word(0, std::size(kWords) - 1);
    std::uniform_int_distribution<int> sentenceLength(6, 18);
    std::uniform_int_distribution<int> paragraphLength(3, 6);
    std::string text;
    int written = 0;
    while (written < numWords) {
        int sentences = paragraphLength(rng);
        for (int s = 0; s < sentences && written < numWords; ++s) {
            int length = sentenceLength(rng);
            for (int w = 0; w < length && written < numWords; ++w, ++written) {
                std::string next(kWords[word(rng)]);
                if (w == 0) next[0] = char(std::toupper(static_cast<unsigned char>(next[0])));
                if (!text.empty() && text.back() != '\n') text += ' ';
                text += next;
            }
            text += '.';
        }
        text += "\n\n";
    }
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    return text;
}

inline void writeFile(const QString& path, std::string_view bytes) {
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(bytes.data(), qint64(bytes.size()));
}

inline std::string readFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QByteArray bytes = file.readAll();
    return std::string(bytes.constData(), size_t(bytes.size()));
}

}  // namespace strata::cleaning::test
