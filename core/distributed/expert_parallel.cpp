#include "core/distributed/expert_parallel.h"

#include "core/model/moe_experts.h"

#include <torch/torch.h>

#include <cmath>

namespace strata::distributed {

namespace {

// Rows to and from the ranks by all-to-all; backward sends the rows' gradients back the way they
// came. c10d needs the row counts on the host.
struct RowExchange : torch::autograd::Function<RowExchange> {
    static torch::Tensor forward(torch::autograd::AutogradContext* context,
                                 const torch::Tensor& rows, ProcessGroup* group,
                                 const std::vector<int64_t>& sendRows,
                                 const std::vector<int64_t>& receiveRows) {
        // saved_data holds IValues only; the group outlives every graph built while it trains.
        context->saved_data["group"] = reinterpret_cast<int64_t>(group);
        context->saved_data["sendRows"] = sendRows;
        context->saved_data["receiveRows"] = receiveRows;
        return exchange(*group, rows, sendRows, receiveRows,
                        "sending the MoE assignments to their experts' ranks");
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* context,
                                                   torch::autograd::variable_list gradients) {
        auto* group = reinterpret_cast<ProcessGroup*>(context->saved_data["group"].toInt());
        torch::Tensor gradient =
            exchange(*group, gradients[0], context->saved_data["receiveRows"].toIntVector(),
                     context->saved_data["sendRows"].toIntVector(),
                     "returning the MoE assignments' gradients to their ranks");
        return {gradient, torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }

    static torch::Tensor exchange(ProcessGroup& group, const torch::Tensor& rows,
                                  const std::vector<int64_t>& sendRows,
                                  const std::vector<int64_t>& receiveRows, const char* what) {
        int64_t received = 0;
        for (int64_t count : receiveRows)
            received += count;
        torch::Tensor arrived = torch::empty({received, rows.size(1)}, rows.options());
        group.allToAll(arrived, rows, receiveRows, sendRows, what);
        return arrived;
    }
};

class CollectiveExchange : public model::ExpertExchange {
public:
    explicit CollectiveExchange(ProcessGroup& group) : m_group(group) {}

    int rank() const override { return m_group.rank(); }
    int size() const override { return m_group.size(); }

    torch::Tensor exchangeCounts(const torch::Tensor& sendCounts_WL) override {
        torch::Tensor received_WL = torch::empty_like(sendCounts_WL);
        m_group.allToAll(received_WL, sendCounts_WL, {}, {},
                         "exchanging how many MoE assignments go to each expert");
        return received_WL;
    }

    torch::Tensor exchangeRows(const torch::Tensor& rows, const std::vector<int64_t>& sendRows,
                               const std::vector<int64_t>& receiveRows) override {
        return RowExchange::apply(rows, &m_group, sendRows, receiveRows);
    }

private:
    ProcessGroup& m_group;
};

torch::optim::AdamWParamState* adamState(torch::optim::AdamW& optimizer,
                                         const torch::Tensor& parameter) {
    auto found = optimizer.state().find(parameter.unsafeGetTensorImpl());
    return found == optimizer.state().end()
               ? nullptr
               : static_cast<torch::optim::AdamWParamState*>(found->second.get());
}

}  // namespace

ExpertParallel::ExpertParallel(ProcessGroup& group, torch::nn::Module& model,
                               torch::optim::AdamW& optimizer)
    : m_group(group) {
    auto exchange = std::make_shared<CollectiveExchange>(group);
    for (const auto& module : model.modules()) {
        auto* experts = module->as<model::MoeExpertsImpl>();
        if (!experts) continue;
        TORCH_CHECK(experts->numExperts() % group.size() == 0, experts->numExperts(),
                    " experts do not spread evenly over ", group.size(), " ranks");
        experts->spreadOver(exchange);
        m_parameters.insert(m_parameters.end(),
                            {experts->gate_EFD, experts->up_EFD, experts->down_EDF});
    }
    keepOwn(optimizer);
}

bool ExpertParallel::holds(const torch::Tensor& parameter) const {
    for (const torch::Tensor& own : m_parameters)
        if (own.is_same(parameter)) return true;
    return false;
}

void ExpertParallel::averageGradients() {
    torch::NoGradGuard noGrad;
    for (const torch::Tensor& parameter : m_parameters)
        if (parameter.grad().defined()) parameter.mutable_grad().div_(double(m_group.size()));
}

double ExpertParallel::clipGradientNorm(const std::vector<torch::Tensor>& parameters,
                                        double maxNorm) {
    torch::NoGradGuard noGrad;
    // Squared norms: [replicated parameters, this rank's experts]; the experts' are summed over
    // the ranks, the replicated ones are alike on every rank already.
    torch::Tensor squares = torch::zeros({2}, parameters.front().options().dtype(torch::kFloat32));
    for (const torch::Tensor& parameter : parameters)
        if (parameter.grad().defined())
            squares[holds(parameter) ? 1 : 0] +=
                parameter.grad().norm().to(torch::kFloat32).square();
    torch::Tensor expertSquares = squares.narrow(0, 1, 1).clone();
    m_group.allReduceSum(expertSquares, "adding up the experts' gradient norms");
    const double norm = std::sqrt((squares[0] + expertSquares[0]).item<double>());
    // As torch::nn::utils::clip_grad_norm_.
    const double scale = maxNorm / (norm + 1e-6);
    if (scale < 1)
        for (const torch::Tensor& parameter : parameters)
            if (parameter.grad().defined()) parameter.mutable_grad().mul_(scale);
    return norm;
}

void ExpertParallel::gatherWhole(torch::optim::AdamW& optimizer) {
    torch::NoGradGuard noGrad;
    const char* what = "gathering the experts for a checkpoint";
    for (const torch::Tensor& parameter : m_parameters) {
        parameter.mutable_grad().reset();  // of the held shape; the next step makes new ones
        if (auto* adam = adamState(optimizer, parameter)) {
            adam->exp_avg(m_group.allGather(adam->exp_avg(), what));
            adam->exp_avg_sq(m_group.allGather(adam->exp_avg_sq(), what));
        }
        parameter.set_data(m_group.allGather(parameter, what));
    }
}

void ExpertParallel::keepOwn(torch::optim::AdamW& optimizer) {
    torch::NoGradGuard noGrad;
    auto own = [&](const torch::Tensor& whole) {
        const int64_t held = whole.size(0) / m_group.size();
        return whole.narrow(0, m_group.rank() * held, held).clone();
    };
    for (const torch::Tensor& parameter : m_parameters) {
        parameter.mutable_grad().reset();
        if (auto* adam = adamState(optimizer, parameter)) {
            adam->exp_avg(own(adam->exp_avg()));
            adam->exp_avg_sq(own(adam->exp_avg_sq()));
        }
        parameter.set_data(own(parameter));
    }
}

}  // namespace strata::distributed
