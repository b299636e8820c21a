#include "ui/labeling/labeling_page.h"

#include "core/common/workspace_paths.h"
#include "ui/common/checkpoint_choices.h"
#include "ui/common/workspace_job.h"
#include "ui/labeling/pair_generation_dialog.h"
#include "ui/labeling/review_dialog.h"
#include "widgets/empty_state.h"
#include "widgets/pair_compare.h"

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace strata::ui {

LabelingPage::LabelingPage(const std::filesystem::path& historyFile,
                           std::filesystem::path workspace, std::filesystem::path localCli,
                           QWidget* parent)
    : QWidget(parent),
      m_historyFile(historyFile),
      m_workspace(std::move(workspace)),
      m_localCli(std::move(localCli)),
      m_errors([this](const QString& message) { report(message); }) {
    auto local = std::make_unique<store::LocalLabelQueue>(historyFile);
    m_local = local.get();
    m_queue = std::move(local);
    if (!m_localCli.empty()) m_scoringJob = new LocalWorkspaceJob(m_localCli);
    build();
}

LabelingPage::LabelingPage(std::unique_ptr<store::LabelQueue> queue, store::RunCatalog& runs,
                           proto::WorkerTarget workspace, std::unique_ptr<WorkspaceJob> scoring,
                           QWidget* parent)
    : QWidget(parent),
      m_queue(std::move(queue)),
      m_remoteRuns(&runs),
      m_remoteWorkspace(std::move(workspace)),
      m_scoringJob(scoring.release()),
      m_errors([this](const QString& message) { report(message); }) {
    build();
}

void LabelingPage::build() {
    if (m_scoringJob) {
        m_scoringJob->setParent(this);
        connect(m_scoringJob, &WorkspaceJob::progress, this, [this](int percent) {
            report(tr("Scoring the unlabeled pairs: %1%").arg(percent));
        });
        connect(m_scoringJob, &WorkspaceJob::finished, this, &LabelingPage::scoringEnded);
    }
    m_annotator = new QLineEdit;
    m_labelsPerPair = new QSpinBox;
    m_queueOrder = new QComboBox;
    m_compare = new widgets::PairCompare;
    m_rationale = new QLineEdit;
    m_progress = new QLabel;
    m_quality = new QLabel;
    m_message = new QLabel;
    m_guidelines = new QTextBrowser;
    m_editGuidelines = new QPushButton(tr("Edit Guidelines…"));
    m_annotator->setObjectName("annotator");
    m_annotator->setPlaceholderText(tr("your name"));
    // Who labels is who logged in: here, or over SSH on the workspace's host, where the name is
    // the connection's and cannot be changed. On a shared desktop a name typed once is kept.
    QString name = m_local ? QSettings().value("labeling/annotator").toString() : QString();
    if (name.isEmpty()) m_errors.run([&] { name = QString::fromStdString(m_queue->identity()); });
    m_annotator->setText(name);
    m_annotator->setReadOnly(!m_local);
    connect(m_annotator, &QLineEdit::editingFinished, this, [this] {
        if (m_local) QSettings().setValue("labeling/annotator", m_annotator->text().trimmed());
        showNext();
    });
    m_labelsPerPair->setObjectName("labelsPerPair");
    m_labelsPerPair->setRange(1, 1000);
    connect(m_labelsPerPair, &QSpinBox::valueChanged, this, [this](int value) {
        if (value == m_settings.labelsPerPair) return;
        store::QueueSettings settings = m_settings;
        settings.labelsPerPair = value;
        if (!m_errors.run([&] { m_queue->configure(settings, annotator()); })) {
            QSignalBlocker quiet(m_labelsPerPair);
            m_labelsPerPair->setValue(m_settings.labelsPerPair);
            return;
        }
        m_settings.labelsPerPair = value;
    });
    m_guidelines->setObjectName("guidelines");
    m_guidelines->setOpenExternalLinks(true);
    m_editGuidelines->setObjectName("editGuidelines");
    connect(m_editGuidelines, &QPushButton::clicked, this, [this] {
        bool ok = false;
        QString markdown = QInputDialog::getMultiLineText(
            this, tr("Guidelines"), tr("What annotators read beside each pair (Markdown):"),
            QString::fromStdString(m_settings.guidelines), &ok);
        if (ok) setGuidelines(markdown);
    });
    m_queueOrder->setObjectName("queueOrder");
    m_queueOrder->setToolTip(
        tr("Which pairs come first: as they were added, or those a reward model is least sure "
           "about (the smallest reward margin), where a label changes it most"));
    listQueueOrders();
    setQueueOrder(QSettings().value("labeling/queue").toString());
    connect(m_queueOrder, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue("labeling/queue", queueOrder());
        if (!m_current) showNext();
    });
    auto* importButton = new QPushButton(tr("Import JSONL…"));
    auto* exportButton = new QPushButton(tr("Export preferences…"));
    auto chooseImport = [this] {
        QString path = QFileDialog::getOpenFileName(this, tr("Import preference pairs"), {},
                                                    tr("JSON lines (*.jsonl)"));
        if (!path.isEmpty()) importFile(path);
    };
    connect(importButton, &QPushButton::clicked, this, chooseImport);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        QString path = QFileDialog::getSaveFileName(
            this, tr("Export preferences"), "preferences.jsonl", tr("JSON lines (*.jsonl)"));
        if (!path.isEmpty()) exportFile(path);
    });
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Annotator")));
    top->addWidget(m_annotator);
    top->addWidget(new QLabel(tr("Labels per pair")));
    top->addWidget(m_labelsPerPair);
    top->addWidget(new QLabel(tr("Queue")));
    top->addWidget(m_queueOrder);
    top->addStretch();
    auto* teamButton = new QPushButton(tr("Team…"));
    teamButton->setObjectName("team");
    teamButton->setToolTip(
        tr("Each annotator's progress and pace, how well every two agree, and the "
           "disagreements the queue's owner decides"));
    connect(teamButton, &QPushButton::clicked, this, &LabelingPage::showTeam);
    top->addWidget(teamButton);
    const bool generates = !m_localCli.empty() || m_remoteRuns;
    if (generates) {
        auto* generateButton = new QPushButton(tr("Generate Pairs…"));
        generateButton->setObjectName("generatePairs");
        generateButton->setToolTip(
            tr("Answer a prompt set with two checkpoints and queue the "
               "answers as pairs"));
        connect(generateButton, &QPushButton::clicked, this, &LabelingPage::generatePairs);
        top->addWidget(generateButton);
    }
    if (generates) {
        auto* rewardButton = new QPushButton(tr("Train Reward Model…"));
        rewardButton->setObjectName("trainRewardModel");
        rewardButton->setToolTip(
            tr("Snapshot the labels so far and set up a reward model run on them"));
        connect(rewardButton, &QPushButton::clicked, this, &LabelingPage::snapshotForRewardModel);
        top->addWidget(rewardButton);
        m_scoreButton = new QPushButton(tr("Score Pairs…"));
        m_scoreButton->setObjectName("scorePairs");
        m_scoreButton->setToolTip(
            tr("Have a reward model score the pairs nobody has labeled, to label the ones it is "
               "least sure about first"));
        connect(m_scoreButton, &QPushButton::clicked, this, &LabelingPage::chooseScorer);
        top->addWidget(m_scoreButton);
        if (m_remoteWorkspace) {
            // The snapshot is a file of the workspace, which the Train page's New Config reads.
            rewardButton->setEnabled(false);
            rewardButton->setToolTip(
                tr("Made on %1: in a studio opened there, or with strata-cli labels export and "
                   "runs start there")
                    .arg(QString::fromStdString(m_remoteWorkspace->name())));
        }
    }
    top->addWidget(importButton);
    top->addWidget(exportButton);

    m_compare->setObjectName("pairCompare");
    m_rationale->setObjectName("rationale");
    m_rationale->setPlaceholderText(tr("rationale (optional)"));
    auto* buttons = new QHBoxLayout;
    struct Action {
        QString text;
        QKeySequence key;
        std::function<void()> run;
    };
    const Action actions[] = {
        {tr("A better (1)"), QKeySequence("1"), [this] { give(Verdict::Left); }},
        {tr("B better (2)"), QKeySequence("2"), [this] { give(Verdict::Right); }},
        {tr("Tie (3)"), QKeySequence("3"), [this] { give(Verdict::Tie); }},
        {tr("Skip (S)"), QKeySequence("S"), [this] { give(Verdict::Skip); }},
        {tr("Undo (U)"), QKeySequence("U"), [this] { undo(); }},
    };
    for (const Action& action : actions) {
        auto* button = new QPushButton(action.text);
        button->setFocusPolicy(Qt::NoFocus);  // the keys stay with the page
        connect(button, &QPushButton::clicked, this, action.run);
        buttons->addWidget(button);
        // A line edit with focus takes these keys as text (Qt's shortcut override), so typing a
        // rationale never labels a pair.
        auto* shortcut = new QShortcut(action.key, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, action.run);
    }
    m_progress->setObjectName("progress");
    m_quality->setObjectName("quality");
    m_message->setObjectName("message");
    m_message->setWordWrap(true);

    auto* pairPane = new QWidget;
    auto* pairLayout = new QVBoxLayout(pairPane);
    pairLayout->setContentsMargins(0, 0, 0, 0);
    pairLayout->addWidget(m_compare, 1);
    pairLayout->addWidget(m_rationale);
    pairLayout->addLayout(buttons);
    auto* guidelinesPane = new QWidget;
    auto* guidelinesLayout = new QVBoxLayout(guidelinesPane);
    guidelinesLayout->setContentsMargins(0, 0, 0, 0);
    guidelinesLayout->addWidget(new QLabel(tr("Guidelines")));
    guidelinesLayout->addWidget(m_guidelines, 1);
    guidelinesLayout->addWidget(m_editGuidelines);
    auto* splitter = new QSplitter;
    splitter->addWidget(pairPane);
    splitter->addWidget(guidelinesPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    m_empty = new widgets::EmptyState(
        splitter, tr("No pairs to label yet"),
        tr("Annotators choose the better of two answers to one prompt here, and their choices "
           "train a reward model or DPO. Generate pairs with two checkpoints, or import pairs "
           "from a JSONL file."));
    m_empty->setObjectName("labelingEmpty");
    if (generates)
        connect(m_empty->addAction(tr("Generate Pairs…")), &QPushButton::clicked, this,
                &LabelingPage::generatePairs);
    connect(m_empty->addAction(tr("Import JSONL…")), &QPushButton::clicked, this, chooseImport);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_quality);
    layout->addWidget(m_message);
    setFocusPolicy(Qt::StrongFocus);
    m_session.start();
    showNext();
}

