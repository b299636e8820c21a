#include "core/run/event_log.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/mapped_file.h"
#include "core/run/metric_keys.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>

#include <unistd.h>

namespace strata::run {

namespace fs = std::filesystem;
using common::fail;
using common::JsonWriter;

namespace {

// Seqs reserved at a time: one fsync'd rename every this many events.
constexpr int64_t kSeqBlock = 4096;

// The bound stored in events.seq, 0 when there is none.
int64_t readReservedSeq(const fs::path& path) {
    std::ifstream in(path);
    if (!in) return 0;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    int64_t bound = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), bound);
    if (error != std::errc() || end != text.data() + text.size() || bound < 0)
        fail(
            "{}: not a seq bound (one whole number), so the event log cannot go on without "
            "risking a seq a client already read; write a number above every seq it ever held",
            path.string());
    return bound;
}

// The length of the complete lines at the start of `text`, and the seq of the last of them.
std::pair<size_t, int64_t> completeLines(std::string_view text) {
    size_t end = text.rfind('\n');
    if (end == std::string_view::npos) return {0, 0};
    size_t lastStart = text.rfind('\n', end == 0 ? 0 : end - 1);
    lastStart = lastStart == std::string_view::npos || end == 0 ? 0 : lastStart + 1;
    std::string_view last = text.substr(lastStart, end - lastStart);
    constexpr std::string_view prefix = "{\"seq\":";
    int64_t seq = 0;
    if (last.substr(0, prefix.size()) == prefix) seq = std::atoll(last.data() + prefix.size());
    return {end + 1, seq};
}

double unixSeconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

void writeDoubles(JsonWriter& json, const std::vector<double>& values) {
    json.beginArray();
    for (double value : values)
        json.value(value);
    json.endArray();
}

}  // namespace

EventLog::EventLog(fs::path path, int rank)
    : m_path(std::move(path)),
      m_reservationPath(fs::path(m_path).replace_extension(".seq")),
      m_rank(rank) {
    if (fs::exists(m_path) && fs::file_size(m_path) > 0) {
        size_t keep;
        {
            common::MappedFile existing(m_path);
            std::tie(keep, m_seq) =
                completeLines(std::string_view(existing.data(), existing.size()));
        }
        if (keep != fs::file_size(m_path)) fs::resize_file(m_path, keep);
    }
    m_openedAfterSeq = m_seq;
    m_reservedSeq = readReservedSeq(m_reservationPath);
    // Above the bound every seq is new; below it, one may have been read before a power loss
    // took it from the log.
    m_seq = std::max(m_seq, m_reservedSeq);
    m_file = std::fopen(m_path.c_str(), "ab");
    if (!m_file) fail("{}: cannot open the event log: {}", m_path.string(), std::strerror(errno));
}

EventLog::~EventLog() {
    if (!m_file) return;
    try {
        // Every event is on disk: the next writer may number on from the last one.
        sync();
        if (m_reservedSeq > m_seq) reserveSeqs(m_seq);
    } catch (const common::Error&) {
        // The larger bound stays, which is safe: the next writer skips some numbers.
    }
    std::fclose(m_file);
}

void EventLog::reserveSeqs(int64_t bound) {
    common::AtomicFile file(m_reservationPath);
    file.write(fmt::format("{}\n", bound));
    file.commit();
    m_reservedSeq = bound;
}

void EventLog::append(std::string_view type, std::string_view dataJson, int rank) {
    if (m_seq >= m_reservedSeq) reserveSeqs(m_seq + kSeqBlock);
    m_appended = true;
    m_line.clear();
    fmt::format_to(std::back_inserter(m_line),
                   "{{\"seq\":{},\"time\":{:.3f},\"rank\":{},\"type\":", ++m_seq, unixSeconds(),
                   rank < 0 ? m_rank : rank);
    common::appendJsonString(m_line, type);
    m_line += ",\"data\":";
    m_line += dataJson;
    m_line += "}\n";
    if (std::fwrite(m_line.data(), 1, m_line.size(), m_file) != m_line.size() ||
        std::fflush(m_file) != 0)
        fail("{}: cannot append to the event log: {}", m_path.string(), std::strerror(errno));
}

void EventLog::sync() {
    if (std::fflush(m_file) != 0 || ::fsync(::fileno(m_file)) != 0)
        fail("{}: cannot sync the event log: {}", m_path.string(), std::strerror(errno));
}

void EventLog::runStarted(const RunStarted& info) {
    JsonWriter json;
    json.beginObject()
        .field("step", info.step)
        .field("max_steps", info.maxSteps)
        .field("device", info.device)
        .field("precision", info.precision)
        .field("parameters", info.parameters)
        .field("active_parameters", info.activeParameters)
        .field("resumed_from", info.resumedFrom)
        .field("after_seq", m_openedAfterSeq);
    if (!info.configText.empty()) json.field("config", info.configText);
    json.endObject();
    append("run_started", json.str());
}

