#include "ui/labeling/labeling_page.h"

#include "core/common/workspace_paths.h"
#include "core/store/label_review.h"
#include "ui/common/checkpoint_choices.h"
#include "ui/common/cli_job.h"
#include "ui/labeling/pair_generation_dialog.h"
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
      m_store(historyFile),
      m_annotator(new QLineEdit),
      m_labelsPerPair(new QSpinBox),
      m_queueOrder(new QComboBox),
      m_compare(new widgets::PairCompare),
      m_rationale(new QLineEdit),
      m_progress(new QLabel),
      m_quality(new QLabel),
      m_message(new QLabel),
      m_errors([this](const QString& message) { report(message); }) {
    m_annotator->setObjectName("annotator");
    m_annotator->setPlaceholderText(tr("your name"));
    m_annotator->setText(QSettings().value("labeling/annotator").toString());
    connect(m_annotator, &QLineEdit::editingFinished, this, [this] {
        QSettings().setValue("labeling/annotator", m_annotator->text().trimmed());
        showNext();
    });
    m_labelsPerPair->setObjectName("labelsPerPair");
    m_labelsPerPair->setRange(1, 5);
    m_labelsPerPair->setToolTip(
        tr("How many annotators label each pair (2 or more measures "
           "agreement)"));
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
    if (!m_localCli.empty()) {
        auto* generateButton = new QPushButton(tr("Generate Pairs…"));
        generateButton->setObjectName("generatePairs");
        generateButton->setToolTip(
            tr("Answer a prompt set with two checkpoints and queue the "
               "answers as pairs"));
        connect(generateButton, &QPushButton::clicked, this, &LabelingPage::generatePairs);
        top->addWidget(generateButton);
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
    m_empty = new widgets::EmptyState(
        pairPane, tr("No pairs to label yet"),
        tr("Annotators choose the better of two answers to one prompt here, and their choices "
           "train a reward model or DPO. Generate pairs with two checkpoints, or import pairs "
           "from a JSONL file."));
    m_empty->setObjectName("labelingEmpty");
    if (!m_localCli.empty())
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
    const std::string annotator = m_annotator->text().trimmed().toStdString();
    m_current.reset();
    if (annotator.empty()) {
        m_compare->clear(tr("Enter your name to start labeling."));
        updateStats();
        return;
    }
    std::optional<store::PreferencePair> next;
    if (!m_errors.run([&] {
            next =
                m_store.claimNext(annotator, m_labelsPerPair->value(), queueOrder().toStdString());
        })) {
        m_compare->clear();  // no pair is the annotator's until the store answers again
        return;
    }
    if (!next) {
        m_compare->clear(tr("No pairs left to label. Import pairs (JSONL) to add more."));
        updateStats();
        return;
    }
    // Which response goes left is a coin flip per pair, recorded with the label, so a
    // preference for one side shows up as position bias instead of in the data.
    showPair(*next, QRandomGenerator::global()->bounded(2) == 1);
}

void LabelingPage::give(Verdict verdict) {
    if (!m_current) return;
    const std::string annotator = m_annotator->text().trimmed().toStdString();
    store::Choice choice = store::Choice::Skip;
    if (verdict == Verdict::Tie) choice = store::Choice::Tie;
    // The verdict is about sides; the label is about responses A and B of the pair.
    if (verdict == Verdict::Left) choice = m_swapped ? store::Choice::B : store::Choice::A;
    if (verdict == Verdict::Right) choice = m_swapped ? store::Choice::A : store::Choice::B;
    if (!m_errors.run([&] {
            m_store.label(m_current->id, annotator, choice, m_rationale->text().toStdString(),
                          m_swapped);
        }))
        return;
    m_given.push_back({*m_current, m_swapped});
    report({});
    showNext();
}

void LabelingPage::undo() {
    if (m_given.empty()) return;
    Given last = m_given.back();
    if (!m_errors.run(
            [&] { m_store.unlabel(last.pair.id, m_annotator->text().trimmed().toStdString()); }))
        return;
    m_given.pop_back();
    showPair(last.pair, last.swapped);
}

bool LabelingPage::importFile(const QString& path) {
    int64_t count = 0;
    if (!m_errors.run([&] { count = m_store.importPreferences(path.toStdString()); })) return false;
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
        for (const std::string& scorer : m_store.scorers())
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
        report(tr("No checkpoint on this machine to score with: train a reward model first."));
        return;
    }
    bool ok = false;
    QString chosen = QInputDialog::getItem(this, tr("Score Pairs"),
                                           tr("A reward run's checkpoint:"), labels, 0, false, &ok);
    if (ok) scorePairs(folders[labels.indexOf(chosen)]);
}