std::string LabelingPage::annotator() const {
    return m_annotator->text().trimmed().toStdString();
}

void LabelingPage::showSettings() {
    if (!m_errors.run([this] { m_settings = m_queue->settings(); })) return;
    const bool owner = m_settings.owner.empty() || m_settings.owner == annotator();
    const QString ownerNote =
        owner
            ? QString()
            : tr("The queue's owner, %1, sets this").arg(QString::fromStdString(m_settings.owner));
    {
        QSignalBlocker quiet(m_labelsPerPair);
        m_labelsPerPair->setValue(m_settings.labelsPerPair);
    }
    m_labelsPerPair->setEnabled(owner);
    m_labelsPerPair->setToolTip(
        owner ? tr("How many annotators label each pair (2 or more measures agreement)")
              : ownerNote);
    m_editGuidelines->setEnabled(owner);
    m_editGuidelines->setToolTip(ownerNote);
    if (m_settings.guidelines.empty())
        m_guidelines->setPlainText(tr("No guidelines yet. The queue's owner writes them here."));
    else
        m_guidelines->setMarkdown(QString::fromStdString(m_settings.guidelines));
}

bool LabelingPage::setGuidelines(const QString& markdown) {
    store::QueueSettings settings = m_settings;
    settings.guidelines = markdown.toStdString();
    if (!m_errors.run([&] { m_queue->configure(settings, annotator()); })) return false;
    showSettings();
    return true;
}