void EventLog::step(const StepMetrics& m) {
    JsonWriter json;
    json.beginObject()
        .field("step", m.step)
        .field(kMetricTokens, m.tokens)
        .field(kMetricLoss, m.loss)
        .field(kMetricRouterLoss, m.routerLoss)
        .field(kMetricLr, m.lr)
        .field(kMetricGradNorm, m.gradNorm)
        .field(kMetricStepSeconds, m.stepSeconds)
        .field(kMetricTokensPerSecond, m.tokensPerSecond)
        .field(kMetricMemoryBytes, m.memoryBytes)
        .field(kMetricSkipped, m.skipped);
    if (m.mfu >= 0) json.field(kMetricMfu, m.mfu);
    for (const NamedValue& value : m.extra)
        json.field(value.name, value.value);
    json.endObject();
    append("metrics", json.str());
    if (!m.rollouts.responses.empty()) appendRollouts(m.step, m.rollouts);
    if (!m.fp8.empty()) appendFp8(m.step, m.fp8);
    if (m.router.empty()) return;

    JsonWriter router;
    router.beginObject().field("step", m.step).key("layers").beginArray();
    for (const LayerRouterStats& layer : m.router) {
        router.beginObject().field("layer", layer.layer).key("load");
        writeDoubles(router, layer.load);
        router.key("bias");
        writeDoubles(router, layer.bias);
        router.field("entropy", layer.entropy)
            .field("dropped", layer.dropped)
            .field("balance_loss", layer.balanceLoss)
            .field("z_loss", layer.zLoss)
            .endObject();
    }
    router.endArray().endObject();
    append("router", router.str());
}

void EventLog::appendFp8(int64_t step, const std::vector<Fp8LayerStats>& layers) {
    JsonWriter json;
    json.beginObject().field("step", step).key("layers").beginArray();
    for (const Fp8LayerStats& layer : layers) {
        json.beginObject().field("name", layer.name).key("amax");
        writeDoubles(json, {layer.inputAmax, layer.weightAmax, layer.gradAmax});
        json.key("scale");
        writeDoubles(json, {layer.inputScale, layer.weightScale, layer.gradScale});
        json.field("overflow", layer.overflow).field("underflow", layer.underflow).endObject();
    }
    json.endArray().endObject();
    append("fp8", json.str());
}

void EventLog::appendRollouts(int64_t step, const InspectedRollouts& rollouts) {
    JsonWriter json;
    json.beginObject().field("step", step);
    if (!rollouts.klEstimator.empty()) json.field("kl_estimator", rollouts.klEstimator);
    json.key("weights").beginObject();
    for (const NamedValue& weight : rollouts.weights)
        json.field(weight.name, weight.value);
    json.endObject().key("samples").beginArray();
    for (const SampledResponse& sample : rollouts.responses) {
        json.beginObject()
            .field("prompt", sample.prompt)
            .field("response", sample.response)
            .field("reference", sample.reference)
            .field("reward", sample.reward)
            .key("parts")
            .beginObject();
        for (const NamedValue& part : sample.parts)
            json.field(part.name, part.value);
        json.endObject();
        if (sample.advantage) json.field("advantage", *sample.advantage);
        json.key("tokens").beginArray();
        for (const std::string& token : sample.tokens)
            json.value(token);
        json.endArray();
        if (!sample.kl.empty()) {
            json.key("kl");
            writeDoubles(json, sample.kl);
        }
        json.endObject();
    }
    json.endArray().endObject();
    append("rollouts", json.str());
}

void EventLog::evaluated(const EvalMetrics& m) {
    JsonWriter json;
    json.beginObject().field("step", m.step).field(kMetricLoss, m.loss).field("tokens", m.tokens);
    if (m.perplexity >= 0) json.field(kMetricPerplexity, m.perplexity);
    for (const NamedValue& value : m.extra)
        json.field(value.name, value.value);
    json.endObject();
    append("eval", json.str());
}

void EventLog::checkpointStarting(int64_t /*step*/) {
    sync();
}

void EventLog::checkpointSaved(int64_t step, const std::string& path, double valLoss) {
    JsonWriter json;
    json.beginObject().field("step", step).field("path", path);
    if (valLoss >= 0) json.field("val_loss", valLoss);
    json.endObject();
    append("checkpoint", json.str());
    sync();
}

void EventLog::log(const std::string& level, const std::string& message) {
    rankLog(m_rank, level, message);
}

void EventLog::rankLog(int rank, const std::string& level, const std::string& message) {
    JsonWriter json;
    json.beginObject().field("level", level).field("message", message).endObject();
    append("log", json.str(), rank);
}

void EventLog::pausedChanged(int64_t step, bool paused) {
    JsonWriter json;
    json.beginObject().field("step", step).endObject();
    append(paused ? "paused" : "resumed", json.str());
}

void EventLog::runFinished(int64_t step, RunStatus status, const std::string& message) {
    JsonWriter json;
    json.beginObject()
        .field("step", step)
        .field("status", runStatusName(status))
        .field("message", message);
    // A worker closing a dead trainer's run writes this as its only event.
    if (!m_appended) json.field("after_seq", m_openedAfterSeq);
    json.endObject();
    append("run_finished", json.str());
    sync();
}

std::vector<EvalMetrics> readEvaluations(const fs::path& path) {
    std::ifstream in(path);
    if (!in) fail("{}: cannot read the event log", path.string());
    simdjson::dom::parser parser;
    std::vector<EvalMetrics> evaluations;
    std::string line;
    for (int lineNumber = 1; std::getline(in, line); ++lineNumber) {
        simdjson::dom::element event;
        std::string_view type;
        if (parser.parse(line).get(event) || event["type"].get(type))
            fail("{}:{}: not an event", path.string(), lineNumber);
        if (type != "eval") continue;
        simdjson::dom::object data;
        EvalMetrics metrics;
        if (event["data"].get(data) || data["step"].get(metrics.step) ||
            data[kMetricLoss].get(metrics.loss) || data["tokens"].get(metrics.tokens))
            fail("{}:{}: an eval event needs step, loss and tokens", path.string(), lineNumber);
        for (auto [key, value] : data) {
            double number;
            if (key == kMetricPerplexity && !value.get(number))
                metrics.perplexity = number;
            else if (key != "step" && key != kMetricLoss && key != "tokens" && !value.get(number))
                metrics.extra.push_back({std::string(key), number});
        }
        evaluations.push_back(metrics);
    }
    return evaluations;
}

}  // namespace strata::run
