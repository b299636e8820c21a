// Hugging Face export and import (hf_config.h, hf_tensors.h, hf_folder.h). Exports of both
// layouts load in transformers (the pinned pytools python, through hf_logits.py) with no missing
// or unexpected tensor and give our logits to 1e-4 max-abs; imports give back the same tensors
// bit for bit, from our per-expert layout and from transformers' fused one, single or sharded;
// every setting a layout cannot express is refused by key, and every broken folder by file and
// key. The transformers comparison is skipped, saying why, when the python lacks torch or
// transformers; everything else runs without it.
#include "core/common/error.h"
#include "core/model/hf_folder.h"
#include "core/model/hf_tensors.h"
#include "core/model/model_folder.h"
#include "core/model_spec/model_shapes.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/tokenizer/test_text.h"
#include "tests/reference_python.h"

#include <torch/torch.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <functional>
#include <random>

using namespace strata;
using namespace strata::model;
namespace fs = std::filesystem;

namespace {

constexpr double kLogitTolerance = 1e-4;
constexpr int64_t kRows = 2, kTime = 40;
constexpr const char* kProbeText = "The quick brown fox, 1234 times: <|eos|> and more.";

// MLA with a query latent, a dense first layer, two shared experts and a trained selection bias.
model_spec::ModelConfig deepseekConfig(int vocabSize) {
    return {.vocabSize = vocabSize,
            .dModel = 64,
            .numLayers = 3,
            .contextLength = 64,
            .numDenseLayers = 1,
            .denseHiddenSize = 96,
            .attention = {.kind = model_spec::AttentionKind::Mla,
                          .numHeads = 4,
                          .qLoraRank = 32,
                          .kvLoraRank = 24,
                          .qkNopeHeadDim = 16,
                          .qkRopeHeadDim = 8,
                          .vHeadDim = 12},
            .moe = {.numRoutedExperts = 4,
                    .numSharedExperts = 2,
                    .topK = 2,
                    .expertHiddenSize = 32,
                    .scoring = model_spec::RouterScoring::Sigmoid,
                    .biasUpdateSpeed = 0.001}};
}

// MLA with direct queries, no dense layer, tied embeddings, another rotary base.
model_spec::ModelConfig deepseekTiedConfig(int vocabSize) {
    model_spec::ModelConfig c = deepseekConfig(vocabSize);
    c.numLayers = 2;
    c.numDenseLayers = 0;
    c.tiedEmbeddings = true;
    c.attention.qLoraRank = 0;
    c.attention.ropeBase = 5000;
    c.moe.numSharedExperts = 1;
    return c;
}

// GQA with fewer key/value heads than query heads and a sliding window shorter than the tokens.
model_spec::ModelConfig mixtralConfig(int vocabSize) {
    return {
        .vocabSize = vocabSize,
        .dModel = 64,
        .numLayers = 2,
        .contextLength = 64,
        .normEps = 1e-5,
        .numDenseLayers = 0,
        .attention = {.numHeads = 4, .numKvHeads = 2, .ropeBase = 1e6, .slidingWindow = 8},
        .moe = {.numRoutedExperts = 4, .numSharedExperts = 0, .topK = 2, .expertHiddenSize = 48}};
}

// GQA with one key/value head, a head size other than d_model / heads, tied embeddings.
model_spec::ModelConfig mixtralTiedConfig(int vocabSize) {
    model_spec::ModelConfig c = mixtralConfig(vocabSize);
    c.tiedEmbeddings = true;
    c.attention.numKvHeads = 1;
    c.attention.headDim = 24;
    c.attention.slidingWindow = 0;
    c.moe.topK = 1;
    return c;
}

// Weights of unit scale (the N(0, 0.02) start would make every logit nearly 0 and a comparison
// at 1e-4 meaningless), norms away from 1, and a selection bias that changes choices.
void randomize(Transformer& model, uint64_t seed, bool routerBias) {
    torch::manual_seed(seed);
    torch::NoGradGuard noGrad;
    for (auto& item : model->named_parameters()) {
        torch::Tensor& tensor = item.value();
        if (item.key().find("norm") != std::string::npos)
            tensor.copy_(1 + 0.2 * torch::randn_like(tensor));
        else
            tensor.copy_(torch::randn_like(tensor) / std::sqrt(double(tensor.size(-1))));
    }
    for (auto& item : model->named_buffers())
        if (item.key().ends_with("router.bias"))
            item.value().copy_(routerBias ? 0.2 * torch::randn_like(item.value())
                                          : torch::zeros_like(item.value()));
}

std::string errorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const common::Error& error) {
        return error.what();
    }
    return "(no error)";
}