bool LabelingPage::scorePairs(const QString& checkpoint) {
    if (m_scoring || m_localCli.empty()) return false;
    m_scoring = true;
    if (m_scoreButton) m_scoreButton->setEnabled(false);
    report(tr("Scoring the unlabeled pairs with %1…").arg(checkpoint));
    auto* job = new CliJob(m_localCli, this);
    connect(job, &CliJob::progress, this,
            [this](int percent) { report(tr("Scoring the unlabeled pairs: %1%").arg(percent)); });
    connect(job, &CliJob::finished, this, [this, job, checkpoint](bool ok, const QString& last) {
        job->deleteLater();
        m_scoring = false;
        if (m_scoreButton) m_scoreButton->setEnabled(true);
        report(last);
        if (ok) {
            listQueueOrders();
            setQueueOrder(QString::fromStdString(
                common::workspaceRelative(checkpoint.toStdString(), m_workspace)));
        }
        emit scoringFinished(ok);
    });
    job->start({"labels", "score", "--reward-model", checkpoint, "--workspace",
                QString::fromStdString(m_workspace.string())});
    return true;
}

void LabelingPage::generatePairs() {
    std::optional<std::vector<CheckpointChoice>> checkpoints = readCheckpoints();
    if (!checkpoints) return;
    PairGenerationDialog dialog(m_store, *checkpoints, m_workspace, m_localCli, this);
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
    if (!m_errors.run([&] { count = m_store.exportPreferences(path.toStdString()); })) return false;
    report(tr("Exported %n preference(s) to %1.", "", int(count)).arg(path));
    return true;
}

bool LabelingPage::snapshotForRewardModel() {
    QString name = QDateTime::currentDateTime().toString("'labels-'yyyyMMdd-HHmmss'.jsonl'");
    std::filesystem::path path = m_workspace / "datasets" / "labels" / name.toStdString();
    QString shown = QString::fromStdString(path.string());
    store::LabelCounts counts;
    if (!m_errors.run([&] { counts = m_store.counts(); })) return false;
    if (counts.numA + counts.numB == 0) {
        report(tr("No pair has an A or B label yet: a reward model needs preferences."));
        return false;
    }
    int64_t count = 0;
    if (!m_errors.run([&] {
            std::filesystem::create_directories(path.parent_path());
            count = m_store.exportPreferences(path);
        }))
        return false;
    report(tr("Snapshot of %n preference(s) in %1.", "", int(count)).arg(shown));
    emit rewardDataReady(shown);
    return true;
}

void LabelingPage::updateStats() {
    m_errors.run([this] {
        const std::string annotator = m_annotator->text().trimmed().toStdString();
        store::LabelCounts all = m_store.counts();
        if (m_empty) m_empty->setEmpty(all.numPairs == 0);
        store::LabelCounts mine =
            annotator.empty() ? store::LabelCounts{} : m_store.counts(annotator);
        double minutes = m_session.elapsed() / 60000.0;
        m_progress->setText(
            tr("%1 of %2 pairs labeled · yours: %3 · this session: %4 (%5 a minute)")
                .arg(all.numLabeledPairs)
                .arg(all.numPairs)
                .arg(mine.numA + mine.numB + mine.numTie + mine.numSkip)
                .arg(m_given.size())
                .arg(minutes > 0 ? double(m_given.size()) / minutes : 0.0, 0, 'f', 1));
        store::Agreement agreement = store::LabelReview(m_store).agreement();
        store::PositionBias bias = m_store.positionBias();
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
