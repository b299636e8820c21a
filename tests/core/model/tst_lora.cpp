// LoRA adapters: with B at zero the model is unchanged, only the adapters train, the router and
// routed experts keep no adapter, the base gets no gradient and no optimizer state while the side
// path equals the merged weights, merging a saved adapter file gives the outputs of the adapted
// model, and a file that does not fit the model (a missing or unknown adapter, a scale that is not
// one number) is an error naming it.
#include "core/model/lora.h"
#include "core/model/safetensors.h"
#include "core/train/optimizer.h"
#include "tests/error_of.h"

#include <torch/torch.h>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata::model;

namespace {

strata::model_spec::ModelConfig tinyMlaModel() {
    return {
        .vocabSize = 64,
        .dModel = 32,
        .numLayers = 2,
        .contextLength = 16,
        .numDenseLayers = 1,
        .attention = {.kind = strata::model_spec::AttentionKind::Mla,
                      .numHeads = 4,
                      .qLoraRank = 8,
                      .kvLoraRank = 12,
                      .qkNopeHeadDim = 6,
                      .qkRopeHeadDim = 4,
                      .vHeadDim = 5},
        .moe = {.numRoutedExperts = 4, .numSharedExperts = 1, .topK = 2, .expertHiddenSize = 16}};
}

// A model and an exact copy of its weights.
std::pair<Transformer, Transformer> twins() {
    torch::manual_seed(1);
    Transformer a(tinyMlaModel()), b(tinyMlaModel());
    torch::NoGradGuard noGrad;
    auto from = a->named_parameters();
    for (auto& item : b->named_parameters())
        item.value().copy_(from[item.key()]);
    return {a, b};
}

NamedTensors adapterTensors(LoraAdapters& adapters) {
    NamedTensors tensors;
    for (const auto& item : adapters->named_parameters())
        tensors.emplace_back(item.key(), item.value().detach().clone());
    for (const auto& item : adapters->named_buffers())
        tensors.emplace_back(item.key(), item.value().clone());
    return tensors;
}

}  // namespace

class TestLora : public QObject {
    Q_OBJECT

private slots:
    void startsAsTheBaseModelAndOnlyAdaptersTrain() {
        auto [model, base] = twins();
        torch::Tensor tokens = torch::randint(64, {2, 10});
        LoraAdapters adapters(model, 4, 8.0);
        {
            auto scope = adapters->scope();
            QVERIFY(
                torch::equal(model->forward(tokens).logits_BTV, base->forward(tokens).logits_BTV));
        }
        for (const torch::Tensor& parameter : model->parameters())
            QVERIFY(!parameter.requires_grad());
        // Attention (q_a, q_b, kv_a, kv_b, wo), the dense FFN and the shared expert per layer;
        // never the router or the routed experts.
        std::set<std::string> adapted;
        for (const auto& item : adapters->named_parameters())
            adapted.insert(item.key().substr(0, item.key().rfind('.')));
        QVERIFY(adapted.count("block0__attention__q_a"));
        QVERIFY(adapted.count("block0__ffn__gate"));
        QVERIFY(adapted.count("block1__moe__shared__down"));
        for (const std::string& name : adapted)
            QVERIFY2(name.find("router") == std::string::npos, name.c_str());
        QCOMPARE(adapted.size(), size_t(2 * 5 + 2 * 3));

        {
            auto scope = adapters->scope();
            model->forward(tokens).logits_BTV.sum().backward();
        }
        int withGradient = 0;
        for (const auto& item : adapters->named_parameters())
            withGradient += item.value().grad().defined() ? 1 : 0;
        QCOMPARE(withGradient, int(adapters->parameters().size()));
    }

    void mergingTheSavedAdaptersGivesTheAdaptedModel() {
        auto [model, fresh] = twins();
        LoraAdapters adapters(model, 4, 8.0);
        {
            torch::NoGradGuard noGrad;
            for (torch::Tensor& parameter : adapters->parameters())
                parameter.normal_(0.0, 0.1);
        }
        torch::Tensor tokens = torch::randint(64, {2, 10});
        torch::Tensor adapted;
        {
            auto scope = adapters->scope();
            adapted = model->forward(tokens).logits_BTV.detach();
        }
        QVERIFY(!torch::allclose(adapted, fresh->forward(tokens).logits_BTV.detach()));

        QTemporaryDir dir;
        std::filesystem::path path = dir.filePath("lora.safetensors").toStdString();
        saveSafetensors(path, adapterTensors(adapters));
        mergeLora(fresh, path);
        torch::NoGradGuard noGrad;
        QVERIFY(torch::allclose(fresh->forward(tokens).logits_BTV, adapted, 1e-4, 1e-5));
    }

