#include "core/store/label_queue.h"

#include "core/common/error.h"
#include "core/common/login_name.h"

namespace strata::store {

QueueStats queueStats(LabelStore& store) {
    LabelReview review(store);
    return {store.counts(),     review.progress(),    review.pairwiseAgreement(),
            review.agreement(), store.positionBias(), store.scorers()};
}

std::string LocalLabelQueue::identity() {
    std::string login = common::loginName();
    if (login.empty()) common::fail("no login name to label as; name the annotator");
    return login;
}

std::string LocalLabelQueue::who(const std::string& annotator) {
    return annotator.empty() ? identity() : annotator;
}

std::optional<PreferencePair> LabelQueue::claim(const std::string& annotator,
                                                const std::string& leastSureOf) {
    std::vector<PreferencePair> pairs = claimUpTo(annotator, 1, leastSureOf);
    if (pairs.empty()) return std::nullopt;
    return std::move(pairs.front());
}

std::vector<PreferencePair> LocalLabelQueue::claimUpTo(const std::string& annotator, int count,
                                                       const std::string& leastSureOf) {
    return m_store.claimUpTo(who(annotator), count, leastSureOf);
}

bool LocalLabelQueue::submit(const LabelSubmission& submission) {
    return m_store.label(submission.pairId, who(submission.annotator), submission.choice,
                         submission.rationale, submission.swapped, submission.id);
}

void LocalLabelQueue::release(int64_t pairId, const std::string& annotator) {
    m_store.release(pairId, who(annotator));
}

void LocalLabelQueue::unlabel(int64_t pairId, const std::string& annotator) {
    m_store.unlabel(pairId, who(annotator));
}

std::string LocalLabelQueue::owner(const std::string& reviewer) {
    const std::string name = who(reviewer);
    const std::string owner = m_store.queueSettings().owner;
    if (owner != name)
        common::fail("{}: the labeling queue's owner, {}, reviews its disagreements; not {}",
                     m_store.database().path().string(), owner.empty() ? "nobody yet" : owner,
                     name);
    return name;
}

std::vector<Disagreement> LocalLabelQueue::disagreements(const std::string& reviewer) {
    owner(reviewer);
    return LabelReview(m_store).disagreements();
}

void LocalLabelQueue::adjudicate(int64_t pairId, const std::string& reviewer, Choice choice,
                                 const std::string& note) {
    LabelReview(m_store).adjudicate(pairId, owner(reviewer), choice, note);
}

int64_t LocalLabelQueue::importPairs(const std::filesystem::path& file, const std::string& by) {
    return m_store.importPreferences(file, who(by));
}

int64_t LocalLabelQueue::addPairs(const std::vector<PreferencePair>& pairs, const std::string& by) {
    return int64_t(m_store.addPairs(pairs, who(by)).size());
}

int64_t LocalLabelQueue::exportPreferences(const std::filesystem::path& file) {
    return m_store.exportPreferences(file);
}

QueueStats LocalLabelQueue::stats() {
    return queueStats(m_store);
}

QueueSettings LocalLabelQueue::settings() {
    return m_store.queueSettings();
}

void LocalLabelQueue::configure(const QueueSettings& settings, const std::string& by) {
    m_store.configureQueue(settings, who(by));
}

}  // namespace strata::store