void LabelingPage::showTeam() {
    ReviewDialog dialog(*m_queue, annotator(), this);
    dialog.setObjectName("teamDialog");
    dialog.exec();
    updateStats();
}

void LabelingPage::report(const QString& message) {
    m_message->setText(message);
}

void LabelingPage::showPair(const store::PreferencePair& pair, bool swapped) {
    m_current = pair;
    m_swapped = swapped;
    const std::string& left = swapped ? pair.responseB : pair.responseA;
    const std::string& right = swapped ? pair.responseA : pair.responseB;
    m_compare->setPair(QString::fromStdString(pair.prompt), QString::fromStdString(left),
                       QString::fromStdString(right));
    m_rationale->clear();
    updateStats();
}

void LabelingPage::showNext() {
    const std::string annotator = this->annotator();
    // A pair claimed for another name (the name was changed) goes back to the queue.
    if (m_current && m_claimedBy != annotator)
        m_errors.run([&] { m_queue->release(m_current->id, m_claimedBy); });
    m_current.reset();
    showSettings();  // the owner may have changed them meanwhile, or the name who may
    if (annotator.empty()) {
        m_compare->clear(tr("Enter your name to start labeling."));
        updateStats();
        return;
    }
    std::optional<store::PreferencePair> next;
    if (!m_errors.run([&] { next = m_queue->claim(annotator, queueOrder().toStdString()); })) {
        m_compare->clear();  // no pair is the annotator's until the store answers again
        return;
    }
    if (!next) {
        m_compare->clear(tr("No pairs left to label. Import pairs (JSONL) to add more."));
        updateStats();
        return;
    }
    m_claimedBy = annotator;
    // Which response goes left is a coin flip per pair, recorded with the label, so a
    // preference for one side shows up as position bias instead of in the data.
    showPair(*next, QRandomGenerator::global()->bounded(2) == 1);
}