// Everything of a config that the model computes with, sizes resolved: what an import must
// give back (the keys of training only are not part of a Hugging Face folder).
std::string architectureText(model_spec::ModelConfig c) {
    const model_spec::ModelConfig defaults;
    c.family = defaults.family;  // an import is of the family it was exported as
    c.moe.auxLossCoef = defaults.moe.auxLossCoef;
    c.moe.biasUpdateSpeed = defaults.moe.biasUpdateSpeed;
    c.moe.capacityFactor = defaults.moe.capacityFactor;
    c.moe.zLossCoef = defaults.moe.zLossCoef;
    c.moe.expertHiddenSize = c.resolvedExpertHiddenSize();
    c.denseHiddenSize = c.resolvedDenseHiddenSize();
    model_spec::AttentionConfig& a = c.attention;
    if (a.kind == model_spec::AttentionKind::Mla) {
        a.numKvHeads = a.numHeads;
        a.headDim = 0;
    } else {
        a.headDim = c.resolvedHeadDim();
        a.qLoraRank = defaults.attention.qLoraRank;
        a.kvLoraRank = defaults.attention.kvLoraRank;
        a.qkNopeHeadDim = defaults.attention.qkNopeHeadDim;
        a.qkRopeHeadDim = defaults.attention.qkRopeHeadDim;
        a.vHeadDim = defaults.attention.vHeadDim;
    }
    if (c.numDenseLayers == c.numLayers) c.moe = defaults.moe;
    return model_spec::modelConfigText(c);
}

std::map<std::string, torch::Tensor> weightsOf(const fs::path& folder) {
    return loadSafetensors(folder / kModelWeightsFile).tensors;
}

void compareTensors(const std::map<std::string, torch::Tensor>& actual,
                    const std::map<std::string, torch::Tensor>& expected) {
    QCOMPARE(actual.size(), expected.size());
    for (const auto& [name, tensor] : expected) {
        auto found = actual.find(name);
        QVERIFY2(found != actual.end(), name.c_str());
        QVERIFY2(found->second.scalar_type() == tensor.scalar_type(), name.c_str());
        QVERIFY2(torch::equal(found->second, tensor), name.c_str());
    }
}

QJsonObject readJson(const fs::path& path) {
    QFile file(QString::fromStdString(path.string()));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

void writeBytes(const fs::path& path, const QByteArray& bytes) {
    QFile file(QString::fromStdString(path.string()));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

// A Hugging Face folder with `hf`'s config.json and tokenizer and the given tensors.
void writeHfFolder(const fs::path& folder, const fs::path& from,
                   const std::map<std::string, torch::Tensor>& tensors) {
    fs::create_directories(folder);
    fs::copy_file(from / kHfConfigFile, folder / kHfConfigFile,
                  fs::copy_options::overwrite_existing);
    fs::copy_file(from / kTokenizerFile, folder / kTokenizerFile,
                  fs::copy_options::overwrite_existing);
    saveSafetensors(folder / kHfWeightsFile, NamedTensors(tensors.begin(), tensors.end()));
}

torch::Tensor readLogits(const QString& path, int64_t vocabSize) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QByteArray bytes = file.readAll();
    if (bytes.size() != qsizetype(kRows * kTime * vocabSize * 4)) return {};
    return torch::from_blob(bytes.data(), {kRows, kTime, vocabSize}, torch::kFloat32).clone();
}

}  // namespace

class TestHfFormat : public QObject {
    Q_OBJECT

    struct Case {
        const char* name;
        model_spec::ModelConfig config;
        bool routerBias;
        model_spec::ModelFamily architecture;
    };

    QTemporaryDir m_dir;
    fs::path m_tokenizerPath;
    std::unique_ptr<tokenizer::Tokenizer> m_tokenizer;
    model_spec::HfSpecialTokens m_specialTokens;
    std::vector<Case> m_cases;

    fs::path path(const std::string& name) const {
        return fs::path(m_dir.path().toStdString()) / name;
    }

