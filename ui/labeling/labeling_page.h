// The Labeling page, for annotators: preference pairs from the workspace's shared queue, the
// prompt above the two responses side by side (their order randomized per pair and recorded),
// the queue's guidelines beside them, and the keys 1 (left better), 2 (right better), 3 (tie),
// S (skip), U (undo). Each label is committed to SQLite (synchronous=FULL) the moment it is
// given; on a workspace of another host it is kept on this machine until the host has it
// (proto::OfflineLabelQueue), and the page says how many wait. The annotator is the login (on a
// remote workspace, the SSH login, fixed); the queue's owner sets labels per pair and the
// guidelines, and reviews disagreements in Team…. Progress, throughput, agreement between
// annotators and position bias are shown; pairs come in from JSONL and go out as TRL's
// {prompt, chosen, rejected}. Generate Pairs… answers a prompt set with two checkpoints of the
// history and queues the answers as pairs; Train Reward Model… snapshots the labels into the
// workspace and hands them to the Train page's New Config dialog. Score Pairs… has a reward model
// score the pairs nobody has labeled (`strata-cli labels score`), and the queue can then hand out
// the pairs it is least sure about first. A store that cannot be read or written (locked,
// read-only, corrupt) is said in the page's message line and the page goes on. While the queue
// has no pairs, what the page is for and how to fill it shows in place of the pair.
#pragma once

#include "core/proto/worker_target.h"
#include "core/store/label_queue.h"
#include "core/store/run_catalog.h"
#include "ui/common/checkpoint_choices.h"
#include "ui/common/error_reporter.h"

#include <QElapsedTimer>
#include <QWidget>

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTextBrowser;

namespace strata::widgets {
class EmptyState;
class PairCompare;
}  // namespace strata::widgets

namespace strata::ui {

class WorkspaceJob;

class LabelingPage : public QWidget {
    Q_OBJECT

public:
    // The queue of a workspace on this machine. Without `workspace` and `localCli` the page
    // cannot start workers, so it offers no pair generation.
    explicit LabelingPage(const std::filesystem::path& historyFile,
                          std::filesystem::path workspace = {}, std::filesystem::path localCli = {},
                          QWidget* parent = nullptr);
    // The queue of a workspace on another host, labeled as the login there. Pairs are generated
    // by its worker from the checkpoints in its history (`runs`), and `scoring` scores them
    // there; snapshots for a reward model, files of the workspace, are shown off, saying so.
    LabelingPage(std::unique_ptr<store::LabelQueue> queue, store::RunCatalog& runs,
                 proto::WorkerTarget workspace, std::unique_ptr<WorkspaceJob> scoring,
                 QWidget* parent = nullptr);

    // The side the annotator judged better (Left, Right), or a tie or skip.
    enum class Verdict { Left, Right, Tie, Skip };
    void give(Verdict verdict);
    void undo();
    // Fetches the next pair for the annotator from the queue.
    void showNext();
    int64_t currentPairId() const { return m_current ? m_current->id : 0; }

    bool importFile(const QString& path);
    // Opens Generate Pairs… (modal).
    void generatePairs();
    bool exportFile(const QString& path);
    // Train Reward Model…: snapshots the labels so far into
    // datasets/labels/labels-YYYYMMDD-HHMMSS.jsonl and emits rewardDataReady; false (with the
    // reason shown) when there is no A or B label yet or the file cannot be written.
    bool snapshotForRewardModel();
    // Score Pairs…: has the reward model in `checkpoint` (a folder where the workspace is) score
    // the pairs nobody has labeled yet; scoringFinished follows. False when scoring is under way.
    bool scorePairs(const QString& checkpoint);
    // The queue's order: "" (as the pairs were added) or a scorer (least sure first).
    void setQueueOrder(const QString& scorer);
    QString queueOrder() const;
    // Opens Team… (modal): each annotator's progress, agreement, and for the queue's owner the
    // disagreements to decide.
    void showTeam();
    // Edit Guidelines… (the owner's): replaces the queue's guidelines with `markdown`.
    bool setGuidelines(const QString& markdown);

signals:
    // A snapshot of the preference labels a reward model can train on (data.train).
    void rewardDataReady(const QString& path);
    // Scoring ended; when `ok`, the queue hands out that reward model's least sure pairs first.
    void scoringFinished(bool ok);

private:
    void build();
    std::string annotator() const;
    // Re-reads the queue's settings: labels per pair, guidelines, who may change them.
    void showSettings();
    void showPair(const store::PreferencePair& pair, bool swapped);
    // The history's checkpoints, read through a connection of the page's own (or the remote
    // workspace's catalog); nullopt (with the reason shown) when the history cannot be read.
    std::optional<std::vector<CheckpointChoice>> readCheckpoints();
    // Asks for a checkpoint of the workspace and scores the pairs with it.
    void chooseScorer();
    // Scoring ended: the queue hands out the scorer's least sure pairs first when it succeeded.
    void scoringEnded(bool ok, const QString& lastLine);
    // Lists "as added" and every scorer in the queue order box, keeping the choice.
    void listQueueOrders();
    void updateStats();
    void report(const QString& message);

    std::filesystem::path m_historyFile;
    std::filesystem::path m_workspace;
    std::filesystem::path m_localCli;
    std::unique_ptr<store::LabelQueue> m_queue;
    store::LocalLabelQueue* m_local = nullptr;  // the queue on this machine, when it is
    store::RunCatalog* m_remoteRuns = nullptr;  // a remote workspace's history
    std::optional<proto::WorkerTarget> m_remoteWorkspace;
    WorkspaceJob* m_scoringJob = nullptr;  // `strata-cli labels score`, here or on the host
    QString m_scoringCheckpoint;           // the reward model scoring, or that last scored
    QLineEdit* m_annotator;
    std::string m_claimedBy;  // the annotator the pair shown was claimed for
    QSpinBox* m_labelsPerPair;
    QTextBrowser* m_guidelines;
    QPushButton* m_editGuidelines;
    store::QueueSettings m_settings;
    QComboBox* m_queueOrder;
    QPushButton* m_scoreButton = nullptr;
    bool m_scoring = false;
    widgets::PairCompare* m_compare;
    QLineEdit* m_rationale;
    QLabel* m_progress;
    QLabel* m_quality;
    QLabel* m_message;
    widgets::EmptyState* m_empty = nullptr;  // the pair, or what the page is for without one
    ErrorReporter m_errors;                  // into the message line
    std::optional<store::PreferencePair> m_current;
    bool m_swapped = false;
    struct Given {
        store::PreferencePair pair;
        bool swapped;
    };
    std::vector<Given> m_given;  // this session's labels, newest last, for undo
    QElapsedTimer m_session;
};

}  // namespace strata::ui
