#include "ui/common/export_model_dialog.h"
#include "ui/common/icons.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace strata::ui {

namespace fs = std::filesystem;

ExportModelDialog::ExportModelDialog(fs::path localCli, fs::path workspace, QString checkpoint,
                                     QString name, QWidget* parent)
    : CliJobDialog(std::move(localCli), tr("&Export"), parent),
      m_workspace(std::move(workspace)),
      m_checkpoint(std::move(checkpoint)),
      m_name(std::move(name)),
      m_format(new QComboBox),
      m_type(new QComboBox),
      m_destination(new QLineEdit) {
    setWindowTitle(tr("Export Model"));
    m_format->setObjectName("format");
    m_format->addItem(tr("Hugging Face folder (transformers)"), "hf");
    m_format->addItem(tr("GGUF file (llama.cpp, Ollama)"), "gguf");
    m_type->setObjectName("type");
    m_type->addItem(tr("f16: half precision"), "f16");
    m_type->addItem(tr("bf16: bfloat16"), "bf16");
    m_type->addItem(tr("q8_0: 8-bit, about half the size of f16"), "q8_0");
    m_destination->setObjectName("destination");
    connect(m_destination, &QLineEdit::textEdited, this, [this] { m_destinationEdited = true; });
    auto* browse = new QPushButton(tr("Browse…"));
    browse->setObjectName("browse");
    connect(browse, &QPushButton::clicked, this, [this] {
        QString path =
            m_format->currentData() == "gguf"
                ? QFileDialog::getSaveFileName(this, tr("GGUF File"), destination(),
                                               tr("GGUF files (*.gguf)"))
                : QFileDialog::getExistingDirectory(this, tr("Hugging Face Folder"),
                                                    QFileInfo(destination()).absolutePath());
        if (!path.isEmpty()) setDestination(path);
    });
    auto* source = new QLabel(m_checkpoint);
    source->setObjectName("checkpoint");
    source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    source->setWordWrap(true);
    auto* destinationRow = new QHBoxLayout;
    destinationRow->addWidget(m_destination, 1);
    destinationRow->addWidget(browse);
    form()->addRow(tr("Model"), source);
    form()->addRow(tr("Format"), m_format);
    form()->addRow(tr("Weights"), m_type);
    form()->addRow(tr("Write to"), destinationRow);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportModelDialog::formatChanged);
    actionButton()->setIcon(studioIcon(StudioIcon::Export));
    connect(actionButton(), &QPushButton::clicked, this, &ExportModelDialog::startExport);
    formatChanged();
    resize(640, sizeHint().height());
}

QStringList ExportModelDialog::ggufTypes() {
    return {"f16", "bf16", "q8_0"};
}

QString ExportModelDialog::defaultDestination() const {
    QString path = QString::fromStdString((m_workspace / "exports").string()) + "/" + m_name;
    return m_format->currentData() == "gguf" ? path + ".gguf" : path;
}

void ExportModelDialog::formatChanged() {
    const bool gguf = m_format->currentData() == "gguf";
    m_type->setEnabled(gguf);
    if (!m_destinationEdited) {
        m_destination->setText(defaultDestination());
    } else if (gguf && !m_destination->text().endsWith(".gguf")) {
        m_destination->setText(m_destination->text() + ".gguf");
    } else if (!gguf && m_destination->text().endsWith(".gguf")) {
        m_destination->setText(m_destination->text().chopped(5));
    }
}

void ExportModelDialog::setFormat(const QString& format) {
    if (int index = m_format->findData(format); index >= 0) m_format->setCurrentIndex(index);
}

void ExportModelDialog::setType(const QString& type) {
    if (int index = m_type->findData(type); index >= 0) m_type->setCurrentIndex(index);
}

void ExportModelDialog::setDestination(const QString& path) {
    m_destination->setText(path);
    m_destinationEdited = true;
}

QString ExportModelDialog::destination() const {
    return m_destination->text().trimmed();
}

bool ExportModelDialog::startExport() {
    const QString target = destination();
    const bool gguf = m_format->currentData() == "gguf";
    if (target.isEmpty()) {
        showMessage(tr("Choose where to write the export."));
        return false;
    }
    if (gguf && !target.endsWith(".gguf")) {
        showMessage(tr("A GGUF file's name ends in .gguf"));
        return false;
    }
    m_target = QDir::cleanPath(QFileInfo(target).absoluteFilePath());
    // The command writes into the folder the export goes in; it does not make that folder.
    QDir().mkpath(QFileInfo(m_target).absolutePath());
    QStringList arguments{"export", "--checkpoint", m_checkpoint};
    if (gguf)
        arguments << "--format"
                  << "gguf"
                  << "--type" << m_type->currentData().toString();
    arguments << "-o" << m_target;
    runCommand(arguments, tr("Exporting to %1…").arg(m_target));
    return true;
}

void ExportModelDialog::commandFinished(bool ok, const QString& lastLine) {
    if (!ok) {
        CliJobDialog::commandFinished(ok, lastLine);
        return;
    }
    if (m_format->currentData() == "gguf")
        showMessage(tr("Wrote %1, and its Modelfile beside it: %2 (ollama create NAME -f "
                       "Modelfile)")
                        .arg(m_target, QFileInfo(m_target).absolutePath() + "/Modelfile"));
    else
        showMessage(tr("Wrote the Hugging Face folder %1").arg(m_target));
    emit exported(m_target);
}

}  // namespace strata::ui
