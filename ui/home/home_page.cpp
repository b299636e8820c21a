#include "ui/home/home_page.h"

#include "core/common/workspace_paths.h"
#include "ui/common/run_state_text.h"

#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

namespace strata::ui {

namespace {

constexpr int kCardWidth = 200;
constexpr int kCardHeight = 170;
constexpr int kArrowWidth = 24;

// A symbol before the status word, so the state reads without colour too.
QString statusMark(StageStatus status) {
    switch (status) {
        case StageStatus::Todo:
            return QStringLiteral("○");
        case StageStatus::InProgress:
            return QStringLiteral("◐");
        case StageStatus::Done:
            return QStringLiteral("●");
        case StageStatus::Failed:
            return QStringLiteral("✕");
    }
    return {};
}

}  // namespace

HomePage::HomePage(store::RunHistory& history, const std::filesystem::path& workspace,
                   QWidget* parent)
    : HomePage(parent) {
    m_localRuns = std::make_unique<store::LocalRunCatalog>(history, workspace);
    m_localLabels = std::make_unique<store::LabelStore>(common::historyFile(workspace));
    m_runs = m_localRuns.get();
    m_files = std::make_shared<store::LocalWorkspaceFiles>(workspace);
    m_labelCounts = [labels = m_localLabels.get()] { return labels->counts(); };
    reload();
}

HomePage::HomePage(store::RunCatalog& runs, std::shared_ptr<store::WorkspaceFiles> files,
                   std::function<store::LabelCounts()> labelCounts, QWidget* parent)
    : HomePage(parent) {
    m_runs = &runs;
    m_files = std::move(files);
    m_labelCounts = std::move(labelCounts);
    m_samples->hide();
}

HomePage::HomePage(QWidget* parent)
    : QWidget(parent),
      m_scroll(new QScrollArea),
      m_grid(new QGridLayout),
      m_pretrainSample(new QPushButton(tr("Pretrain from Scratch"))),
      m_fineTuneSample(new QPushButton(tr("Fine-tune the Real Model"))),
      m_message(new QLabel),
      m_errors([this](const QString& message) { m_message->setText(message); }) {
    setStyleSheet(
        "QFrame[stageCard=\"true\"] { border: 1px solid palette(mid); border-radius: 6px; }"
        "QFrame[stageCard=\"true\"][next=\"true\"] { border: 2px solid palette(highlight); }"
        "QFrame[stageCard=\"true\"] QLabel { border: none; }");
    auto* title = new QLabel(tr("Pipeline"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto* intro = new QLabel(
        tr("Each stage shows what this workspace has for it and what to do next; the outlined "
           "stage comes next."));
    intro->setWordWrap(true);

    auto* cards = new QWidget;
    cards->setObjectName("pipelineCards");
    auto* cardsLayout = new QVBoxLayout(cards);
    cardsLayout->addLayout(m_grid);
    cardsLayout->addStretch();
    m_grid->setHorizontalSpacing(0);
    m_grid->setVerticalSpacing(12);
    for (int index = 0; index < kNumPipelineStages; ++index)
        m_cards.push_back(makeCard(index));
    m_scroll->setObjectName("pipelineScroll");
    m_scroll->setWidget(cards);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_pretrainSample->setObjectName("pretrainSample");
    m_fineTuneSample->setObjectName("fineTuneSample");
    connect(m_pretrainSample, &QPushButton::clicked, this, &HomePage::samplePipelineRequested);
    connect(m_fineTuneSample, &QPushButton::clicked, this, &HomePage::fineTuneSampleRequested);
    auto* samples = new QGroupBox(tr("Sample pipelines"));
    m_samples = samples;
    auto* samplesLayout = new QGridLayout(samples);
    const QString samplesText[] = {
        tr("Cleans the sample corpus, trains its tokenizer, shards it and pretrains a tiny model "
           "on this machine, each stage on its page."),
        tr("Measures the real model imported into models/ on held-out sample tasks, fine-tunes it "
           "with LoRA SFT and then GRPO, and measures it again after each stage."),
    };
    int row = 0;
    for (QPushButton* button : {m_pretrainSample, m_fineTuneSample}) {
        auto* about = new QLabel(samplesText[row]);
        about->setWordWrap(true);
        samplesLayout->addWidget(button, row, 0);
        samplesLayout->addWidget(about, row, 1);
        ++row;
    }
    samplesLayout->setColumnStretch(1, 1);

    m_message->setObjectName("homeMessage");
    m_message->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(samples);
    layout->addWidget(m_message);
    layoutCards();
}

HomePage::~HomePage() = default;

HomePage::Card HomePage::makeCard(int index) {
    Card card{};
    card.frame = new QFrame;
    card.frame->setObjectName(QString("stage-") + pipelineStageId(PipelineStage(index)));
    card.frame->setProperty("stageCard", true);
    card.frame->setProperty("next", false);
    card.frame->setFixedWidth(kCardWidth);
    card.frame->setMinimumHeight(kCardHeight);
    auto* title = new QLabel;
    title->setObjectName("title");
    title->setWordWrap(true);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    card.status = new QLabel;
    card.status->setObjectName("status");
    card.summary = new QLabel;
    card.summary->setObjectName("summary");
    card.summary->setWordWrap(true);
    card.summary->setForegroundRole(QPalette::PlaceholderText);
    card.run = new QLabel;
    card.run->setObjectName("run");
    card.run->setWordWrap(true);
    card.run->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    card.headline = new QLabel;
    card.headline->setObjectName("headline");
    card.headline->setWordWrap(true);
    QFont large = card.headline->font();
    large.setPointSizeF(large.pointSizeF() * 1.15);
    large.setBold(true);
    card.headline->setFont(large);
    card.action = new QPushButton;
    card.action->setObjectName("action");
    card.action->setAutoDefault(false);
    connect(card.action, &QPushButton::clicked, this, [this, index] { act(PipelineStage(index)); });
    connect(card.run, &QLabel::linkActivated, this, [this, index] {
        if (size_t(index) >= m_state.stages().size()) return;  // never read
        const StageState& stage = m_state.stages()[size_t(index)];
        if (stage.latestRun) emit runRequested(stage.latestRun->id);
    });
    auto* layout = new QVBoxLayout(card.frame);
    layout->addWidget(title);
    layout->addWidget(card.status);
    layout->addWidget(card.summary);
    layout->addWidget(card.run);
    layout->addWidget(card.headline);
    layout->addStretch();
    layout->addWidget(card.action);
    if (index + 1 < kNumPipelineStages) {
        card.arrow = new QLabel(QStringLiteral("→"));
        card.arrow->setAlignment(Qt::AlignCenter);
        card.arrow->setFixedWidth(kArrowWidth);
    }
    return card;
}

void HomePage::layoutCards() {
    // The page's width, less its margins and the scroll bar: the viewport is resized after this
    // page's resize event.
    const int available = width() - 2 * layout()->contentsMargins().left() -
                          style()->pixelMetric(QStyle::PM_ScrollBarExtent) - 24;
    const int columns =
        std::clamp((available + kArrowWidth) / (kCardWidth + kArrowWidth), 1, kNumPipelineStages);
    if (columns == m_columns) return;
    m_columns = columns;
    for (const Card& card : m_cards) {
        m_grid->removeWidget(card.frame);
        if (card.arrow) m_grid->removeWidget(card.arrow);
    }
    for (int index = 0; index < kNumPipelineStages; ++index) {
        const Card& card = m_cards[size_t(index)];
        const int row = index / columns;
        const int column = 2 * (index % columns);
        m_grid->addWidget(card.frame, row, column, Qt::AlignTop);
        if (!card.arrow) continue;
        // The last card of a row leads to the first of the next: no arrow across the page.
        const bool endOfRow = index % columns == columns - 1;
        card.arrow->setVisible(!endOfRow);
        if (!endOfRow) m_grid->addWidget(card.arrow, row, column + 1);
    }
    m_grid->setColumnStretch(2 * columns, 1);
}

void HomePage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    reload();
}

void HomePage::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    layoutCards();
}

void HomePage::reload() {
    PipelineState state;
    if (!m_errors.run(
            [&] {
                const store::LabelCounts labels = m_labelCounts();
                state = PipelineState::read({*m_files, *m_runs, labels});
            },
            tr("Cannot read the workspace: %1")))
        return;
    m_state = std::move(state);
    m_message->clear();
    showState();
}

void HomePage::showState() {
    const PipelineStage next = m_state.next();
    for (const StageState& stage : m_state.stages()) {
        const Card& card = m_cards.at(size_t(stage.stage));
        card.frame->findChild<QLabel*>("title")->setText(
            QString("%1. %2").arg(int(stage.stage) + 1).arg(stage.title));
        card.status->setText(statusMark(stage.status) + " " +
                             PipelineState::statusText(stage.status));
        card.summary->setText(stage.summary);
        if (stage.latestRun) {
            card.run->setText(QString("<a href=\"run\">%1</a> · %2")
                                  .arg(stage.latestRun->name.toHtmlEscaped(),
                                       runStateText(stage.latestRun->state)));
            card.run->setToolTip(tr("Show this run on the Train page"));
        } else {
            card.run->clear();
            card.run->setToolTip({});
        }
        card.run->setVisible(stage.latestRun.has_value());
        card.headline->setText(stage.headline);
        card.headline->setVisible(!stage.headline.isEmpty());
        card.action->setText(stage.action.text);
        const bool isNext = stage.stage == next;
        if (card.frame->property("next").toBool() != isNext) {
            card.frame->setProperty("next", isNext);
            card.frame->style()->unpolish(card.frame);
            card.frame->style()->polish(card.frame);
        }
    }
}

void HomePage::act(PipelineStage stage) {
    if (size_t(stage) >= m_state.stages().size()) return;  // never read
    const StageAction& action = m_state.stage(stage).action;
    switch (action.kind) {
        case StageAction::Kind::ShowPage:
            emit pageRequested(action.page);
            break;
        case StageAction::Kind::NewConfig:
            emit newConfigRequested(action.stage, action.values);
            break;
        case StageAction::Kind::TrainRewardModel:
            emit rewardModelRequested();
            break;
        case StageAction::Kind::FineTune:
            emit fineTuneRequested(action.values);
            break;
    }
}

void HomePage::setSamplesRunning(bool running) {
    m_pretrainSample->setEnabled(!running);
    m_fineTuneSample->setEnabled(!running);
}

QString HomePage::message() const {
    return m_message->text();
}

}  // namespace strata::ui