    // The model folder of a case (written once) and its export.
    fs::path modelFolder(const Case& c) {
        fs::path folder = path(std::string(c.name) + "-model");
        if (fs::exists(folder)) return folder;
        Transformer model(c.config);
        randomize(model, std::hash<std::string>{}(c.name), c.routerBias);
        fs::create_directories(folder);
        writeModelFiles(folder, c.config, model, m_tokenizerPath);
        return folder;
    }
    fs::path exported(const Case& c) {
        fs::path folder = path(std::string(c.name) + "-hf");
        if (!fs::exists(folder)) {
            model_spec::ModelFamily architecture =
                exportHfFolder(modelFolder(c), folder, m_specialTokens);
            if (architecture != c.architecture) return {};
        }
        return folder;
    }

    std::vector<std::vector<int64_t>> randomTokens(int vocabSize) const {
        std::mt19937 rng(20240611);
        std::uniform_int_distribution<int> token(0, vocabSize - 1);
        std::vector<std::vector<int64_t>> rows(kRows, std::vector<int64_t>(kTime));
        for (auto& row : rows)
            for (int64_t& id : row)
                id = token(rng);
        return rows;
    }

    // Runs hf_logits.py; the exit code, and stderr.
    std::pair<int, QString> runPython(const QStringList& arguments) const {
        QProcess process;
        process.setProcessEnvironment(test::referencePythonEnvironment(STRATA_TORCH_SITE_PACKAGES));
        process.start(STRATA_PYTOOLS_PYTHON, QStringList{HF_LOGITS_SCRIPT} + arguments);
        if (!process.waitForFinished(240000)) return {-1, "hf_logits.py did not finish"};
        int code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        return {code, QString::fromUtf8(process.readAllStandardError()).trimmed()};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        std::vector<std::string> corpus = tokenizer::test::fixtureCorpus();
        std::vector<std::string_view> views(corpus.begin(), corpus.end());
        tokenizer::TrainerConfig trainerConfig;
        trainerConfig.vocabSize = 320;
        tokenizer::BpeTrainer trainer(trainerConfig);
        trainer.addDocuments(views);
        m_tokenizerPath = path("tokenizer.json");
        tokenizer::saveTokenizerJson(trainer.train(), m_tokenizerPath);
        m_tokenizer =
            std::make_unique<tokenizer::Tokenizer>(tokenizer::readTokenizerJson(m_tokenizerPath));
        auto special = [&](const char* content) -> std::optional<model_spec::HfSpecialToken> {
            std::optional<tokenizer::TokenId> id = m_tokenizer->findAddedToken(content);
            if (!id) return std::nullopt;
            return model_spec::HfSpecialToken{int64_t(*id), content};
        };
        m_specialTokens = {special("<|bos|>"), special("<|eos|>"), special("<|pad|>")};
        QVERIFY(m_specialTokens.eos.has_value());

        int vocab = int(m_tokenizer->vocabSize());
        m_cases = {
            {"deepseek", deepseekConfig(vocab), true, model_spec::ModelFamily::DeepseekV3},
            {"deepseek-tied", deepseekTiedConfig(vocab), true, model_spec::ModelFamily::DeepseekV3},
            {"mixtral", mixtralConfig(vocab), false, model_spec::ModelFamily::Mixtral},
            {"mixtral-tied", mixtralTiedConfig(vocab), false, model_spec::ModelFamily::Mixtral},
        };
    }