void LabelingPage::give(Verdict verdict) {
    if (!m_current) return;
    store::Choice choice = store::Choice::Skip;
    if (verdict == Verdict::Tie) choice = store::Choice::Tie;
    // The verdict is about sides; the label is about responses A and B of the pair.
    if (verdict == Verdict::Left) choice = m_swapped ? store::Choice::B : store::Choice::A;
    if (verdict == Verdict::Right) choice = m_swapped ? store::Choice::A : store::Choice::B;
    const store::LabelSubmission label{m_current->id, m_claimedBy, choice,
                                       m_rationale->text().toStdString(), m_swapped};
    if (!m_errors.run([&] { m_queue->submit(label); })) return;
    m_given.push_back({*m_current, m_swapped});
    report({});
    showNext();
}

void LabelingPage::undo() {
    if (m_given.empty()) return;
    Given last = m_given.back();
    if (!m_errors.run([&] { m_queue->unlabel(last.pair.id, m_claimedBy); })) return;
    m_given.pop_back();
    showPair(last.pair, last.swapped);
}

bool LabelingPage::importFile(const QString& path) {
    int64_t count = 0;
    if (!m_errors.run([&] { count = m_queue->importPairs(path.toStdString(), annotator()); }))
        return false;
    report(tr("Imported %n pair(s) from %1.", "", int(count)).arg(path));
    if (!m_current) showNext();
    updateStats();
    return true;
}

void LabelingPage::listQueueOrders() {
    const QString current = queueOrder();
    QSignalBlocker quiet(m_queueOrder);
    m_queueOrder->clear();
    m_queueOrder->addItem(tr("as added"), QString());
    m_errors.run([this] {
        for (const std::string& scorer : m_queue->stats().scorers)
            m_queueOrder->addItem(tr("least sure first: %1").arg(QString::fromStdString(scorer)),
                                  QString::fromStdString(scorer));
    });
    m_queueOrder->setCurrentIndex(std::max(0, m_queueOrder->findData(current)));
}

QString LabelingPage::queueOrder() const {
    return m_queueOrder->currentData().toString();
}

void LabelingPage::setQueueOrder(const QString& scorer) {
    const int index = m_queueOrder->findData(scorer);
    if (index >= 0) m_queueOrder->setCurrentIndex(index);
}

std::optional<std::vector<CheckpointChoice>> LabelingPage::readCheckpoints() {
    std::vector<CheckpointChoice> checkpoints;
    if (!m_errors.run([&] {
            if (m_remoteRuns) {
                checkpoints = listRemoteCheckpoints(*m_remoteRuns);
                return;
            }
            store::RunHistory history(m_historyFile);
            checkpoints = listCheckpoints(history, m_workspace);
        }))
        return std::nullopt;
    return checkpoints;
}

void LabelingPage::chooseScorer() {
    std::optional<std::vector<CheckpointChoice>> checkpoints = readCheckpoints();
    if (!checkpoints) return;
    QStringList labels, folders;
    for (const CheckpointChoice& choice : *checkpoints)
        if (choice.host == "local") {
            labels << choice.label;
            folders << choice.path;
        }
    if (labels.isEmpty()) {
        report(tr("No checkpoint to score with: train a reward model first."));
        return;
    }
    bool ok = false;
    QString chosen = QInputDialog::getItem(this, tr("Score Pairs"),
                                           tr("A reward run's checkpoint:"), labels, 0, false, &ok);
    if (ok) scorePairs(folders[labels.indexOf(chosen)]);
}

bool LabelingPage::scorePairs(const QString& checkpoint) {
    if (m_scoring || !m_scoringJob) return false;
    m_scoring = true;
    m_scoringCheckpoint = checkpoint;
    if (m_scoreButton) m_scoreButton->setEnabled(false);
    report(tr("Scoring the unlabeled pairs with %1…").arg(checkpoint));
    proto::JobSpec spec;
    spec.kind = proto::JobSpec::Kind::LabelsScore;
    spec.inputs = {checkpoint.toStdString()};
    spec.output = m_remoteWorkspace ? "." : m_workspace.string();
    m_scoringJob->start(spec);
    return true;
}

