// strata-cli logprobs as a user runs it: the JSON line holds the ids and, after a null for the
// first token, the log-probabilities the model computes in-process (core/model/
// next_token_logprobs.h); --text scores what the tokenizer encodes; bad requests are one-line
// errors.
#include "cli_runner.h"
#include "core/model/model_folder.h"
#include "core/model/next_token_logprobs.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/tokenizer_json.h"

#include <torch/torch.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
namespace fs = std::filesystem;

class TestCliLogprobs : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_model;

    // The JSON line of `logprobs --json` for `args`, checked to succeed.
    QJsonObject scored(QStringList args) {
        CliRun run = runCli(QStringList{"logprobs", "--checkpoint", m_model, "--json"} + args);
        if (run.exitCode != 0) qWarning("%s", qPrintable(run.err));
        return QJsonDocument::fromJson(run.out.toUtf8()).object();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        fs::path folder = fs::path(m_dir.path().toStdString()) / "model";
        fs::create_directories(folder);
        tokenizer::TrainerConfig trainerConfig;
        trainerConfig.vocabSize = 300;
        trainerConfig.minFrequency = 1;
        tokenizer::BpeTrainer trainer(trainerConfig);
        std::vector<std::string_view> documents{"the cat sat on the mat", "the dog sat on the log"};
        trainer.addDocuments(documents);
        tokenizer::saveTokenizerJson(trainer.train(), folder / "trained-tokenizer.json");
        model_spec::ModelConfig config{.vocabSize = 300,
                                       .dModel = 32,
                                       .numLayers = 2,
                                       .contextLength = 32,
                                       .numDenseLayers = 2,
                                       .attention = {.numHeads = 4, .numKvHeads = 2}};
        torch::manual_seed(3);
        model::Transformer model(config);
        model::writeModelFiles(folder, config, model, folder / "trained-tokenizer.json");
        m_model = QString::fromStdString(folder.string());
    }

    void jsonLineHoldsTheModelsLogProbs() {
        QJsonObject line = scored({"--ids", "5 17,42 9 120"});
        QCOMPARE(line["ids"].toArray(), (QJsonArray{5, 17, 42, 9, 120}));
        QJsonArray logProbs = line["logprobs"].toArray();
        QCOMPARE(logProbs.size(), 5);
        QVERIFY(logProbs[0].isNull());

        model::LoadedModel loaded = model::loadModelFolder(m_model.toStdString());
        loaded.model->eval();
        torch::Tensor expected = model::nextTokenLogProbs(
            loaded.model, torch::tensor({5, 17, 42, 9, 120}).view({1, -1}));
        for (int t = 1; t < 5; ++t)
            QVERIFY(std::abs(logProbs[t].toDouble() - expected[0][t - 1].item<double>()) < 1e-6);
    }

    void textIsScoredAsTheTokenizerEncodesIt() {
        tokenizer::Tokenizer tokenizer =
            tokenizer::loadTokenizer(m_model.toStdString() + "/tokenizer.json");
        QJsonArray ids;
        for (tokenizer::TokenId id : tokenizer.encode("the cat sat on the log"))
            ids.append(int(id));
        QJsonObject line = scored({"--text", "the cat sat on the log"});
        QCOMPARE(line["ids"].toArray(), ids);
        QCOMPARE(line["logprobs"].toArray().size(), ids.size());
    }

    void refusesBadRequests_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("neither") << QStringList{} << "give exactly one of --text and --ids";
        QTest::newRow("both") << QStringList{"--text", "a b", "--ids", "1 2"}
                              << "give exactly one of --text and --ids";
        QTest::newRow("outside") << QStringList{"--ids", "1 300"}
                                 << "--ids: 300 is not a token of the model (its vocabulary has "
                                    "300)";
        QTest::newRow("not ids") << QStringList{"--ids", "1 two"}
                                 << "--ids: '1 two' is not a list of token ids";
        QTest::newRow("one token")
            << QStringList{"--ids", "7"} << "1 tokens: at least 2 are needed to score one";
    }
    void refusesBadRequests() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        CliRun run = runCli(QStringList{"logprobs", "--checkpoint", m_model} + args);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.lastErrorLine(), "strata-cli logprobs: error: " + message);
    }
};

QTEST_GUILESS_MAIN(TestCliLogprobs)
#include "tst_cli_logprobs.moc"