    void exportsRunInTransformersWithOurLogits() {
        if (std::string_view(STRATA_PYTOOLS_PYTHON).empty())
            QSKIP(
                "STRATA_PYTOOLS_PYTHON is empty: run scripts/bootstrap (make bootstrap) and "
                "configure with -DSTRATA_PYTOOLS_PYTHON=<its python>");
        auto [ready, why] = runPython({"check"});
        if (ready != 0)
            QSKIP(qPrintable("the pytools python cannot run transformers models: " + why));

        int vocab = int(m_tokenizer->vocabSize());
        std::vector<std::vector<int64_t>> rows = randomTokens(vocab);
        QJsonArray tokenRows;
        for (const auto& row : rows) {
            QJsonArray ids;
            for (int64_t id : row)
                ids.append(qint64(id));
            tokenRows.append(ids);
        }
        writeBytes(path("tokens.json"), QJsonDocument(tokenRows).toJson(QJsonDocument::Compact));
        torch::Tensor tokens_BT = torch::empty({kRows, kTime}, torch::kLong);
        for (int64_t b = 0; b < kRows; ++b)
            for (int64_t t = 0; t < kTime; ++t)
                tokens_BT[b][t] = rows[b][t];

        QStringList arguments{"run", QString::fromStdString(path("tokens.json").string()),
                              kProbeText};
        for (const Case& c : m_cases) {
            fs::path folder = exported(c);
            QVERIFY2(!folder.empty(), c.name);
            arguments << QString::fromStdString(folder.string())
                      << QString::fromStdString(path(std::string(c.name) + ".logits").string());
        }
        auto [code, errors] = runPython(arguments);
        QVERIFY2(code == 0, qPrintable(errors));

        std::vector<tokenizer::TokenId> probeIds =
            m_tokenizer->encode(kProbeText, tokenizer::SpecialPolicy::all());
        QStringList probe;
        for (tokenizer::TokenId id : probeIds)
            probe << QString::number(id);
        for (const Case& c : m_cases) {
            LoadedModel ours = loadModelFolder(modelFolder(c));
            torch::NoGradGuard noGrad;
            torch::Tensor logits_BTV = ours.model->forward(tokens_BT).logits_BTV;
            QString logitsPath = QString::fromStdString(path(std::string(c.name) + ".logits"));
            torch::Tensor theirs_BTV = readLogits(logitsPath, vocab);
            QVERIFY2(theirs_BTV.defined(), c.name);
            double difference = (logits_BTV - theirs_BTV).abs().max().item<double>();
            double scale = logits_BTV.abs().max().item<double>();
            qInfo("%s: logits up to %.3g, max difference %.3g", c.name, scale, difference);
            QVERIFY2(scale > 0.5, c.name);  // the comparison means something
            QVERIFY2(difference < kLogitTolerance, c.name);

            QFile idsFile(logitsPath + ".ids");
            QVERIFY(idsFile.open(QIODevice::ReadOnly));
            QCOMPARE(QString::fromUtf8(idsFile.readAll()).trimmed(), probe.join(' '));
        }
    }

    void importGivesBackTheSameModel() {
        for (const Case& c : m_cases) {
            fs::path back = path(std::string(c.name) + "-back");
            model_spec::HfModelConfig hf = importHfFolder(exported(c), back);
            QCOMPARE(hf.config.family, c.architecture);
            QCOMPARE(architectureText(hf.config), architectureText(c.config));
            compareTensors(weightsOf(back), weightsOf(modelFolder(c)));
            // Exporting the import again writes the same files.
            fs::path again = path(std::string(c.name) + "-again");
            QCOMPARE(exportHfFolder(back, again, m_specialTokens), c.architecture);
            compareTensors(loadSafetensors(again / kHfWeightsFile).tensors,
                           loadSafetensors(exported(c) / kHfWeightsFile).tensors);
            QCOMPARE(readJson(again / kHfConfigFile), readJson(exported(c) / kHfConfigFile));
        }
    }

    void deepseekStoresRotaryRowsInterleaved() {
        const Case& c = m_cases[1];  // direct queries: q_proj
        const model_spec::AttentionConfig& a = c.config.attention;
        std::map<std::string, torch::Tensor> ours = weightsOf(modelFolder(c));
        std::map<std::string, torch::Tensor> hf =
            loadSafetensors(exported(c) / kHfWeightsFile).tensors;
        int64_t nope = a.qkNopeHeadDim, half = a.qkRopeHeadDim / 2, period = nope + 2 * half;
        torch::Tensor query = ours["block0.attention.wq.weight"];
        torch::Tensor hfQuery = hf["model.layers.0.self_attn.q_proj.weight"];
        torch::Tensor kv = ours["block0.attention.kv_a.weight"];
        torch::Tensor hfKv = hf["model.layers.0.self_attn.kv_a_proj_with_mqa.weight"];
        for (int64_t head = 0; head < a.numHeads; ++head) {
            int64_t base = head * period;
            QVERIFY(torch::equal(hfQuery.narrow(0, base, nope), query.narrow(0, base, nope)));
            for (int64_t i = 0; i < half; ++i) {
                QVERIFY(torch::equal(hfQuery[base + nope + 2 * i], query[base + nope + i]));
                QVERIFY(
                    torch::equal(hfQuery[base + nope + 2 * i + 1], query[base + nope + half + i]));
            }
        }
        int64_t rank = a.kvLoraRank;
        QVERIFY(torch::equal(hfKv.narrow(0, 0, rank), kv.narrow(0, 0, rank)));
        for (int64_t i = 0; i < half; ++i) {
            QVERIFY(torch::equal(hfKv[rank + 2 * i], kv[rank + i]));
            QVERIFY(torch::equal(hfKv[rank + 2 * i + 1], kv[rank + half + i]));
        }
        // The other tensors are moved, not changed; experts are split per expert.
        QVERIFY(torch::equal(hf["model.layers.1.mlp.experts.3.down_proj.weight"],
                             ours["block1.moe.experts.down"][3]));
        QVERIFY(torch::equal(hf["model.layers.1.mlp.gate.e_score_correction_bias"],
                             ours["block1.moe.router.bias"]));
        QVERIFY(!hf.contains("lm_head.weight"));  // tied
    }