void LabelingPage::scoringEnded(bool ok, const QString& lastLine) {
    m_scoring = false;
    if (m_scoreButton) m_scoreButton->setEnabled(true);
    report(lastLine);
    if (ok) {
        listQueueOrders();
        // The scorer is the checkpoint as the workspace names it: its path inside.
        for (int index = 1; index < m_queueOrder->count(); ++index) {
            const QString scorer = m_queueOrder->itemData(index).toString();
            if (m_scoringCheckpoint == scorer || m_scoringCheckpoint.endsWith('/' + scorer))
                setQueueOrder(scorer);
        }
    }
    emit scoringFinished(ok);
}

void LabelingPage::generatePairs() {
    std::optional<std::vector<CheckpointChoice>> checkpoints = readCheckpoints();
    if (!checkpoints) return;
    PairGenerationDialog dialog(*m_queue, annotator(), *checkpoints, m_workspace, m_localCli, this);
    if (m_remoteWorkspace) dialog.setRemoteWorkspace(*m_remoteWorkspace);
    dialog.setObjectName("pairGeneration");
    connect(&dialog, &PairGenerationDialog::pairsAdded, this, [this](int count) {
        report(tr("Generated %n pair(s).", "", count));
        if (!m_current) showNext();
        updateStats();
    });
    dialog.exec();
}

bool LabelingPage::exportFile(const QString& path) {
    int64_t count = 0;
    if (!m_errors.run([&] { count = m_queue->exportPreferences(path.toStdString()); }))
        return false;
    report(tr("Exported %n preference(s) to %1.", "", int(count)).arg(path));
    return true;
}

bool LabelingPage::snapshotForRewardModel() {
    if (!m_local) {
        report(
            tr("A snapshot goes into the workspace's folders: export the preferences instead, "
               "or train on the workspace's host."));
        return false;
    }
    QString name = QDateTime::currentDateTime().toString("'labels-'yyyyMMdd-HHmmss'.jsonl'");
    std::filesystem::path path = m_workspace / "datasets" / "labels" / name.toStdString();
    QString shown = QString::fromStdString(path.string());
    store::LabelCounts counts;
    if (!m_errors.run([&] { counts = m_queue->stats().all; })) return false;
    if (counts.numA + counts.numB == 0) {
        report(tr("No pair has an A or B label yet: a reward model needs preferences."));
        return false;
    }
    int64_t count = 0;
    if (!m_errors.run([&] {
            std::filesystem::create_directories(path.parent_path());
            count = m_queue->exportPreferences(path);
        }))
        return false;
    report(tr("Snapshot of %n preference(s) in %1.", "", int(count)).arg(shown));
    emit rewardDataReady(shown);
    return true;
}

void LabelingPage::updateStats() {
    // Labels kept here are counted even while the host, and so the queue's numbers, are away.
    QString kept;
    m_errors.run([&] {
        if (const int64_t unsent = m_queue->unsent(); unsent > 0)
            kept = tr("%n label(s) kept here until the host answers", "", int(unsent));
    });
    m_progress->setText(kept);
    m_errors.run([&] {
        const store::QueueStats stats = m_queue->stats();
        if (m_empty) m_empty->setEmpty(stats.all.numPairs == 0);
        int64_t mine = 0;
        for (const store::AnnotatorProgress& progress : stats.annotators)
            if (progress.annotator == annotator()) mine = progress.counts.numLabeledPairs;
        double minutes = m_session.elapsed() / 60000.0;
        QString progress =
            tr("%1 of %2 pairs labeled · yours: %3 · this session: %4 (%5 a minute)")
                .arg(stats.all.numLabeledPairs)
                .arg(stats.all.numPairs)
                .arg(mine)
                .arg(m_given.size())
                .arg(minutes > 0 ? double(m_given.size()) / minutes : 0.0, 0, 'f', 1);
        m_progress->setText(kept.isEmpty() ? progress : progress + " · " + kept);
        const store::Agreement& agreement = stats.agreement;
        const store::PositionBias& bias = stats.positionBias;
        QString agreementText = agreement.numComparisons > 0
                                    ? tr("agreement κ = %1 over %2 comparisons")
                                          .arg(agreement.kappa, 0, 'f', 2)
                                          .arg(agreement.numComparisons)
                                    : tr("agreement: label pairs twice to measure it");
        QString biasText = bias.numDecisions > 0 ? tr("left side wins %1% of %2 decisions")
                                                       .arg(100 * bias.leftWins, 0, 'f', 0)
                                                       .arg(bias.numDecisions)
                                                 : QString();
        m_quality->setText(biasText.isEmpty() ? agreementText : agreementText + " · " + biasText);
    });
}

}  // namespace strata::ui
