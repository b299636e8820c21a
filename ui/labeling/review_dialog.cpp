#include "ui/labeling/review_dialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace strata::ui {

namespace {

QTableWidget* table(const char* name, const QStringList& headers) {
    auto* view = new QTableWidget(0, int(headers.size()));
    view->setObjectName(name);
    view->setHorizontalHeaderLabels(headers);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

void setRow(QTableWidget* view, int row, const QStringList& cells) {
    for (int column = 0; column < int(cells.size()); ++column)
        view->setItem(row, column, new QTableWidgetItem(cells[column]));
}

QString text(const std::string& value) {
    return QString::fromStdString(value);
}

}  // namespace

ReviewDialog::ReviewDialog(store::LabelQueue& queue, std::string reviewer, QWidget* parent)
    : QDialog(parent),
      m_queue(queue),
      m_reviewer(std::move(reviewer)),
      m_annotators(table("annotators", {tr("Annotator"), tr("Labels"), tr("A"), tr("B"), tr("Tie"),
                                        tr("Skip"), tr("Seconds a label"), tr("Last labeled")})),
      m_agreements(table("agreements", {tr("Annotator"), tr("Annotator"), tr("Pairs both decided"),
                                        tr("Agree"), tr("κ")})),
      m_disagreementList(new QListWidget),
      m_disagreement(new QTextBrowser),
      m_note(new QLineEdit),
      m_message(new QLabel),
      m_errors([this](const QString& message) { m_message->setText(message); }) {
    setWindowTitle(tr("Team"));
    m_disagreementList->setObjectName("disagreementList");
    m_disagreement->setObjectName("disagreement");
    m_note->setObjectName("decisionNote");
    m_note->setPlaceholderText(tr("why (optional)"));
    m_message->setObjectName("message");
    m_message->setWordWrap(true);
    connect(m_disagreementList, &QListWidget::currentRowChanged, this,
            &ReviewDialog::showDisagreement);

    auto* decisions = new QHBoxLayout;
    decisions->addWidget(m_note, 1);
    const std::pair<QString, store::Choice> buttons[] = {{tr("A is better"), store::Choice::A},
                                                         {tr("B is better"), store::Choice::B},
                                                         {tr("Tie"), store::Choice::Tie}};
    for (const auto& [label, choice] : buttons) {
        auto* button = new QPushButton(label);
        connect(button, &QPushButton::clicked, this, [this, choice] { decide(choice); });
        decisions->addWidget(button);
    }
    auto* decisionPane = new QWidget;
    auto* decisionLayout = new QVBoxLayout(decisionPane);
    decisionLayout->setContentsMargins(0, 0, 0, 0);
    decisionLayout->addWidget(m_disagreement, 1);
    decisionLayout->addLayout(decisions);
    auto* splitter = new QSplitter;
    splitter->addWidget(m_disagreementList);
    splitter->addWidget(decisionPane);
    splitter->setStretchFactor(1, 2);

    auto* tabs = new QTabWidget;
    tabs->addTab(m_annotators, tr("Annotators"));
    tabs->addTab(m_agreements, tr("Agreement"));
    tabs->addTab(splitter, tr("Disagreements"));
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs, 1);
    layout->addWidget(m_message);
    layout->addWidget(close);
    resize(820, 520);
    reload();
}

void ReviewDialog::reload() {
    m_errors.run([this] {
        const store::QueueStats stats = m_queue.stats();
        m_annotators->setRowCount(int(stats.annotators.size()));
        for (int row = 0; row < int(stats.annotators.size()); ++row) {
            const store::AnnotatorProgress& progress = stats.annotators[size_t(row)];
            const store::LabelCounts& counts = progress.counts;
            setRow(m_annotators, row,
                   {text(progress.annotator), QString::number(counts.numLabeledPairs),
                    QString::number(counts.numA), QString::number(counts.numB),
                    QString::number(counts.numTie), QString::number(counts.numSkip),
                    progress.secondsPerLabel > 0 ? QString::number(progress.secondsPerLabel, 'f', 1)
                                                 : QStringLiteral("–"),
                    QDateTime::fromSecsSinceEpoch(qint64(progress.lastLabeledAt))
                        .toString("yyyy-MM-dd HH:mm")});
        }
        m_agreements->setRowCount(int(stats.agreements.size()));
        for (int row = 0; row < int(stats.agreements.size()); ++row) {
            const store::AnnotatorAgreement& pair = stats.agreements[size_t(row)];
            setRow(m_agreements, row,
                   {text(pair.first), text(pair.second),
                    QString::number(pair.agreement.numComparisons),
                    QString::number(100 * pair.agreement.observed, 'f', 0) + "%",
                    QString::number(pair.agreement.kappa, 'f', 2)});
        }
    });
    m_disagreementList->clear();
    m_disagreements.clear();
    m_disagreement->clear();
    // The owner alone is shown the labels; anyone else is told whose view this is.
    if (!m_errors.run([this] { m_disagreements = m_queue.disagreements(m_reviewer); })) return;
    for (const store::Disagreement& disagreement : m_disagreements) {
        QString prompt = text(disagreement.pair.prompt).simplified();
        if (prompt.size() > 60) prompt = prompt.left(59) + "…";
        m_disagreementList->addItem((disagreement.decision ? "✓ " : "") +
                                    tr("pair %1: %2").arg(disagreement.pair.id).arg(prompt));
    }
    if (!m_disagreements.empty()) m_disagreementList->setCurrentRow(0);
    m_message->setText(m_disagreements.empty()
                           ? tr("No disagreements.")
                           : tr("%n disagreement(s).", "", int(m_disagreements.size())));
}

void ReviewDialog::showDisagreement(int row) {
    if (row < 0 || row >= int(m_disagreements.size())) return;
    const store::Disagreement& disagreement = m_disagreements[size_t(row)];
    QString html = "<h3>" + text(disagreement.pair.prompt).toHtmlEscaped() + "</h3>";
    html += "<p><b>A</b>: " + text(disagreement.pair.responseA).toHtmlEscaped() + "</p>";
    html += "<p><b>B</b>: " + text(disagreement.pair.responseB).toHtmlEscaped() + "</p><ul>";
    for (const store::Label& label : disagreement.labels) {
        html += "<li>" + text(label.annotator).toHtmlEscaped() + ": <b>" +
                store::choiceName(label.choice) + "</b>";
        if (!label.rationale.empty()) html += " — " + text(label.rationale).toHtmlEscaped();
        html += "</li>";
    }
    html += "</ul>";
    if (const std::optional<store::Adjudication>& decision = disagreement.decision)
        html +=
            "<p>" +
            tr("Decided by %1: <b>%2</b> %3")
                .arg(text(decision->reviewer).toHtmlEscaped(), store::choiceName(decision->choice),
                     text(decision->note).toHtmlEscaped()) +
            "</p>";
    m_disagreement->setHtml(html);
}

bool ReviewDialog::decide(store::Choice choice) {
    const int row = m_disagreementList->currentRow();
    if (row < 0 || row >= int(m_disagreements.size())) return false;
    const int64_t pairId = m_disagreements[size_t(row)].pair.id;
    if (!m_errors.run(
            [&] { m_queue.adjudicate(pairId, m_reviewer, choice, m_note->text().toStdString()); }))
        return false;
    m_note->clear();
    reload();
    m_disagreementList->setCurrentRow(std::min(row + 1, m_disagreementList->count() - 1));
    return true;
}

}  // namespace strata::ui