    // transformers 5 keeps experts fused in memory (and Mixtral's block under "mlp."); folders
    // may also be sharded, and DeepSeek's carry multi-token-prediction layers Strata skips.
    void importTakesFusedShardedFolders() {
        for (const Case& c : {m_cases[0], m_cases[2]}) {
            bool deepseek = c.architecture == model_spec::ModelFamily::DeepseekV3;
            std::map<std::string, torch::Tensor> tensors =
                loadSafetensors(exported(c) / kHfWeightsFile).tensors;
            const char* gateName = deepseek ? "gate_proj" : "w1";
            const char* upName = deepseek ? "up_proj" : "w3";
            const char* downName = deepseek ? "down_proj" : "w2";
            const char* block = deepseek ? ".mlp." : ".block_sparse_moe.";
            for (int layer = c.config.numDenseLayers; layer < c.config.numLayers; ++layer) {
                std::string prefix = "model.layers." + std::to_string(layer) + block;
                std::vector<torch::Tensor> gateUp, down;
                for (int e = 0; e < c.config.moe.numRoutedExperts; ++e) {
                    std::string expert = prefix + "experts." + std::to_string(e) + ".";
                    gateUp.push_back(torch::cat({tensors.at(expert + gateName + ".weight"),
                                                 tensors.at(expert + upName + ".weight")}));
                    down.push_back(tensors.at(expert + downName + ".weight"));
                    for (const char* name : {gateName, upName, downName})
                        tensors.erase(expert + name + ".weight");
                }
                std::string fused = "model.layers." + std::to_string(layer) + ".mlp.experts.";
                tensors[fused + "gate_up_proj"] = torch::stack(gateUp);
                tensors[fused + "down_proj"] = torch::stack(down);
                if (!deepseek) {
                    tensors["model.layers." + std::to_string(layer) + ".mlp.gate.weight"] =
                        tensors.at(prefix + "gate.weight");
                    tensors.erase(prefix + "gate.weight");
                }
            }
            fs::path folder = path(std::string(c.name) + "-fused");
            fs::create_directories(folder);
            QJsonObject config = readJson(exported(c) / kHfConfigFile);
            if (deepseek) {
                config["num_nextn_predict_layers"] = 1;
                std::string mtp = "model.layers." + std::to_string(c.config.numLayers) + ".";
                tensors[mtp + "eh_proj.weight"] = torch::ones({4, 4});
                tensors[mtp + "shared_head.norm.weight"] = torch::ones({4});
            }
            writeBytes(folder / kHfConfigFile, QJsonDocument(config).toJson());
            fs::copy_file(exported(c) / kTokenizerFile, folder / kTokenizerFile);
            // Two shards, tensors alternating between them, and the index that says where.
            NamedTensors shards[2];
            QJsonObject weightMap;
            int i = 0;
            for (const auto& [name, tensor] : tensors) {
                int shard = i++ % 2;
                shards[shard].emplace_back(name, tensor);
                weightMap[QString::fromStdString(name)] =
                    QString("model-0000%1-of-00002.safetensors").arg(shard + 1);
            }
            saveSafetensors(folder / "model-00001-of-00002.safetensors", shards[0]);
            saveSafetensors(folder / "model-00002-of-00002.safetensors", shards[1]);
            writeBytes(
                folder / kHfWeightsIndexFile,
                QJsonDocument(QJsonObject{{"metadata", QJsonObject{}}, {"weight_map", weightMap}})
                    .toJson());

            fs::path back = path(std::string(c.name) + "-from-fused");
            importHfFolder(folder, back);
            compareTensors(weightsOf(back), weightsOf(modelFolder(c)));

            // The index must say where each tensor is.
            weightMap[weightMap.keys().first()] = "model-00002-of-00002.safetensors";
            writeBytes(folder / kHfWeightsIndexFile,
                       QJsonDocument(QJsonObject{{"weight_map", weightMap}}).toJson());
            std::string error = errorOf([&] { importHfFolder(folder, path("unused")); });
            QVERIFY2(error.find("is not where model.safetensors.index.json puts it") !=
                         std::string::npos,
                     error.c_str());
            weightMap[weightMap.keys().first()] = "../elsewhere.safetensors";
            writeBytes(folder / kHfWeightsIndexFile,
                       QJsonDocument(QJsonObject{{"weight_map", weightMap}}).toJson());
            error = errorOf([&] { importHfFolder(folder, path("unused")); });
            QVERIFY2(error.find("which is not a file name") != std::string::npos, error.c_str());
            QVERIFY(!fs::exists(path("unused")));
        }
    }

