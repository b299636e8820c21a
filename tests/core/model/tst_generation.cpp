// Generation: greedy decoding with the cache equals argmax over full recomputation, sampling is
// seeded, stop rules hold, each sampling rule does what it says, and batched continuation
// log-probabilities equal one-at-a-time ones.
#include "core/model/generation.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>
#include <QtTest>

using namespace strata::model;

namespace {

strata::model_spec::ModelConfig tinyModel() {
    return {.vocabSize = 50,
            .dModel = 32,
            .numLayers = 2,
            .contextLength = 40,
            .numDenseLayers = 1,
            .attention = {.numHeads = 4, .numKvHeads = 2},
            .moe = {.numRoutedExperts = 4, .topK = 2, .expertHiddenSize = 16}};
}

at::Generator seeded(uint64_t seed) {
    return at::make_generator<at::CPUGeneratorImpl>(seed);
}

}  // namespace

class TestGeneration : public QObject {
    Q_OBJECT

private slots:
    void greedyEqualsArgmaxOfFullRecomputation() {
        torch::manual_seed(0);
        Transformer model(tinyModel());
        strata::model_spec::SamplingOptions options{.maxNewTokens = 10, .temperature = 0};
        std::vector<int64_t> produced = generate(model, {3, 7, 11}, options);
        torch::NoGradGuard noGrad;
        std::vector<int64_t> sequence = {3, 7, 11};
        for (int step = 0; step < 10; ++step) {
            torch::Tensor logits =
                model->forward(torch::tensor(sequence, torch::kLong).unsqueeze(0)).logits_BTV;
            sequence.push_back(logits[0][-1].argmax().item<int64_t>());
        }
        QCOMPARE(produced, std::vector<int64_t>(sequence.begin() + 3, sequence.end()));
    }

    void samplingIsSeeded() {
        torch::manual_seed(1);
        Transformer model(tinyModel());
        strata::model_spec::SamplingOptions options{.maxNewTokens = 12, .seed = 7};
        std::vector<int64_t> first = generate(model, {1, 2}, options);
        QCOMPARE(generate(model, {1, 2}, options), first);
        options.seed = 8;
        QVERIFY(generate(model, {1, 2}, options) != first);
    }

    void stopRules() {
        torch::manual_seed(2);
        Transformer model(tinyModel());
        strata::model_spec::SamplingOptions options{.maxNewTokens = 30, .seed = 3};
        std::vector<int64_t> free = generate(model, {5}, options);
        QCOMPARE(free.size(), size_t(30));
        options.stopTokens = {free[4]};
        std::vector<int64_t> stopped = generate(model, {5}, options);
        QVERIFY(stopped.size() <= 5 && stopped.back() == free[4]);
        std::vector<int64_t> streamed;
        generate(model, {5}, options, [&](int64_t token) {
            streamed.push_back(token);
            return streamed.size() < 2;
        });
        QCOMPARE(streamed.size(), std::min<size_t>(2, stopped.size()));
        options.stopTokens.clear();
        options.maxNewTokens = 100;
        QCOMPARE(generate(model, std::vector<int64_t>(30, 1), options).size(),
                 size_t(10));  // context 40
    }

    void samplingRules() {
        torch::Tensor logits = torch::tensor({1.0f, 3.0f, 2.9f, -1.0f});
        strata::model_spec::SamplingOptions options;
        at::Generator generator = seeded(0);
        options.topK = 1;
        for (int i = 0; i < 20; ++i)
            QCOMPARE(sampleToken(logits, {}, options, generator), int64_t(1));
        options.topK = 0;
        options.topP = 0.01;
        for (int i = 0; i < 20; ++i)
            QCOMPARE(sampleToken(logits, {}, options, generator), int64_t(1));
        options.topP = 1.0;
        options.temperature = 0;
        QCOMPARE(sampleToken(logits, {}, options, generator), int64_t(1));
        // Penalizing the seen token 1 (3.0 / 1.5 = 2.0) hands greedy decoding to token 2.
        options.repetitionPenalty = 1.5;
        QCOMPARE(sampleToken(logits, {1, 1}, options, generator), int64_t(2));
        // top-k = 2 never yields the tokens outside the two largest.
        options = strata::model_spec::SamplingOptions{};
        options.topK = 2;
        for (int i = 0; i < 50; ++i) {
            int64_t token = sampleToken(logits, {}, options, generator);
            QVERIFY(token == 1 || token == 2);
        }
    }

    void batchedLogProbsEqualSingleOnes() {
        torch::manual_seed(4);
        Transformer model(tinyModel());
        std::vector<std::vector<int64_t>> prompts = {{1, 2, 3}, {4}, {5, 6}};
        std::vector<std::vector<int64_t>> continuations = {{7, 8}, {9, 10, 11, 12}, {13}};
        torch::Tensor batched = continuationLogProbs(model, prompts, continuations);
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < prompts.size(); ++i) {
            std::vector<int64_t> sequence = prompts[i];
            sequence.insert(sequence.end(), continuations[i].begin(), continuations[i].end());
            torch::Tensor logProbs = torch::log_softmax(
                model->forward(torch::tensor(sequence, torch::kLong).unsqueeze(0)).logits_BTV[0],
                -1);
            double expected = 0;
            for (size_t k = 0; k < continuations[i].size(); ++k)
                expected += logProbs[int64_t(prompts[i].size() + k - 1)][continuations[i][k]]
                                .item<double>();
            QVERIFY2(
                std::abs(batched[int64_t(i)].item<double>() - expected) < 1e-4,
                qPrintable(
                    QString("%1 vs %2").arg(batched[int64_t(i)].item<double>()).arg(expected)));
        }
    }
};

QTEST_APPLESS_MAIN(TestGeneration)
#include "tst_generation.moc"
