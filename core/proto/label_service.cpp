#include "core/proto/label_service.h"

#include "core/common/json_writer.h"
#include "core/common/workspace_paths.h"
#include "core/proto/label_messages.h"

#include <algorithm>

namespace strata::proto {

using common::JsonWriter;

namespace {

// What a request about one pair answers: {"<role>": NAME, "pair": ID}.
std::string pairReply(const char* role, const std::string& name, int64_t pairId) {
    return JsonWriter().beginObject().field(role, name).field("pair", pairId).endObject().take();
}

// Up to `limit` export lines after `after`, stopping short of a reply the client's line cap
// would refuse: long responses make long lines.
ExportPage exportPage(store::LabelStore& store, const store::ExportCursor& after, size_t limit) {
    constexpr size_t kPageBytes = size_t(4) << 20;
    constexpr size_t kLinesPerRead = 16;
    ExportPage page{{}, after};
    size_t bytes = 0;
    while (page.lines.size() < limit && bytes < kPageBytes) {
        std::vector<std::string> lines =
            store.preferenceLines(page.after, std::min(kLinesPerRead, limit - page.lines.size()));
        if (lines.empty()) break;
        for (std::string& line : lines) {
            bytes += line.size();
            page.lines.push_back(std::move(line));
        }
    }
    return page;
}

}  // namespace

store::LocalLabelQueue& LabelService::queue() {
    if (!m_queue)
        m_queue = std::make_unique<store::LocalLabelQueue>(common::historyFile(m_workspace));
    return *m_queue;
}

std::string LabelService::answer(const Request& request) {
    const LabelRequest& label = request.label;
    store::LocalLabelQueue& labels = queue();
    const std::string who = label.annotator.empty() ? labels.identity() : label.annotator;
    switch (request.kind) {
        case RequestKind::LabelClaim:
            return claimReplyJson(who, labels.claimUpTo(who, label.count, label.leastSureOf));
        case RequestKind::LabelSubmit: {
            store::LabelSubmission submission = label.submission;
            if (submission.annotator.empty()) submission.annotator = labels.identity();
            const bool applied = labels.submit(submission);
            return JsonWriter()
                .beginObject()
                .field("annotator", submission.annotator)
                .field("pair", submission.pairId)
                .field("applied", applied)
                .endObject()
                .take();
        }
        case RequestKind::LabelRelease:
            labels.release(label.pair, who);
            return pairReply("annotator", who, label.pair);
        case RequestKind::LabelImport:
            labels.store().addPairs(label.pairs, who);
            return JsonWriter()
                .beginObject()
                .field("imported", int64_t(label.pairs.size()))
                .endObject()
                .take();
        case RequestKind::LabelExport:
            return exportPageJson(exportPage(labels.store(), label.after, size_t(label.limit)));
        case RequestKind::LabelUnlabel:
            labels.unlabel(label.pair, who);
            return pairReply("annotator", who, label.pair);
        case RequestKind::LabelDisagreements:
            return disagreementsJson(labels.disagreements(who));
        case RequestKind::LabelAdjudicate:
            labels.adjudicate(label.pair, who, label.decision, label.note);
            return pairReply("reviewer", who, label.pair);
        case RequestKind::LabelStats:
            return statsJson(labels.stats());
        case RequestKind::LabelSettings:
            if (label.settings) labels.configure(*label.settings, who);
            return settingsJson(labels.settings());
        default:
            common::fail("{} is not a labeling request", requestName(request.kind));
    }
}

}  // namespace strata::proto
