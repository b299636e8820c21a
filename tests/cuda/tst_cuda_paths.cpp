// The CUDA paths against CPU float64 references, for a host with a GPU (scripts/gpu-check runs
// it there); without CUDA every test skips. Whole tiny models (GQA with and without a window or
// packed rows, MLA with DeepSeek's 192/128 head dims, MoE) in float32 and bfloat16, with the
// SDPA kernel each attention takes printed; masked attention, whose backward torch 2.11's cuDNN
// kernel breaks at some lengths, with finite gradients at lengths around the kernels' tile
// sizes; decoding with the KV cache against the full forward, and seeded sampling on the
// device; the grouped expert products with experts that get no rows; the fused cross-entropy,
// RMSNorm, packed projections and AdamW;
// every FP8 scaling's native product against its exact emulation; a resumed run against an
// uninterrupted one; and the host syncs of a training step as CUDA's sync-debug mode lists them.
#include "core/model/causal_attention.h"
#include "core/model/generation.h"
#include "core/model/gqa_attention.h"
#include "core/model/linear_cross_entropy.h"
#include "core/model/moe_experts.h"
#include "core/model/packed_projections.h"
#include "core/model/rms_norm.h"
#include "core/model/sequence_layout.h"
#include "core/model/transformer.h"
#include "core/train/fp8_matmul.h"
#include "core/train/optimizer.h"
#include "core/train/pretrainer.h"
#include "tests/core/run/recording_sink.h"
#include "tests/core/train/tiny_run.h"

#include <ATen/Context.h>
#include <ATen/record_function.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/torch.h>
#if STRATA_WITH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

namespace {

const torch::Device kCuda(torch::kCUDA, 0);

model_spec::ModelConfig tinyModel(const QString& variant) {
    model_spec::ModelConfig config{
        .vocabSize = 96,
        .dModel = 64,
        .numLayers = 2,
        .contextLength = 64,
        .numDenseLayers = 2,
        .attention = {.numHeads = 4, .numKvHeads = 2},
        .moe = {.numRoutedExperts = 4, .numSharedExperts = 1, .topK = 2, .expertHiddenSize = 32}};
    if (variant == "GQA window") config.attention.slidingWindow = 8;
    if (variant.startsWith("MLA"))
        config.attention = {.kind = model_spec::AttentionKind::Mla,
                            .numHeads = 2,
                            .kvLoraRank = 32,
                            .qkNopeHeadDim = 128,
                            .qkRopeHeadDim = 64,
                            .vHeadDim = 128};
    if (variant == "MoE") config.numDenseLayers = 1;
    return config;
}

const char* sdpBackendName(int64_t backend) {
    static const char* names[] = {"math", "flash", "memory-efficient", "cuDNN", "overrideable"};
    return backend >= 0 && backend < 5 ? names[backend] : "none";
}

// The largest difference of `got` from the float64 reference, relative to the reference's range.
double relativeError(const torch::Tensor& got, const torch::Tensor& reference) {
    return ((got.to(torch::kCPU, torch::kFloat64) - reference).abs().max() /
            reference.abs().max().clamp_min(1e-12))
        .item<double>();
}

#if STRATA_WITH_CUDA
// While alive: every host sync CUDA reports on this thread (its sync-debug mode) is recorded
// with the operator that made it, the innermost one this thread was running. c10's warning
// handlers are per thread, so a sync in the backward, which autograd runs on the device's own
// thread, is printed to stderr by the default handler rather than recorded here.
class SyncRecorder : public c10::WarningHandler {
public:
    SyncRecorder() : m_previous(c10::WarningUtils::get_warning_handler()) {
        m_callback = at::addThreadLocalCallback(
            at::RecordFunctionCallback(
                [](const at::RecordFunction& call) -> std::unique_ptr<at::ObserverContext> {
                    t_operators.push_back(call.name());
                    return nullptr;
                },
                [](const at::RecordFunction&, at::ObserverContext*) { t_operators.pop_back(); })
                .scopes({at::RecordScope::FUNCTION}));
        c10::WarningUtils::set_warning_handler(this);
        c10::cuda::warning_state().set_sync_debug_mode(c10::cuda::SyncDebugMode::L_WARN);
    }
    ~SyncRecorder() override {
        c10::cuda::warning_state().set_sync_debug_mode(c10::cuda::SyncDebugMode::L_DISABLED);
        c10::WarningUtils::set_warning_handler(m_previous);
        at::removeCallback(m_callback);
    }
    void process(const c10::Warning& warning) override {
        if (warning.msg().find("synchroniz") == std::string::npos)
            return m_previous->process(warning);
        m_syncs.push_back(t_operators.empty() ? "(no operator)" : t_operators.back());
    }
    const std::vector<std::string>& syncs() const { return m_syncs; }

private:
    static inline thread_local std::vector<std::string> t_operators;
    c10::WarningHandler* m_previous;
    at::CallbackHandle m_callback;
    std::vector<std::string> m_syncs;
};
#endif

}  // namespace

