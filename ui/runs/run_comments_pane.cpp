#include "ui/runs/run_comments_pane.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace strata::ui {

RunCommentsPane::RunCommentsPane(store::RunCatalog& runs, ErrorReporter& errors, QWidget* parent)
    : QWidget(parent),
      m_catalog(runs),
      m_errors(errors),
      m_comments(new QTextBrowser),
      m_editor(new QPlainTextEdit),
      m_add(new QPushButton(tr("Pos&t"))) {
    m_comments->setObjectName("runComments");
    m_comments->setPlaceholderText(tr("No comments on this run yet."));
    m_editor->setObjectName("newComment");
    m_editor->setMaximumHeight(m_editor->fontMetrics().lineSpacing() * 4);
    m_add->setObjectName("addComment");
    connect(m_add, &QPushButton::clicked, this, &RunCommentsPane::addComment);

    auto* addRow = new QHBoxLayout;
    addRow->addWidget(m_editor, 1);
    addRow->addWidget(m_add, 0, Qt::AlignBottom);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_comments, 1);
    layout->addLayout(addRow);
    showRun(std::nullopt);
}

void RunCommentsPane::showRun(std::optional<int64_t> runId) {
    m_runId = runId;
    m_comments->clear();
    m_editor->setEnabled(runId.has_value());
    m_add->setEnabled(runId.has_value());
    if (!runId) return;
    std::vector<store::RunComment> comments;
    std::string author;
    if (!m_errors.run([&] {
            comments = m_catalog.comments(*runId);
            author = m_catalog.identity();
        }))
        return;
    m_editor->setPlaceholderText(
        tr("Say something about this run, as %1").arg(QString::fromStdString(author)));
    QString html;
    for (const store::RunComment& comment : comments) {
        const QString when = QDateTime::fromSecsSinceEpoch(qint64(comment.createdAt))
                                 .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        html += QStringLiteral("<p><b>%1</b> · %2<br>%3</p>")
                    .arg(QString::fromStdString(comment.author).toHtmlEscaped(), when,
                         QString::fromStdString(comment.body)
                             .toHtmlEscaped()
                             .replace('\n', QStringLiteral("<br>")));
    }
    m_comments->setHtml(html);
}

void RunCommentsPane::addComment() {
    const QString text = m_editor->toPlainText().trimmed();
    if (!m_runId || text.isEmpty()) return;
    if (!m_errors.run([&] { m_catalog.addComment(*m_runId, {}, text.toStdString()); })) return;
    m_editor->clear();
    showRun(m_runId);
}

}  // namespace strata::ui
