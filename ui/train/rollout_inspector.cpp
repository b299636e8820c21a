#include "ui/train/rollout_inspector.h"

#include "widgets/token_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace strata::ui {

namespace {

QTableWidgetItem* numberItem(double value) {
    auto* item = new QTableWidgetItem(QString::number(value, 'f', 3));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

RolloutInspector::RolloutInspector(store::RunCatalog& runs, QWidget* parent)
    : QWidget(parent),
      m_catalog(runs),
      m_slider(new QSlider(Qt::Horizontal)),
      m_stepLabel(new QLabel),
      m_follow(new QCheckBox(tr("Follow the newest step"))),
      m_table(new QTableWidget),
      m_prompt(new QLabel),
      m_tokens(new widgets::TokenView),
      m_scale(new QLabel),
      m_errors([this](const QString& message) { m_stepLabel->setText(message); }) {
    m_slider->setObjectName("rolloutStep");
    m_stepLabel->setObjectName("rolloutStepLabel");
    m_follow->setObjectName("followRollouts");
    m_follow->setChecked(true);
    m_table->setObjectName("rolloutTable");
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_prompt->setObjectName("rolloutPrompt");
    m_prompt->setWordWrap(true);
    m_prompt->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tokens->setObjectName("rolloutTokens");
    m_scale->setObjectName("rolloutScale");
    m_scale->setWordWrap(true);

    connect(m_slider, &QSlider::valueChanged, this, [this](int index) {
        QSignalBlocker quiet(m_follow);
        m_follow->setChecked(index == m_slider->maximum());
        showIndex(index);
    });
    connect(m_follow, &QCheckBox::toggled, this, [this](bool follow) {
        if (follow && !m_steps.empty()) showIndex(int(m_steps.size()) - 1);
    });
    connect(m_table, &QTableWidget::currentCellChanged, this,
            [this](int row) { showResponse(row); });

    auto* stepRow = new QHBoxLayout;
    stepRow->addWidget(new QLabel(tr("Step")));
    stepRow->addWidget(m_slider, 1);
    stepRow->addWidget(m_stepLabel);
    stepRow->addWidget(m_follow);
    auto* details = new QWidget;
    auto* detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_prompt);
    detailsLayout->addWidget(m_tokens, 1);
    detailsLayout->addWidget(m_scale);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(details);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(stepRow);
    layout->addWidget(splitter, 1);
    showRun(0);
}

void RolloutInspector::showRun(int64_t runId) {
    m_runId = runId;
    m_steps.clear();
    m_record = {};
    {
        QSignalBlocker quiet(m_slider);
        m_slider->setRange(0, 0);
        m_slider->setEnabled(false);
    }
    m_stepLabel->setText(
        tr("No rollouts recorded yet: PPO and GRPO runs record some of each step's responses "
           "(inspect_responses)."));
    fillTable();
    refresh();
}

void RolloutInspector::refresh() {
    if (m_runId == 0) return;
    // Steps only grow (a resumed run records its steps again under the same numbers), so the
    // new ones are those after the last listed; the slider's place stays where it was.
    std::vector<int64_t> added;
    m_errors.run(
        [&] { added = m_catalog.rolloutSteps(m_runId, m_steps.empty() ? 0 : m_steps.back()); });
    if (added.empty()) return;
    m_steps.insert(m_steps.end(), added.begin(), added.end());
    const int last = int(m_steps.size()) - 1;
    {
        QSignalBlocker quiet(m_slider);
        m_slider->setEnabled(true);
        m_slider->setRange(0, last);
    }
    if (m_follow->isChecked() || m_record.step == 0) showIndex(last);
}

void RolloutInspector::showStep(int64_t step) {
    auto found = std::lower_bound(m_steps.begin(), m_steps.end(), step);
    if (found == m_steps.end() || *found != step) return;
    const int index = int(found - m_steps.begin());
    {
        QSignalBlocker quiet(m_follow);
        m_follow->setChecked(index == int(m_steps.size()) - 1);
    }
    showIndex(index);
}

void RolloutInspector::selectResponse(int row) {
    m_table->selectRow(row);
}

void RolloutInspector::showIndex(int index) {
    if (index < 0 || index >= int(m_steps.size())) return;
    {
        QSignalBlocker quiet(m_slider);
        m_slider->setValue(index);
    }
    const int64_t step = m_steps[size_t(index)];
    std::optional<store::RolloutRow> row;
    m_errors.run([&] { row = m_catalog.rollouts(m_runId, step); });
    if (!row) return;  // the run was resumed and the step dropped since the list was read
    const int selected = std::max(m_table->currentRow(), 0);
    m_record = parseRolloutRecord(QByteArray::fromStdString(row->dataJson));
    m_record.step = step;
    m_stepLabel->setText(
        tr("step %1 (%2 of %3)").arg(step).arg(index + 1).arg(qsizetype(m_steps.size())));
    fillTable();
    if (!m_record.samples.isEmpty())
        m_table->selectRow(std::min(selected, int(m_record.samples.size()) - 1));
}

void RolloutInspector::fillTable() {
    QSignalBlocker quiet(m_table);
    QStringList headers{tr("Reward")};
    for (const RolloutPart& part : m_record.parts)
        headers << tr("%1 ×%2").arg(part.name).arg(part.weight);
    const bool advantages = m_record.hasAdvantages();
    if (advantages) headers << tr("Advantage");
    if (m_record.hasKl()) headers << tr("KL (sum)");
    headers << tr("Tokens") << tr("Response");
    m_table->clear();
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(int(m_record.samples.size()));
    for (int row = 0; row < int(m_record.samples.size()); ++row) {
        const RolloutSample& sample = m_record.samples[row];
        int column = 0;
        m_table->setItem(row, column++, numberItem(sample.reward));
        for (double part : sample.parts)
            m_table->setItem(row, column++, numberItem(part));
        if (advantages) m_table->setItem(row, column++, numberItem(sample.advantage.value_or(0)));
        if (m_record.hasKl()) m_table->setItem(row, column++, numberItem(sample.klSum()));
        m_table->setItem(row, column++,
                         new QTableWidgetItem(QString::number(sample.tokens.size())));
        auto* response = new QTableWidgetItem(sample.response.simplified());
        response->setToolTip(sample.response);
        m_table->setItem(row, column, response);
    }
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->resizeColumnsToContents();
    showResponse(-1);
}

void RolloutInspector::showResponse(int row) {
    if (row < 0 || row >= int(m_record.samples.size())) {
        m_prompt->clear();
        m_tokens->setTokens({});
        m_scale->clear();
        return;
    }
    const RolloutSample& sample = m_record.samples[row];
    // The prompt is the chat template's rendering, markup and line breaks as the policy read them.
    QString prompt = tr("<b>Prompt</b>, as the chat template renders it:") +
                     QStringLiteral("<pre style=\"white-space: pre-wrap\">%1</pre>")
                         .arg(sample.prompt.toHtmlEscaped());
    if (!sample.reference.isEmpty())
        prompt += tr("<b>Reference:</b> %1").arg(sample.reference.toHtmlEscaped());
    m_prompt->setText(prompt);

    const double top = m_record.maxAbsKl();
    QList<widgets::TokenPiece> pieces;
    for (qsizetype i = 0; i < sample.tokens.size(); ++i) {
        widgets::TokenPiece piece;
        piece.bytes = sample.tokens[i].toUtf8();
        if (i < sample.kl.size()) {
            piece.heat = top > 0 ? std::abs(sample.kl[i]) / top : 0.0;
            piece.note = tr("KL %1").arg(sample.kl[i], 0, 'g', 4);
        } else {
            piece.note = tr("token %1 of %2").arg(i + 1).arg(sample.tokens.size());
        }
        pieces.append(piece);
    }
    m_tokens->setTokens(pieces);
    m_scale->setText(m_record.hasKl()
                         ? tr("Shading: each token's KL to the reference (%1 estimator), from 0 "
                              "(pale) to %2 (red), the largest of this step's responses.")
                               .arg(m_record.klEstimator)
                               .arg(top, 0, 'g', 3)
                         : tr("No KL recorded: the run has no reference model (grpo.beta = 0)."));
}

}  // namespace strata::ui
