#include "core/proto/remote_label_queue.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/proto/label_messages.h"

namespace strata::proto {

WorkerConnection& RemoteLabelQueue::connection() {
    if (!m_connection) m_connection = std::make_unique<WorkerConnection>(m_target);
    return *m_connection;
}

std::string RemoteLabelQueue::call(RequestKind kind, LabelRequest label) {
    Request request;
    request.kind = kind;
    request.label = std::move(label);
    try {
        return connection().call(request);
    } catch (const ConnectionLost&) {
        m_connection.reset();  // once more on a new connection; a second loss is the caller's
    }
    return connection().call(request);
}

std::string RemoteLabelQueue::identity() {
    const std::string& login = connection().login();
    if (login.empty())
        common::fail("{}: the worker there does not say who is logged in; update Strata there",
                     m_target.name());
    return login;
}

std::vector<store::PreferencePair> RemoteLabelQueue::claimUpTo(const std::string& annotator,
                                                               int count,
                                                               const std::string& leastSureOf) {
    LabelRequest label;
    label.annotator = annotator;
    label.leastSureOf = leastSureOf;
    label.count = count;
    return decodeClaimReply(call(RequestKind::LabelClaim, label));
}

bool RemoteLabelQueue::submit(const store::LabelSubmission& submission) {
    LabelRequest label;
    label.submission = submission;
    return replyFlag(call(RequestKind::LabelSubmit, label), "applied");
}

void RemoteLabelQueue::release(int64_t pairId, const std::string& annotator) {
    LabelRequest label;
    label.annotator = annotator;
    label.pair = pairId;
    call(RequestKind::LabelRelease, label);
}

void RemoteLabelQueue::unlabel(int64_t pairId, const std::string& annotator) {
    LabelRequest label;
    label.annotator = annotator;
    label.pair = pairId;
    call(RequestKind::LabelUnlabel, label);
}

std::vector<store::Disagreement> RemoteLabelQueue::disagreements(const std::string& reviewer) {
    LabelRequest label;
    label.annotator = reviewer;
    return decodeDisagreements(call(RequestKind::LabelDisagreements, label));
}

void RemoteLabelQueue::adjudicate(int64_t pairId, const std::string& reviewer, store::Choice choice,
                                  const std::string& note) {
    LabelRequest label;
    label.annotator = reviewer;
    label.pair = pairId;
    label.decision = choice;
    label.note = note;
    call(RequestKind::LabelAdjudicate, label);
}

int64_t RemoteLabelQueue::importPairs(const std::filesystem::path& file, const std::string& by) {
    // A file over the protocol's line cap is refused before it is read.
    std::error_code unknown;
    if (const uintmax_t size = std::filesystem::file_size(file, unknown);
        !unknown && size >= kMaxLineBytes)
        common::fail(
            "{}: {} MiB of pairs is over the {} MiB one remote import takes; split the file",
            file.string(), size >> 20, kMaxLineBytes >> 20);
    // Read here, so a bad line is named in the file as this machine knows it.
    std::vector<store::PreferencePair> pairs = store::LabelStore::readPairs(file);
    if (pairs.empty()) common::fail("{}: no preference pairs to import", file.string());
    return sendPairs(std::move(pairs), by, file.string());
}

int64_t RemoteLabelQueue::addPairs(const std::vector<store::PreferencePair>& pairs,
                                   const std::string& by) {
    return sendPairs(pairs, by, "the pairs");
}

int64_t RemoteLabelQueue::sendPairs(std::vector<store::PreferencePair> pairs, const std::string& by,
                                    std::string_view source) {
    // One request, so the import stays all or nothing; its encoding, which escapes and so may
    // grow, must fit the protocol's line cap.
    LabelRequest label;
    label.annotator = by;
    label.pairs = std::move(pairs);
    Request request;
    request.kind = RequestKind::LabelImport;
    request.label = label;
    if (const size_t bytes = encodeRequest(request).size(); bytes >= kMaxLineBytes)
        common::fail("{}: {} MiB of pairs is over the {} MiB one remote import takes; split them",
                     source, bytes >> 20, kMaxLineBytes >> 20);
    return replyInteger(call(RequestKind::LabelImport, std::move(label)), "imported");
}

int64_t RemoteLabelQueue::exportPreferences(const std::filesystem::path& file) {
    common::AtomicFile out(file);
    int64_t numLines = 0;
    LabelRequest label;
    for (;;) {
        ExportPage page = decodeExportPage(call(RequestKind::LabelExport, label));
        if (page.lines.empty()) break;
        for (const std::string& line : page.lines) {
            out.write(line);
            out.write("\n");
        }
        numLines += int64_t(page.lines.size());
        label.after = page.after;
    }
    out.commit();
    return numLines;
}

store::QueueStats RemoteLabelQueue::stats() {
    return decodeStats(call(RequestKind::LabelStats));
}

store::QueueSettings RemoteLabelQueue::settings() {
    return decodeSettingsReply(call(RequestKind::LabelSettings));
}

void RemoteLabelQueue::configure(const store::QueueSettings& settings, const std::string& by) {
    LabelRequest label;
    label.annotator = by;
    label.settings = settings;
    call(RequestKind::LabelSettings, label);
}

}  // namespace strata::proto
