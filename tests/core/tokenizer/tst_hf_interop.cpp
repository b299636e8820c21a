// Interop with Hugging Face tokenizers (the pinned pytools python, through hf_interop.py):
// a tokenizer trained and saved here encodes to the same ids there, and one trained and saved
// there loads here and encodes to the same ids. The test fails, not skips, without the python.
#include "core/common/json_writer.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/patterns.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/tokenizer/test_text.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
using namespace strata::tokenizer;

namespace {

std::vector<std::string> probeStrings() {
    std::vector<std::string> strings = test::fixtureCorpus();
    strings.resize(14);  // the hand-written lines
    strings.push_back("");
    strings.push_back("<|bos|>system prompt<|eos|><|user|>hi there<|assistant|>");
    strings.push_back("half <|eos and <|user|| are not special");
    strings.push_back("   spaces   and\n\n\nnewlines \r\n\t mixed \u00A0\u3000");
    strings.push_back(
        "Z\u0351\u0357"
        "a\u033E e\u0301\u0301 \u0301x");
    strings.push_back("👩🏽‍💻 🏳️‍🌈 ✌🏿 1️⃣");
    strings.push_back("It's we'VE they'LL ſ 'ſ 12345 3.14159 ⅫⅧ ²³");
    std::mt19937 rng(2718);
    for (int i = 0; i < 150; ++i)
        strings.push_back(test::randomText(rng, 1 + i % 60));
    return strings;
}

std::vector<std::vector<TokenId>> readIds(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    std::vector<std::vector<TokenId>> out;
    for (const QByteArray& line : file.readAll().split('\n')) {
        std::vector<TokenId> ids;
        for (const QByteArray& id : line.split(' '))
            if (!id.isEmpty()) ids.push_back(TokenId(id.toUInt()));
        out.push_back(ids);
    }
    out.pop_back();  // after the last newline
    return out;
}

}  // namespace

class TestHfInterop : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(std::string_view(STRATA_PYTOOLS_PYTHON).size() > 0,
                 "STRATA_PYTOOLS_PYTHON is empty: run scripts/bootstrap (make bootstrap) and "
                 "configure with -DSTRATA_PYTOOLS_PYTHON=<its python>");
        QVERIFY(m_dir.isValid());
        m_strings = probeStrings();
        test::writeJsonLines(path("strings.jsonl").toStdString(), m_strings);
    }

    void oursLoadsInHuggingFace() {
        std::vector<std::string> corpus = test::fixtureCorpus();
        std::vector<std::string_view> views(corpus.begin(), corpus.end());
        TrainerConfig config;
        config.vocabSize = 900;
        BpeTrainer trainer(config);
        trainer.addDocuments(views);
        TokenizerData data = trainer.train();
        saveTokenizerJson(data, path("ours.json").toStdString());
        Tokenizer ours(std::move(data));

        runPython({"encode", path("ours.json"), path("strings.jsonl"), path("ours-hf.ids")});
        compareWith(ours, readIds(path("ours-hf.ids")));
    }

    void huggingFaceLoadsHere() {
        test::writeJsonLines(path("corpus.jsonl").toStdString(), test::fixtureCorpus());
        runPython({"train", path("corpus.jsonl"), "900",
                   QString::fromUtf8(kCl100kPattern.data(), kCl100kPattern.size()),
                   path("hf.json")});
        runPython({"encode", path("hf.json"), path("strings.jsonl"), path("hf.ids")});
        Tokenizer theirs = loadTokenizer(path("hf.json").toStdString());
        QVERIFY(theirs.vocabSize() > 600);
        compareWith(theirs, readIds(path("hf.ids")));
    }

private:
    QString path(const char* name) const { return m_dir.filePath(name); }

    void runPython(const QStringList& arguments) {
        QProcess process;
        process.start(STRATA_PYTOOLS_PYTHON, QStringList{HF_INTEROP_SCRIPT} + arguments);
        QVERIFY2(process.waitForFinished(120000), "hf_interop.py did not finish");
        QByteArray errors = process.readAllStandardError();
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
                 errors.constData());
    }

    void compareWith(const Tokenizer& tokenizer,
                     const std::vector<std::vector<TokenId>>& expected) {
        QCOMPARE(expected.size(), m_strings.size());
        for (size_t i = 0; i < m_strings.size(); ++i) {
            std::vector<TokenId> ids = tokenizer.encode(m_strings[i], SpecialPolicy::all());
            if (ids != expected[i]) qWarning("string %zu differs: %s", i, m_strings[i].c_str());
            QCOMPARE(ids, expected[i]);
            QCOMPARE(tokenizer.decode(expected[i]), m_strings[i]);
        }
    }

    QTemporaryDir m_dir;
    std::vector<std::string> m_strings;
};

QTEST_APPLESS_MAIN(TestHfInterop)
#include "tst_hf_interop.moc"