    void theBaseIsFrozenAndTheSidePathEqualsTheMergedWeights() {
        auto [model, merged] = twins();
        LoraAdapters adapters(model, 4, 8.0);
        {
            torch::NoGradGuard noGrad;
            for (torch::Tensor& parameter : adapters->parameters())
                parameter.normal_(0.0, 0.1);
        }
        // The optimizer the trainers build (over the model and the adapters) holds A and B only.
        torch::nn::Module trainable;
        trainable.register_module("model", model.ptr());
        trainable.register_module(kLoraName, adapters.ptr());
        auto optimizer = strata::train::makeAdamW(trainable, strata::run::OptimizerConfig{});
        std::set<const void*> held, adapter;
        for (const auto& group : optimizer->param_groups())
            for (const torch::Tensor& parameter : group.params())
                held.insert(parameter.unsafeGetTensorImpl());
        for (const torch::Tensor& parameter : adapters->parameters())
            adapter.insert(parameter.unsafeGetTensorImpl());
        QVERIFY(held == adapter);

        torch::Tensor tokens = torch::randint(64, {2, 10});
        torch::Tensor adapted;
        {
            auto scope = adapters->scope();
            torch::Tensor logits = model->forward(tokens).logits_BTV;
            logits.pow(2).mean().backward();
            adapted = logits.detach();
        }
        for (const torch::Tensor& parameter : model->parameters()) {
            QVERIFY(!parameter.requires_grad());
            QVERIFY(!parameter.grad().defined());
        }
        for (const torch::Tensor& parameter : adapters->parameters())
            QVERIFY(parameter.grad().defined());

        // The side path gives what W0 + scale B A in the weights gives.
        {
            torch::NoGradGuard noGrad;
            auto weights = merged->named_parameters();
            auto adapterParameters = adapters->named_parameters();
            double scale = adapters->named_buffers()["scale"].item<double>();
            int mergedCount = 0;
            for (const auto& item : adapterParameters) {
                if (!item.key().ends_with(".a")) continue;
                std::string module = item.key().substr(0, item.key().size() - 2);
                std::string path = module;
                for (size_t at = path.find("__"); at != std::string::npos; at = path.find("__"))
                    path.replace(at, 2, ".");
                weights[path + ".weight"].add_(
                    scale * adapterParameters[module + ".b"].matmul(item.value()));
                ++mergedCount;
            }
            QCOMPARE(mergedCount, 2 * 5 + 2 * 3);
            QVERIFY(torch::allclose(merged->forward(tokens).logits_BTV, adapted, 1e-5, 1e-5));
        }
        // The step moves the adapters and leaves the base alone.
        torch::Tensor before = model->named_parameters()["block0.attention.q_a.weight"].clone();
        optimizer->step();
        QVERIFY(torch::equal(model->named_parameters()["block0.attention.q_a.weight"], before));
    }

    void aFileThatDoesNotFitIsAnError() {
        auto [model, other] = twins();
        LoraAdapters adapters(model, 4, 8.0);
        QTemporaryDir dir;
        std::filesystem::path path = dir.filePath("lora.safetensors").toStdString();

        NamedTensors missing = adapterTensors(adapters);
        missing.erase(missing.begin());
        saveSafetensors(path, missing);
        QString error = errorOf([&] { mergeLora(other, path); });
        QVERIFY2(error.contains("lora.safetensors: tensor 'block0__attention__q_a.a' is missing"),
                 qPrintable(error));

        NamedTensors extra = adapterTensors(adapters);
        extra.emplace_back("block9__attention__wq.a", torch::zeros({4, 32}));
        saveSafetensors(path, extra);
        error = errorOf([&] { mergeLora(other, path); });
        QVERIFY2(error.contains("'block9__attention__wq.a' adapts no projection"),
                 qPrintable(error));

        NamedTensors badScale = adapterTensors(adapters);
        for (auto& [name, tensor] : badScale)
            if (name == "scale") tensor = torch::ones({2});
        saveSafetensors(path, badScale);
        error = errorOf([&] { mergeLora(other, path); });
        QVERIFY2(error.contains("lora.safetensors: tensor 'scale' must be one finite number"),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestLora)
#include "tst_lora.moc"