    void refusesWhatALayoutCannotExpress_data() {
        QTest::addColumn<int>("base");  // 0: DeepseekV3 case, 2: Mixtral case
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("message");
        QTest::newRow("window") << 0 << "sliding_window"
                                << "model.attention.sliding_window = 16 has no DeepseekV3 "
                                   "equivalent: DeepseekV3 attends to every earlier token";
        QTest::newRow("eps") << 0 << "norm_eps"
                             << "model.norm_eps = 1e-05 has no DeepseekV3 equivalent";
        QTest::newRow("softmax") << 0 << "scoring"
                                 << "model.moe.scoring = \"softmax\" has no DeepseekV3 equivalent";
        QTest::newRow("no shared") << 0 << "shared"
                                   << "model.moe.num_shared_experts = 0 has no DeepseekV3 "
                                      "equivalent";
        QTest::newRow("capacity") << 0 << "capacity"
                                  << "model.moe.capacity_factor = 1.5 has no Hugging Face "
                                     "equivalent";
        QTest::newRow("dense") << 2 << "dense"
                               << "model.num_dense_layers = 1 has no Mixtral equivalent";
        QTest::newRow("shared") << 2 << "shared"
                                << "model.moe.num_shared_experts = 1 has no Mixtral equivalent";
        QTest::newRow("sigmoid") << 2 << "scoring"
                                 << "model.moe.scoring = \"sigmoid\" has no Mixtral equivalent";
        QTest::newRow("capacity") << 2 << "capacity"
                                  << "model.moe.capacity_factor = 1.5 has no Hugging Face "
                                     "equivalent";
    }
    void refusesWhatALayoutCannotExpress() {
        QFETCH(int, base);
        QFETCH(QString, change);
        QFETCH(QString, message);
        model_spec::ModelConfig c = m_cases[base].config;
        bool deepseek = base == 0;
        if (change == "sliding_window") c.attention.slidingWindow = 16;
        if (change == "norm_eps") c.normEps = 1e-5;
        if (change == "scoring")
            c.moe.scoring =
                deepseek ? model_spec::RouterScoring::Softmax : model_spec::RouterScoring::Sigmoid;
        if (change == "shared") c.moe.numSharedExperts = deepseek ? 0 : 1;
        if (change == "capacity") c.moe.capacityFactor = 1.5;
        if (change == "dense") c.numDenseLayers = 1;
        std::string error =
            errorOf([&] { model_spec::chooseHfArchitecture(c, "ckpt/model.toml"); });
        QVERIFY2(error.starts_with("ckpt/model.toml: " + message.toStdString()), error.c_str());
        QVERIFY(error.find('\n') == std::string::npos);
    }

    void refusesATrainedBiasForMixtral() {
        const Case& c = m_cases[2];
        Transformer model(c.config);
        randomize(model, 5, /*routerBias=*/true);
        std::string error =
            errorOf([&] { toHfTensors(c.config, c.architecture, modelState(model)); });
        QVERIFY2(error.starts_with("tensor 'block0.moe.router.bias' is not zero, and Mixtral's "
                                   "router has no selection bias"),
                 error.c_str());
    }

