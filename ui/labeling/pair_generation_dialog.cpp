#include "ui/labeling/pair_generation_dialog.h"

#include "core/data/prompt_set.h"
#include "ui/common/sampling_form.h"
#include "ui/labeling/pair_generator.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace strata::ui {

PairGenerationDialog::PairGenerationDialog(store::LabelQueue& queue, std::string by,
                                           std::vector<CheckpointChoice> checkpoints,
                                           std::filesystem::path workspace,
                                           std::filesystem::path localCli, QWidget* parent)
    : QDialog(parent),
      m_queue(queue),
      m_by(std::move(by)),
      m_checkpoints(std::move(checkpoints)),
      m_checkpointA(new QComboBox),
      m_checkpointB(new QComboBox),
      m_prompts(new QLineEdit),
      m_sampling(new SamplingForm("pair_generation", /*chat=*/true)),
      m_progress(new QProgressBar),
      m_message(new QLabel),
      m_generate(new QPushButton(tr("&Generate"))),
      m_generator(new PairGenerator(std::move(localCli), workspace, this)) {
    setWindowTitle(tr("Generate Preference Pairs"));
    m_checkpointA->setObjectName("checkpointA");
    m_checkpointB->setObjectName("checkpointB");
    fillCheckpointBox(m_checkpointA, m_checkpoints);
    fillCheckpointBox(m_checkpointB, m_checkpoints);
    if (m_checkpoints.size() > 1) m_checkpointB->setCurrentIndex(1);
    m_checkpointB->setToolTip(
        tr("The same checkpoint on both sides samples side B with the "
           "next seed"));
    m_prompts->setObjectName("promptSet");
    m_prompts->setPlaceholderText(
        tr("prompts.jsonl ({\"prompt\": …} a line) or a text file, "
           "one prompt a line"));
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this, workspace] {
        QString path = QFileDialog::getOpenFileName(
            this, tr("Prompt Set"), QString::fromStdString(workspace.string()),
            tr("Prompt sets (*.jsonl *.txt);;All files (*)"));
        if (!path.isEmpty()) m_prompts->setText(path);
    });
    auto* promptRow = new QHBoxLayout;
    promptRow->addWidget(m_prompts, 1);
    promptRow->addWidget(browse);
    m_progress->setObjectName("progress");
    m_message->setObjectName("message");
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_generate->setObjectName("generateButton");
    m_generate->setDefault(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Checkpoint A"), m_checkpointA);
    form->addRow(tr("Checkpoint B"), m_checkpointB);
    form->addRow(tr("Prompt set"), promptRow);
    form->addRow(m_sampling);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_generate, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_generate, &QPushButton::clicked, this, &PairGenerationDialog::generate);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(640, sizeHint().height());

    connect(m_generator, &PairGenerator::progress, this, [this](int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
    });
    connect(m_generator, &PairGenerator::finished, this, &PairGenerationDialog::finish);
    connect(m_generator, &PairGenerator::failed, this, [this](const QString& message) {
        showMessage(tr("Nothing was added: %1").arg(message));
        m_generate->setEnabled(true);
    });
    if (m_checkpoints.empty()) {
        m_generate->setEnabled(false);
        showMessage(tr("No checkpoint yet: train a run first (Train page)."));
    }
}

PairGenerationDialog::~PairGenerationDialog() = default;

void PairGenerationDialog::setRemoteWorkspace(proto::WorkerTarget workspace) {
    m_generator->setRemoteWorkspace(std::move(workspace));
}

bool PairGenerationDialog::generate() {
    if (m_generator->running()) return false;
    int a = m_checkpointA->currentIndex();
    int b = m_checkpointB->currentIndex();
    if (a < 0 || b < 0) return false;
    std::vector<std::string> prompts;
    try {
        QString path = m_prompts->text().trimmed();
        if (path.isEmpty()) {
            showMessage(tr("Choose a prompt set first."));
            return false;
        }
        prompts = data::readPromptSet(path.toStdString());
    } catch (const std::exception& error) {
        showMessage(QString::fromUtf8(error.what()));
        return false;
    }
    m_sampling->save();
    showMessage(tr("Generating answers to %n prompt(s) on both sides…", "", int(prompts.size())));
    m_generate->setEnabled(false);
    return m_generator->start(m_checkpoints[size_t(a)], m_checkpoints[size_t(b)], prompts,
                              m_sampling->options(), m_sampling->chat());
}

void PairGenerationDialog::finish(int leftOut) {
    m_generate->setEnabled(true);
    const std::vector<store::PreferencePair>& pairs = m_generator->pairs();
    if (pairs.empty() && leftOut == 0) {
        showMessage(tr("Cancelled; nothing was added."));
        return;
    }
    try {
        m_queue.addPairs(pairs, m_by);
    } catch (const std::exception& error) {
        showMessage(tr("Nothing was added: %1").arg(QString::fromUtf8(error.what())));
        return;
    }
    QString text = tr("Added %n pair(s) to the queue.", "", int(pairs.size()));
    if (leftOut > 0)
        text += ' ' +
                tr("%n left out: an empty answer, or the same answer on both sides.", "", leftOut);
    showMessage(text);
    emit pairsAdded(int(pairs.size()));
}

void PairGenerationDialog::reject() {
    m_generator->cancel();
    QDialog::reject();
}

QString PairGenerationDialog::messageText() const {
    return m_message->text();
}

bool PairGenerationDialog::running() const {
    return m_generator->running();
}

void PairGenerationDialog::showMessage(const QString& text) {
    m_message->setText(text);
}

}  // namespace strata::ui
