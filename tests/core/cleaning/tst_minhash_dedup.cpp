// MinHash + LSH near dedup: on a seeded corpus of originals and lightly edited copies, the LSH
// index flags exactly the documents the brute-force all-pairs reference flags; signatures
// estimate the true shingle Jaccard within sampling error; CJK text gets character shingles.
#include "core/cleaning/minhash.h"
#include "core/cleaning/near_dedup.h"
#include "core/cleaning/text_profile.h"
#include "tests/core/cleaning/clean_test_text.h"

#include <QtTest>

#include <algorithm>
#include <set>

using namespace strata::cleaning;

namespace {

std::vector<uint32_t> signatureOf(const MinHasher& hasher, const std::string& text) {
    TextProfile profile;
    profile.build(text);
    std::vector<uint32_t> signature(size_t(hasher.numHashes()));
    std::vector<uint64_t> shingles;
    hasher.signature(profile, signature.data(), shingles);
    return signature;
}

double trueJaccard(const MinHasher& hasher, const std::string& a, const std::string& b) {
    TextProfile pa, pb;
    pa.build(a);
    pb.build(b);
    std::vector<uint64_t> sa, sb;
    hasher.shingleHashes(pa, sa);
    hasher.shingleHashes(pb, sb);
    std::set<uint64_t> setA(sa.begin(), sa.end()), setB(sb.begin(), sb.end());
    size_t common = 0;
    for (uint64_t x : setA)
        common += setB.count(x);
    return double(common) / double(setA.size() + setB.size() - common);
}

// Replaces `edits` random words of `text` with "edited".
std::string edit(std::mt19937& rng, std::string text, int edits) {
    for (int e = 0; e < edits; ++e) {
        std::vector<size_t> starts;
        for (size_t i = 0; i < text.size(); ++i)
            if (i == 0 || text[i - 1] == ' ') starts.push_back(i);
        size_t start = starts[std::uniform_int_distribution<size_t>(0, starts.size() - 1)(rng)];
        size_t end = text.find_first_of(" \n", start);
        if (end == std::string::npos) end = text.size();
        text.replace(start, end - start, "edited");
    }
    return text;
}

}  // namespace

class TestMinhashDedup : public QObject {
    Q_OBJECT

private slots:
    void lshMatchesBruteForce() {
        std::mt19937 rng(42);
        MinHashOptions options;
        MinHasher hasher(options);
        std::vector<std::string> corpus;
        for (int i = 0; i < 150; ++i) {
            if (i >= 10 && i % 3 == 0) {
                // A copy of an earlier document with 0..3 words changed: Jaccard well above 0.8.
                const std::string& original =
                    corpus[std::uniform_int_distribution<size_t>(0, corpus.size() - 1)(rng)];
                corpus.push_back(
                    edit(rng, original, std::uniform_int_distribution<int>(0, 3)(rng)));
            } else if (i >= 10 && i % 7 == 0) {
                // Heavily edited: well below 0.8.
                corpus.push_back(edit(rng, corpus[size_t(i) - 5], 60));
            } else {
                corpus.push_back(strata::cleaning::test::prose(rng, 300));
            }
        }
        std::vector<std::vector<uint32_t>> signatures;
        for (const std::string& text : corpus)
            signatures.push_back(signatureOf(hasher, text));

        std::vector<bool> expected = findNearDuplicatesBruteForce(signatures, options.threshold);
        NearDuplicateIndex index(options);
        std::vector<bool> actual;
        for (const auto& signature : signatures)
            actual.push_back(index.isDuplicateElseInsert(signature.data()));
        QCOMPARE(actual, expected);
        size_t duplicates = size_t(std::count(expected.begin(), expected.end(), true));
        QVERIFY2(duplicates >= 40 && duplicates <= 50, qPrintable(QString::number(duplicates)));
        QCOMPARE(index.size(), corpus.size() - duplicates);
    }

    void signaturesEstimateJaccard() {
        std::mt19937 rng(9);
        MinHasher hasher(MinHashOptions{});
        for (int edits : {2, 10, 30, 80}) {
            std::string a = strata::cleaning::test::prose(rng, 400);
            std::string b = edit(rng, a, edits);
            double truth = trueJaccard(hasher, a, b);
            double estimate = estimatedJaccard(signatureOf(hasher, a).data(),
                                               signatureOf(hasher, b).data(), hasher.numHashes());
            // 128 hashes: standard error at most 0.045; allow three of them.
            QVERIFY2(
                std::abs(truth - estimate) < 0.135,
                qPrintable(
                    QString("edits %1: true %2 estimated %3").arg(edits).arg(truth).arg(estimate)));
        }
    }

    void seedMakesSignaturesReproducible() {
        MinHashOptions options;
        std::string text = "one two three four five six seven eight";
        QCOMPARE(signatureOf(MinHasher(options), text), signatureOf(MinHasher(options), text));
        options.seed = 2;
        QVERIFY(signatureOf(MinHasher(options), text) !=
                signatureOf(MinHasher(MinHashOptions{}), text));
    }

    void cjkTextUsesCharacterShingles() {
        // 12 Han characters are 12 words: 8 shingles of 5 characters.
        std::string han;
        for (char32_t cp = 0x4E00; cp < 0x4E0C; ++cp) {
            han += char(0xE0 | (cp >> 12));
            han += char(0x80 | ((cp >> 6) & 0x3F));
            han += char(0x80 | (cp & 0x3F));
        }
        TextProfile profile;
        profile.build(han);
        std::vector<uint64_t> shingles;
        MinHasher(MinHashOptions{}).shingleHashes(profile, shingles);
        QCOMPARE(shingles.size(), size_t(8));
    }

    void shortDocumentsAreOneShingle() {
        TextProfile profile;
        profile.build("just three words");
        std::vector<uint64_t> shingles;
        MinHasher(MinHashOptions{}).shingleHashes(profile, shingles);
        QCOMPARE(shingles.size(), size_t(1));
    }
};

QTEST_APPLESS_MAIN(TestMinhashDedup)
#include "tst_minhash_dedup.moc"