    void refusesConfigsStrataCannotHold_data() {
        QTest::addColumn<int>("base");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");  // JSON; empty: remove the key
        QTest::addColumn<QString>("message");
        QTest::newRow("missing size") << 0 << "hidden_size"
                                      << ""
                                      << "config.json: key 'hidden_size' is missing";
        QTest::newRow("string size") << 0 << "hidden_size"
                                     << "\"wide\""
                                     << "config.json: key 'hidden_size' must be a positive integer";
        QTest::newRow("negative") << 2 << "num_local_experts"
                                  << "-4"
                                  << "config.json: key 'num_local_experts' must be a positive "
                                     "integer";
        QTest::newRow("other model") << 2 << "model_type"
                                     << "\"gpt2\""
                                     << "config.json: key 'model_type' is \"gpt2\"; Strata "
                                        "imports llama, mistral, qwen2, qwen3, qwen3_moe, "
                                        "mixtral, deepseek_v3";
        QTest::newRow("dynamic") << 0 << "rope_parameters"
                                 << R"({"rope_type": "dynamic", "rope_theta": 10000.0})"
                                 << "config.json: key 'rope_parameters.rope_type' is \"dynamic\"";
        QTest::newRow("partial rotary") << 2 << "partial_rotary_factor"
                                        << "0.5"
                                        << "config.json: key 'partial_rotary_factor': rotating "
                                           "part of each head";
        QTest::newRow("groups") << 0 << "n_group"
                                << "3"
                                << "model.moe.num_groups";
        QTest::newRow("eps") << 0 << "rms_norm_eps"
                             << "1e-5"
                             << "config.json: key 'rms_norm_eps' is 1e-05";
        QTest::newRow("gelu") << 2 << "hidden_act"
                              << "\"gelu\""
                              << "config.json: key 'hidden_act' is \"gelu\"";
        QTest::newRow("bias") << 0 << "attention_bias"
                              << "true"
                              << "config.json: key 'attention_bias' is true";
        QTest::newRow("quantized") << 0 << "quantization_config"
                                   << R"({"quant_method": "fp8"})"
                                   << "config.json: key 'quantization_config': quantized";
        QTest::newRow("heads") << 2 << "num_key_value_heads"
                               << "3"
                               << "model.attention.num_kv_heads";
        QTest::newRow("top-k") << 2 << "num_experts_per_tok"
                               << "9"
                               << "model.moe.top_k";
        QTest::newRow("huge vocabulary") << 0 << "vocab_size"
                                         << "20000000"
                                         << "key 'model.vocab_size' must be between 2 and "
                                            "4194304";
    }
    void refusesConfigsStrataCannotHold() {
        QFETCH(int, base);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, message);
        QJsonObject config = readJson(exported(m_cases[base]) / kHfConfigFile);
        if (value.isEmpty())
            config.remove(key);
        else
            config[key] = QJsonDocument::fromJson("[" + value.toUtf8() + "]").array()[0];
        fs::path folder = path("config-row");
        fs::create_directories(folder);
        writeBytes(folder / kHfConfigFile, QJsonDocument(config).toJson());
        std::string error = errorOf([&] { model_spec::readHfConfig(folder / kHfConfigFile); });
        QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
        QVERIFY2(error.starts_with(folder.string()), error.c_str());
        QVERIFY(error.find('\n') == std::string::npos);
    }

    void refusesBrokenConfigJson() {
        fs::path folder = path("broken");
        fs::create_directories(folder);
        writeBytes(folder / kHfConfigFile, "{\"model_type\": \"mixtral\", ");
        std::string error = errorOf([&] { model_spec::readHfConfig(folder / kHfConfigFile); });
        QVERIFY2(error.starts_with((folder / kHfConfigFile).string() + ": not valid JSON"),
                 error.c_str());
        writeBytes(folder / kHfConfigFile, "[1, 2]");
        error = errorOf([&] { model_spec::readHfConfig(folder / kHfConfigFile); });
        QVERIFY2(error.ends_with("config.json: not a JSON object"), error.c_str());
        error = errorOf([&] { model_spec::readHfConfig(path("nowhere") / kHfConfigFile); });
        QVERIFY2(error.find("no such file") != std::string::npos, error.c_str());
    }

    void refusesTensorsThatDoNotFit() {
        const Case& deepseek = m_cases[1];  // tied
        fs::path source = exported(deepseek);
        std::map<std::string, torch::Tensor> good =
            loadSafetensors(source / kHfWeightsFile).tensors;
        auto importError = [&](std::map<std::string, torch::Tensor> tensors) {
            fs::path folder = path("tensors");
            writeHfFolder(folder, source, tensors);
            return errorOf([&] { importHfFolder(folder, path("tensors-out")); });
        };
        auto missing = good;
        missing.erase("model.layers.1.self_attn.kv_b_proj.weight");
        std::string error = importError(missing);
        QVERIFY2(error.ends_with("tensor 'model.layers.1.self_attn.kv_b_proj.weight' is missing"),
                 error.c_str());

        auto reshaped = good;
        reshaped["model.norm.weight"] = torch::ones({65});
        error = importError(reshaped);
        QVERIFY2(error.ends_with("tensor 'model.norm.weight' has shape [65], config.json implies "
                                 "[64]"),
                 error.c_str());

        auto extra = good;
        extra["model.layers.0.self_attn.o_proj.bias"] = torch::zeros({64});
        error = importError(extra);
        QVERIFY2(error.ends_with("tensor 'model.layers.0.self_attn.o_proj.bias' has no place in "
                                 "a DeepseekV3ForCausalLM of this config.json"),
                 error.c_str());

        auto untied = good;
        untied["lm_head.weight"] = torch::zeros_like(good["model.embed_tokens.weight"]);
        error = importError(untied);
        QVERIFY2(error.find("'lm_head.weight' differs from the embedding") != std::string::npos,
                 error.c_str());
        // A copy of the embedding, as some tools save tied models, is fine.
        auto copied = good;
        copied["lm_head.weight"] = good["model.embed_tokens.weight"].clone();
        error = importError(copied);
        QVERIFY2(error == "(no error)", error.c_str());
    }

    void tensorShapesComeFromTheConfigAlone() {
        for (const Case& c : m_cases) {
            Transformer model(c.config);
            using ShapeMap = std::map<std::string, std::vector<int64_t>>;
            ShapeMap built;
            for (const auto& [name, tensor] : modelState(model))
                built[name] = tensor.sizes().vec();
            model_spec::TensorShapes shapes = model_spec::modelTensorShapes(c.config);
            QCOMPARE(ShapeMap(shapes.begin(), shapes.end()), built);
        }
    }

    void configAndTensorsAreComparedBeforeTheModelIsBuilt() {
        // A config.json that would make a model of a terabyte: refused by the tensors' headers
        // before any of it is allocated.
        fs::path folder = path("too-big");
        fs::create_directories(folder);
        for (const char* file : {kHfWeightsFile, kTokenizerFile})
            fs::copy_file(exported(m_cases[1]) / file, folder / file,
                          fs::copy_options::overwrite_existing);
        QJsonObject config = readJson(exported(m_cases[1]) / kHfConfigFile);
        config["vocab_size"] = 4000000;
        config["hidden_size"] = 65536;
        writeBytes(folder / kHfConfigFile, QJsonDocument(config).toJson());
        std::string error = errorOf([&] { importHfFolder(folder, path("too-big-out")); });
        QVERIFY2(error.find("tensor 'model.embed_tokens.weight' has shape") != std::string::npos &&
                     error.ends_with("config.json implies [4000000, 65536]"),
                 error.c_str());
        QVERIFY(!fs::exists(path("too-big-out")));
    }

    void neverReplacesAFolderOfAnotherKind() {
        fs::path other = path("precious");
        fs::create_directories(other);
        writeBytes(other / "notes.txt", "keep me");
        std::string error =
            errorOf([&] { exportHfFolder(modelFolder(m_cases[0]), other, m_specialTokens); });
        QVERIFY2(error.find("exists and is not a Hugging Face model folder") != std::string::npos,
                 error.c_str());
        error = errorOf([&] { importHfFolder(exported(m_cases[0]), other); });
        QVERIFY2(error.find("exists and is not a Strata model folder") != std::string::npos,
                 error.c_str());
        error = errorOf([&] {
            exportHfFolder(modelFolder(m_cases[0]), modelFolder(m_cases[0]), m_specialTokens);
        });
        QVERIFY2(error.find("must differ from the input") != std::string::npos, error.c_str());
        QVERIFY(fs::exists(other / "notes.txt"));
        // An earlier export is replaced.
        QCOMPARE(exportHfFolder(modelFolder(m_cases[2]), exported(m_cases[2]), m_specialTokens),
                 model_spec::ModelFamily::Mixtral);
        QVERIFY(fs::exists(exported(m_cases[2]) / kHfWeightsFile));
    }
};

QTEST_APPLESS_MAIN(TestHfFormat)
#include "tst_hf_format.moc"
