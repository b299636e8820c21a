#include "core/train/console_reporter.h"

#include "core/common/human_units.h"

#include <fmt/format.h>

namespace strata::train {

using common::humanCount;

void ConsoleReporter::runStarted(const run::RunStarted& info) {
    m_firstStep = info.step;
    fmt::print(stderr, "training on {} ({}): {} parameters, {} active per token{}\n", info.device,
               info.precision, humanCount(double(info.parameters)),
               humanCount(double(info.activeParameters)),
               info.resumedFrom.empty() ? "" : fmt::format("; resuming from {}", info.resumedFrom));
}

void ConsoleReporter::step(const run::StepMetrics& m) {
    if (m.step % m_logEvery != 0 && m.step != m_firstStep + 1 && m.step != m_maxSteps) return;
    std::string line = fmt::format(
        "step {}/{}  loss {:.4f}  lr {:.2e}  grad {:.3f}  {} tok/s  {:.2f} s/step", m.step,
        m_maxSteps, m.loss, m.lr, m.gradNorm, humanCount(m.tokensPerSecond), m.stepSeconds);
    if (m.mfu >= 0) line += fmt::format("  mfu {:.1f}%", m.mfu * 100);
    for (const run::NamedValue& value : m.extra)
        line += fmt::format("  {} {:.4g}", value.name, value.value);
    if (m.skipped) line += "  (skipped: not finite)";
    fmt::print(stderr, "{}\n", line);
}

void ConsoleReporter::evaluated(const run::EvalMetrics& m) {
    std::string line = fmt::format("step {}: validation loss {:.4f}", m.step, m.loss);
    if (m.perplexity >= 0) line += fmt::format(", perplexity {:.2f}", m.perplexity);
    for (const run::NamedValue& value : m.extra)
        line += fmt::format(", {} {:.4g}", value.name, value.value);
    fmt::print(stderr, "{}\n", line);
}

void ConsoleReporter::checkpointSaved(int64_t step, const std::string& path, double) {
    fmt::print(stderr, "step {}: checkpoint {}\n", step, path);
}

void ConsoleReporter::pausedChanged(int64_t step, bool paused) {
    fmt::print(stderr, "{} at step {}\n", paused ? "paused" : "resumed", step);
}

void ConsoleReporter::log(const std::string& level, const std::string& message) {
    fmt::print(stderr, "{}: {}\n", level, message);
}

void ConsoleReporter::runFinished(int64_t step, run::RunStatus status, const std::string& message) {
    if (status == run::RunStatus::Failed) return;  // the error itself is printed by the caller
    fmt::print(stderr, "run {} at step {}{}\n", run::runStatusName(status), step,
               message.empty() ? "" : ": " + message);
}

}  // namespace strata::train
