// Packed projections: one product over the packed weights gives what the separate Linear layers
// give, forward and backward, with and without biases and under bf16 autocast; the packing
// survives a move of the owning module; frozen weights get no gradient; an installed override
// (LoRA, FP8) and unpacked weights take the per-layer products.
#include "core/model/linear.h"
#include "core/model/matmul_override.h"
#include "core/model/packed_projections.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <QtTest>

using namespace strata::model;

namespace {

// Two projections of one input, packed by their module as attention's and SwiGLU's are.
class TwoProjectionsImpl : public PackingModule {
public:
    explicit TwoProjectionsImpl(bool bias) {
        first = register_module("first", linearMaybeBias(6, 5, bias));
        second = register_module("second", linearMaybeBias(6, 3, bias));
        pair = &packTogether({first, second});
    }
    torch::nn::Linear first{nullptr}, second{nullptr};
    const PackedProjections* pair = nullptr;
};
TORCH_MODULE(TwoProjections);

// Whether `output` came from the one packed product (its split's input is that function's).
bool tookThePackedProduct(const torch::Tensor& output) {
    const torch::autograd::Node* split = output.grad_fn().get();
    if (!split || split->next_edges().empty() || !split->next_edges()[0].function) return false;
    return split->next_edges()[0].function->name().find("PackedLinearFunction") !=
           std::string::npos;
}

// The per-layer products on copies of the layers' tensors, and their gradients.
struct Reference {
    std::vector<torch::Tensor> outputs, gradients;  // gradients: input, weights, biases
};

Reference reference(const TwoProjections& module, const torch::Tensor& x,
                    const torch::Tensor& upstream0, const torch::Tensor& upstream1) {
    torch::Tensor input = x.detach().requires_grad_();
    std::vector<torch::Tensor> leaves{input};
    for (const torch::Tensor& p : module->parameters())
        leaves.push_back(p.detach().clone().requires_grad_());
    bool biased = module->first->bias.defined();
    torch::Tensor w0 = leaves[1], b0 = biased ? leaves[2] : torch::Tensor();
    torch::Tensor w1 = leaves[biased ? 3 : 2], b1 = biased ? leaves[4] : torch::Tensor();
    Reference out;
    out.outputs = {torch::nn::functional::linear(input, w0, b0),
                   torch::nn::functional::linear(input, w1, b1)};
    ((out.outputs[0].to(upstream0.scalar_type()) * upstream0).sum() +
     (out.outputs[1].to(upstream1.scalar_type()) * upstream1).sum())
        .backward();
    for (const torch::Tensor& leaf : leaves)
        out.gradients.push_back(leaf.grad());
    return out;
}

void compareWithReference(TwoProjections& module, double tolerance) {
    const bool packed = module->pair->packed();
    torch::manual_seed(3);
    torch::TensorOptions options = module->first->weight.options();
    torch::Tensor x = torch::randn({2, 4, 6}, options).requires_grad_();
    torch::Tensor upstream0 = torch::randn({2, 4, 5}, options);
    torch::Tensor upstream1 = torch::randn({2, 4, 3}, options);
    Reference expected = reference(module, x, upstream0, upstream1);

    std::vector<torch::Tensor> outputs = module->pair->forward(x);
    QCOMPARE(outputs.size(), size_t(2));
    QCOMPARE(tookThePackedProduct(outputs[0]), packed);
    ((outputs[0].to(upstream0.scalar_type()) * upstream0).sum() +
     (outputs[1].to(upstream1.scalar_type()) * upstream1).sum())
        .backward();
    std::vector<torch::Tensor> gradients{x.grad()};
    for (const torch::Tensor& p : module->parameters())
        gradients.push_back(p.grad());
    for (size_t i = 0; i < 2; ++i) {
        QCOMPARE(outputs[i].scalar_type(), expected.outputs[i].scalar_type());
        QVERIFY(torch::allclose(outputs[i], expected.outputs[i], tolerance, tolerance));
    }
    QCOMPARE(gradients.size(), expected.gradients.size());
    for (size_t i = 0; i < gradients.size(); ++i) {
        QCOMPARE(gradients[i].scalar_type(), expected.gradients[i].scalar_type());
        QVERIFY2(torch::allclose(gradients[i], expected.gradients[i], tolerance, tolerance),
                 qPrintable(QString("gradient %1 differs").arg(i)));
    }
}

// Records the weights it is asked about and declines them all.
class RecordingOverride : public MatmulOverride {
public:
    torch::Tensor linear(const torch::Tensor&, const torch::Tensor& weight_OI) override {
        asked.push_back(weight_OI);
        return {};
    }
    torch::Tensor groupedLinear(const torch::Tensor&, const torch::Tensor&,
                                const torch::Tensor&) override {
        return {};
    }
    std::vector<torch::Tensor> asked;
};

}  // namespace