class TestCudaPaths : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (!torch::cuda::is_available()) QSKIP("no CUDA device");
    }

    void modelEqualsTheCpu_data() {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<int>("dtype");
        QTest::addColumn<double>("tolerance");
        for (const char* variant : {"GQA", "GQA window", "GQA packed", "MLA 192/128", "MoE"})
            QTest::newRow(qPrintable(QString("%1 float32").arg(variant)))
                << QString(variant) << int(torch::kFloat32) << 1e-4;
        // Not MoE: bf16 rounding may flip a near-tie of the router's choice, a different (and
        // correct) function; groupedExpertsEqualTheDenseReference covers its bf16 products.
        for (const char* variant : {"GQA", "GQA window", "GQA packed", "MLA 192/128"})
            QTest::newRow(qPrintable(QString("%1 bfloat16").arg(variant)))
                << QString(variant) << int(torch::kBFloat16) << 5e-2;
    }
    void modelEqualsTheCpu() {
        QFETCH(QString, variant);
        QFETCH(int, dtype);
        QFETCH(double, tolerance);
        torch::manual_seed(3);
        torch::NoGradGuard noGrad;
        model::Transformer model(tinyModel(variant));
        model->to(torch::kFloat64);
        torch::Tensor tokens = torch::randint(96, {2, 48});
        std::optional<model::SequenceLayout> layout;
        if (variant == "GQA packed")
            layout = model::stackLayouts(
                {model::packedRowLayout({20, 28}, 48), model::packedRowLayout({5, 30, 13}, 48)});
        const model::SequenceLayout* packed = layout ? &*layout : nullptr;
        torch::Tensor reference = model->forward(tokens, nullptr, packed).logits_BTV;
        model->to(kCuda, torch::ScalarType(dtype));
        torch::Tensor logits = model->forward(tokens.to(kCuda), nullptr, packed).logits_BTV;
        double error = relativeError(logits, reference);
        // The kernel SDPA picks for this attention's shapes (cuDNN is left out for masked calls).
        torch::Tensor q = torch::randn({2, 4, 48, 64},
                                       torch::TensorOptions(kCuda).dtype(torch::ScalarType(dtype)));
        bool masked = packed || variant == "GQA window";
        bool cudnn = at::globalContext().userEnabledCuDNNSDP();
        if (masked) at::globalContext().setSDPUseCuDNN(false);
        int64_t backend =
            at::_fused_sdp_choice(q, q, q,
                                  masked ? std::optional<torch::Tensor>(torch::ones(
                                               {48, 48}, q.options().dtype(torch::kBool)))
                                         : std::nullopt,
                                  0.0, !masked);
        at::globalContext().setSDPUseCuDNN(cudnn);
        qInfo("%s: SDPA takes %s; largest logit error %.2e of the range", qPrintable(variant),
              sdpBackendName(backend), error);
        QVERIFY2(error <= tolerance, qPrintable(QString::number(error)));
    }

    void cachedStepsEqualTheFullForward_data() {
        QTest::addColumn<QString>("variant");
        QTest::newRow("GQA") << "GQA";
        QTest::newRow("GQA window") << "GQA window";
        QTest::newRow("MLA 192/128") << "MLA 192/128";  // decoding attends to the latent
    }
    void cachedStepsEqualTheFullForward() {
        QFETCH(QString, variant);
        torch::manual_seed(4);
        torch::NoGradGuard noGrad;
        model::Transformer model(tinyModel(variant));
        model->to(torch::kFloat64);
        torch::Tensor tokens = torch::randint(96, {2, 24});
        torch::Tensor reference = model->forward(tokens).logits_BTV;
        model->to(kCuda, torch::kFloat32);
        model::KvCache cache(24);
        std::vector<torch::Tensor> pieces{
            model->forward(tokens.narrow(1, 0, 10).to(kCuda), &cache).logits_BTV};
        for (int64_t t = 10; t < 24; ++t)
            pieces.push_back(model->forward(tokens.narrow(1, t, 1).to(kCuda), &cache).logits_BTV);
        double error = relativeError(torch::cat(pieces, 1), reference);
        QVERIFY2(error <= 1e-4, qPrintable(QString::number(error)));
    }

    // Sampling on the device with its own generator: a seed gives the same tokens again.
    void samplingOnTheDeviceIsSeeded() {
        torch::manual_seed(5);
        model::Transformer model(tinyModel("GQA"));
        model->to(kCuda);
        model_spec::SamplingOptions options{
            .maxNewTokens = 16, .temperature = 0.9, .topK = 20, .topP = 0.9, .seed = 7};
        std::vector<std::vector<int64_t>> prompts = {{5, 17, 3}, {88, 40}};
        std::vector<std::vector<int64_t>> first = model::generateBatch(model, prompts, options);
        QCOMPARE(first, model::generateBatch(model, prompts, options));
        for (const std::vector<int64_t>& row : first) {
            QCOMPARE(row.size(), size_t(16));
            for (int64_t token : row)
                QVERIFY(token >= 0 && token < 96);
        }
    }

    void maskedAttentionBackwardIsFinite_data() {
        QTest::addColumn<int>("length");
        for (int length : {17, 63, 64, 65, 127, 128, 129, 255, 256, 257, 511, 512, 513, 1000})
            QTest::newRow(std::to_string(length).c_str()) << length;
    }
    void maskedAttentionBackwardIsFinite() {
        QFETCH(int, length);
        torch::manual_seed(length);
        // Two rows of packed sequences (an explicit mask), grouped heads, bf16 on CUDA.
        const int64_t third = length / 3;
        model::SequenceLayout layout = model::stackLayouts(
            {model::packedRowLayout({third, length - third}, length),
             model::packedRowLayout({length - 2 * third, third, third}, length)});
        torch::Tensor mask =
            model::segmentMask(layout.segments_BT, layout.segments_BT, 0).unsqueeze(1);
        torch::Tensor q = torch::randn({2, 8, length, 64}, torch::kFloat64);
        torch::Tensor k = torch::randn({2, 2, length, 64}, torch::kFloat64);
        torch::Tensor v = torch::randn({2, 2, length, 64}, torch::kFloat64);
        auto run = [&](torch::Device device, torch::ScalarType type) {
            std::vector<torch::Tensor> inputs;
            for (const torch::Tensor& t : {q, k, v})
                inputs.push_back(t.to(device, type).requires_grad_());
            torch::Tensor out =
                model::causalAttention(inputs[0], inputs[1], inputs[2], 0, mask.to(device));
            out.to(torch::kFloat64).pow(2).sum().backward();
            std::vector<torch::Tensor> results{out.detach().to(torch::kCPU, torch::kFloat64)};
            for (const torch::Tensor& input : inputs)
                results.push_back(input.grad().to(torch::kCPU, torch::kFloat64));
            return results;
        };
        std::vector<torch::Tensor> reference = run(torch::kCPU, torch::kFloat64);
        std::vector<torch::Tensor> cuda = run(torch::Device(torch::kCUDA, 0), torch::kBFloat16);
        const char* names[] = {"output", "dq", "dk", "dv"};
        for (size_t i = 0; i < cuda.size(); ++i) {
            QVERIFY2(torch::isfinite(cuda[i]).all().item<bool>(), names[i]);
            double error = (cuda[i] - reference[i]).abs().max().item<double>();
            double scale = reference[i].abs().max().item<double>();
            QVERIFY2(error <= 0.05 * scale,
                     qPrintable(QString("%1: %2 of %3").arg(names[i]).arg(error).arg(scale)));
        }
    }

    void groupedExpertsEqualTheDenseReference_data() {
        QTest::addColumn<int>("dtype");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("float32") << int(torch::kFloat32) << 1e-3;
        QTest::newRow("bfloat16") << int(torch::kBFloat16) << 5e-2;
    }
    void groupedExpertsEqualTheDenseReference() {
        QFETCH(int, dtype);
        QFETCH(double, tolerance);
        torch::manual_seed(11);
        model::MoeExperts experts(8, 64, 96);
        // Experts 0, 3 and 7 get no rows; group sizes are odd.
        torch::Tensor topIdx =
            torch::tensor(std::vector<int64_t>{1, 2, 2, 4, 5, 5, 5, 6, 1, 2, 4}).unsqueeze(1);
        torch::Tensor x = torch::randn({topIdx.size(0), 64});
        torch::Tensor topWeight = torch::rand({topIdx.size(0), 1});
        experts->to(torch::kFloat64);
        torch::Tensor reference =
            experts->forwardDense(x.to(torch::kFloat64), topIdx, topWeight.to(torch::kFloat64));
        const torch::Device cuda(torch::kCUDA, 0);
        experts->to(cuda, torch::ScalarType(dtype));
        torch::Tensor y = experts->forward(x.to(cuda, torch::ScalarType(dtype)), topIdx.to(cuda),
                                           topWeight.to(cuda, torch::ScalarType(dtype)));
        QVERIFY(
            torch::allclose(y.to(torch::kCPU, torch::kFloat64), reference, tolerance, tolerance));
    }

    void linearCrossEntropyEqualsTheCpu() {
        torch::manual_seed(12);
        torch::Tensor hidden = torch::randn({700, 64}, torch::kFloat64);
        torch::Tensor weight = torch::randn({3000, 64}, torch::kFloat64) * 0.1;
        torch::Tensor targets = torch::randint(3000, {700});
        auto run = [&](torch::Device device, torch::ScalarType type) {
            torch::Tensor h = hidden.to(device, type).requires_grad_();
            torch::Tensor w = weight.to(device, type).requires_grad_();
            torch::Tensor loss = model::linearCrossEntropy(h, w, targets.to(device));
            loss.backward();
            return std::vector<torch::Tensor>{loss.detach(), h.grad(), w.grad()};
        };
        std::vector<torch::Tensor> reference = run(torch::kCPU, torch::kFloat64);
        std::vector<torch::Tensor> cuda = run(kCuda, torch::kFloat32);
        for (size_t i = 0; i < cuda.size(); ++i)
            QVERIFY2(relativeError(cuda[i], reference[i]) <= 1e-4, qPrintable(QString::number(i)));
    }

    // ATen's fused RMSNorm kernels against the hand-written norm in float64, forward and backward,
    // for a float32 and a bfloat16 stream.
    void rmsNormEqualsTheCpu_data() {
        QTest::addColumn<int>("dtype");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("float32") << int(torch::kFloat32) << 1e-5;
        QTest::newRow("bfloat16") << int(torch::kBFloat16) << 2e-2;
    }
    void rmsNormEqualsTheCpu() {
        QFETCH(int, dtype);
        QFETCH(double, tolerance);
        torch::manual_seed(14);
        torch::Tensor x = torch::randn({3, 40, 64}, torch::kFloat64);
        torch::Tensor weight = torch::rand({64}, torch::kFloat64) + 0.5;
        torch::Tensor upstream = torch::randn({3, 40, 64}, torch::kFloat64);
        auto run = [&](torch::Device device, torch::ScalarType type) {
            model::RmsNorm norm(64, 1e-6);
            norm->to(device, type);
            {
                torch::NoGradGuard noGrad;
                norm->weight.copy_(weight);
            }
            torch::Tensor input = x.to(device, type).requires_grad_();
            torch::Tensor y = norm->forward(input);
            (y.to(torch::kFloat64) * upstream.to(device)).sum().backward();
            return std::vector<torch::Tensor>{y.detach(), input.grad(), norm->weight.grad()};
        };
        std::vector<torch::Tensor> reference = run(torch::kCPU, torch::kFloat64);
        std::vector<torch::Tensor> cuda = run(kCuda, torch::ScalarType(dtype));
        for (size_t i = 0; i < cuda.size(); ++i)
            QVERIFY2(
                relativeError(cuda[i], reference[i]) <= tolerance,
                qPrintable(QString("%1: %2").arg(i).arg(relativeError(cuda[i], reference[i]))));
    }

    // Attention's packed query, key and value product on CUDA, forward and backward, against the
    // three separate products in float64 on the CPU: the packing survives the move to the GPU.
    void packedProjectionsEqualTheCpu() {
        torch::manual_seed(15);
        model_spec::ModelConfig config = tinyModel("GQA");
        torch::Tensor x = torch::randn({2, 24, 64}, torch::kFloat64);
        auto run = [&](torch::Device device, bool packed) {
            torch::manual_seed(16);
            model::GqaAttention attention(config);
            attention->to(device, torch::kFloat64);
            if (!packed) {
                torch::NoGradGuard noGrad;
                attention->wk->weight.set_data(attention->wk->weight.clone());
            }
            bool shared =
                attention->wk->weight.storage().is_alias_of(attention->wq->weight.storage());
            if (shared != packed)
                throw std::runtime_error("the projections are not laid out as asked");
            torch::Tensor input = x.to(device).requires_grad_();
            attention->forward(input).square().sum().backward();
            return std::vector<torch::Tensor>{input.grad(), attention->wq->weight.grad(),
                                              attention->wk->weight.grad(),
                                              attention->wv->weight.grad()};
        };
        std::vector<torch::Tensor> reference = run(torch::kCPU, false);
        std::vector<torch::Tensor> cuda = run(kCuda, true);
        for (size_t i = 0; i < cuda.size(); ++i)
            QVERIFY2(relativeError(cuda[i], reference[i]) <= 1e-10, qPrintable(QString::number(i)));
    }

    // Three steps of the fused AdamW kernel on CUDA in float32 against the CPU's in float64.
    void fusedAdamWEqualsTheCpu() {
        run::OptimizerConfig config;
        config.lr = 1e-2;
        config.weightDecay = 0.1;
        auto run = [&](torch::Device device, torch::ScalarType type) {
            torch::manual_seed(17);
            torch::nn::Linear layer(torch::nn::LinearOptions(32, 16));
            layer->to(torch::kFloat64);
            std::vector<torch::Tensor> gradients;
            for (int step = 0; step < 3; ++step)
                for (const torch::Tensor& p : layer->parameters())
                    gradients.push_back(torch::randn(p.sizes(), torch::kFloat64));
            layer->to(device, type);
            std::unique_ptr<torch::optim::AdamW> optimizer = train::makeAdamW(*layer, config);
            size_t next = 0;
            for (int step = 0; step < 3; ++step) {
                for (torch::Tensor& p : layer->parameters())
                    p.mutable_grad() = gradients[next++].to(device, type);
                optimizer->step();
            }
            return std::vector<torch::Tensor>{layer->weight.detach(), layer->bias.detach()};
        };
        std::vector<torch::Tensor> reference = run(torch::kCPU, torch::kFloat64);
        std::vector<torch::Tensor> cuda = run(kCuda, torch::kFloat32);
        for (size_t i = 0; i < cuda.size(); ++i)
            QVERIFY2(relativeError(cuda[i], reference[i]) <= 1e-5, qPrintable(QString::number(i)));
    }

    void fp8NativeEqualsEmulated_data() {
        QTest::addColumn<QString>("recipe");
        QTest::newRow("tensorwise") << "tensorwise";
        QTest::newRow("rowwise") << "rowwise";
        QTest::newRow("blockwise") << "blockwise";
        QTest::newRow("blockwise, tiles on both") << "blockwise tiles";
    }
    void fp8NativeEqualsEmulated() {
        QFETCH(QString, recipe);
        if (!train::deviceHasFp8(kCuda)) QSKIP("this GPU has no FP8 matrix units");
        torch::manual_seed(13);
        train::Fp8Tile activation = recipe == "tensorwise" ? train::kWholeTensor
                                    : recipe == "rowwise"  ? train::kPerRow
                                                           : train::kTile1x128;
        train::Fp8Tile weight = recipe == "tensorwise"        ? train::kWholeTensor
                                : recipe == "rowwise"         ? train::kPerRow
                                : recipe == "blockwise tiles" ? train::kTile1x128
                                                              : train::kBlock128x128;
        train::Fp8Tensor a = train::quantizeDynamic(torch::randn({256, 512}, kCuda),
                                                    run::Fp8Format::E4M3, activation);
        train::Fp8Tensor b =
            train::quantizeDynamic(torch::randn({384, 512}, kCuda), run::Fp8Format::E4M3, weight);
        torch::Tensor emulated = train::fp8MatmulEmulated(a, b, torch::kFloat32);
        torch::Tensor product = train::fp8Matmul(a, b, torch::kFloat32);
        double error = relativeError(product, emulated.to(torch::kCPU, torch::kFloat64));
        qInfo("%s: %s, largest difference %.2e of the range", qPrintable(recipe),
              train::nativeFp8Matmul(a, b) ? "native _scaled_mm" : "emulated", error);
        // Both round to bf16 (the emulation's CUDA products, the native kernels' output) after
        // summing in different orders: a rounding may differ by one bf16 step, 2^-8 relative.
        QVERIFY2(error <= 1e-2, qPrintable(QString::number(error)));
    }

    // The experts' grouped FP8 product, native (_scaled_grouped_mm) against its emulation, with
    // an expert that gets no rows.
    void fp8GroupedNativeEqualsEmulated_data() {
        QTest::addColumn<bool>("rowwise");
        QTest::newRow("rowwise") << true;
        QTest::newRow("tensorwise") << false;
    }
    void fp8GroupedNativeEqualsEmulated() {
        QFETCH(bool, rowwise);
        if (!train::deviceHasFp8(kCuda)) QSKIP("this GPU has no FP8 matrix units");
        torch::manual_seed(18);
        train::Fp8Tile tile = rowwise ? train::kPerRow : train::kWholeTensor;
        train::Fp8Tensor rows =
            train::quantizeDynamic(torch::randn({100, 64}, kCuda), run::Fp8Format::E4M3, tile);
        train::Fp8Tensor experts =
            train::quantizeDynamic(torch::randn({4, 48, 64}, kCuda), run::Fp8Format::E4M3, tile);
        torch::Tensor ends = torch::tensor({30, 30, 64, 100}, torch::kInt32).to(kCuda);
        torch::Tensor emulated =
            train::fp8GroupedMatmulEmulated(rows, experts, ends, torch::kFloat32);
        torch::Tensor product = train::fp8GroupedMatmul(rows, experts, ends, torch::kFloat32);
        double error = relativeError(product, emulated.to(torch::kCPU, torch::kFloat64));
        qInfo(
            "%s: %s, largest difference %.2e of the range", rowwise ? "rowwise" : "tensorwise",
            train::nativeFp8GroupedMatmul(rows, experts) ? "native _scaled_grouped_mm" : "emulated",
            error);
        QVERIFY2(error <= 1e-2, qPrintable(QString::number(error)));
    }

    // A run resumed from its step-2 checkpoint against one that never stopped: CUDA promises no
    // bit-exact reductions, so the losses agree within a tolerance instead.
    void resumeMatchesAnUninterruptedRun() {
        QTemporaryDir dir;
        tiny::writeData(dir.path().toStdString());
        auto train = [&](const char* run, int steps, bool resume) {
            RecordingSink sink;
            train::Pretrainer(tiny::config(dir.path().toStdString(),
                                           {"train.device=cuda", "train.precision=fp32",
                                            "train.max_steps=" + std::to_string(steps),
                                            "train.eval_every=0", "checkpoint.every=2"}),
                              dir.filePath(run).toStdString(), sink, resume)
                .run();
            return sink.steps;
        };
        std::vector<run::StepMetrics> whole = train("whole", 4, false);
        train("resumed", 2, false);
        std::vector<run::StepMetrics> rest = train("resumed", 4, true);
        QCOMPARE(whole.size(), size_t(4));
        QCOMPARE(rest.size(), size_t(2));
        for (size_t i = 0; i < rest.size(); ++i)
            QVERIFY2(std::abs(rest[i].loss - whole[i + 2].loss) <= 1e-4 * whole[i + 2].loss,
                     qPrintable(QString("%1 against %2").arg(rest[i].loss).arg(whole[i + 2].loss)));
    }

    // Lists what makes the host wait in one step with bf16 autocast (a run of two steps less a
    // run of one), and holds it to tst_host_reads' budget on the CPU plus one: the batches come
    // from page-locked memory without a wait.
    void trainingStepSyncs() {
#if STRATA_WITH_CUDA
        QTemporaryDir dir;
        tiny::writeData(dir.path().toStdString());
        auto syncsOfRun = [&](int steps) {
            RecordingSink sink;
            train::Pretrainer trainer(
                tiny::config(dir.path().toStdString(),
                             {"train.device=cuda", "train.max_steps=" + std::to_string(steps),
                              "train.eval_every=0", "checkpoint.every=1000"}),
                dir.filePath(QString("run-%1").arg(steps)).toStdString(), sink, false);
            SyncRecorder recorder;
            trainer.run();
            return recorder.syncs();
        };
        std::vector<std::string> one = syncsOfRun(1), two = syncsOfRun(2);
        std::map<std::string, int> step;
        for (const std::string& name : two)
            ++step[name];
        for (const std::string& name : one)
            --step[name];
        int total = 0;
        QByteArray listed;
        for (const auto& [name, count] : step) {
            total += count;
            if (count != 0)
                listed += QByteArray::fromStdString(name) + ' ' + QByteArray::number(count) + "; ";
        }
        qInfo("host syncs of one step: %d (%s)", total,
              listed.isEmpty() ? "none" : listed.constData());
        QVERIFY2(total <= 2, listed);
#else
        QSKIP("built without CUDA");
#endif
    }
};

QTEST_APPLESS_MAIN(TestCudaPaths)
#include "tst_cuda_paths.moc"