class TestPackedProjections : public QObject {
    Q_OBJECT

private slots:
    void weightsShareOneBuffer() {
        TwoProjections module(true);
        QVERIFY(module->pair->packed());
        const torch::Tensor &w0 = module->first->weight, &w1 = module->second->weight;
        QVERIFY(w1.storage().is_alias_of(w0.storage()));
        QCOMPARE(w1.storage_offset(), w0.storage_offset() + w0.numel());
        QVERIFY(module->second->bias.storage().is_alias_of(module->first->bias.storage()));
        // Each weight is still a leaf of its own, as the optimizer and checkpoints need.
        QVERIFY(w0.is_leaf() && w1.is_leaf() && w0.requires_grad());
    }

    void matchesTheSeparateProducts() {
        torch::manual_seed(1);
        TwoProjections plain(false);
        compareWithReference(plain, 1e-6);
        TwoProjections biased(true);
        compareWithReference(biased, 1e-6);
    }

    void matchesUnderAutocast() {
        torch::manual_seed(2);
        TwoProjections module(true);
        at::autocast::set_autocast_enabled(torch::kCPU, true);
        at::autocast::set_autocast_dtype(torch::kCPU, torch::kBFloat16);
        compareWithReference(module, 2e-2);
        at::autocast::set_autocast_enabled(torch::kCPU, false);
        at::autocast::clear_cache();
    }

    void staysPackedAfterAMove() {
        torch::manual_seed(4);
        TwoProjections module(true);
        module->to(torch::kFloat64);
        QCOMPARE(module->first->weight.scalar_type(), torch::kFloat64);
        QVERIFY(module->pair->packed());
        compareWithReference(module, 1e-12);
    }

    void unpackedWeightsTakeTheSeparateProducts() {
        torch::manual_seed(5);
        TwoProjections module(false);
        {
            torch::NoGradGuard noGrad;
            module->second->weight.set_data(module->second->weight.clone());
        }
        QVERIFY(!module->pair->packed());
        compareWithReference(module, 1e-6);
    }

    void aFrozenModelGetsOnlyTheInputGradient() {
        torch::manual_seed(6);
        TwoProjections module(true);
        for (torch::Tensor& p : module->parameters())
            p.requires_grad_(false);
        torch::Tensor x = torch::randn({4, 6}, torch::requires_grad());
        std::vector<torch::Tensor> outputs = module->pair->forward(x);
        (outputs[0].sum() + outputs[1].square().sum()).backward();
        torch::Tensor expected = torch::ones({4, 5}).mm(module->first->weight) +
                                 (2 * torch::nn::functional::linear(
                                          x.detach(), module->second->weight, module->second->bias))
                                     .mm(module->second->weight);
        QVERIFY(torch::allclose(x.grad(), expected, 1e-5, 1e-5));
        for (const torch::Tensor& p : module->parameters())
            QVERIFY(!p.grad().defined());
    }

    void anOverrideSeesEachWeight() {
        TwoProjections module(false);
        RecordingOverride recording;
        MatmulOverrideScope scope(&recording);
        std::vector<torch::Tensor> outputs = module->pair->forward(torch::randn({3, 6}));
        QCOMPARE(recording.asked.size(), size_t(2));
        QVERIFY(recording.asked[0].is_same(module->first->weight));
        QVERIFY(recording.asked[1].is_same(module->second->weight));
        QCOMPARE(outputs[1].sizes(), torch::IntArrayRef({3, 3}));
    }
};

QTEST_GUILESS_MAIN(TestPackedProjections)
#include "tst_packed_projections.moc"
