#include "ui/model/import_model_dialog.h"

#include "core/common/workspace_paths.h"
#include "ui/common/icons.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>

namespace strata::ui {

namespace fs = std::filesystem;

ImportModelDialog::ImportModelDialog(fs::path localCli, fs::path workspace, QWidget* parent)
    : CliJobDialog(std::move(localCli), tr("&Import"), parent),
      m_workspace(std::move(workspace)),
      m_source(new QLineEdit),
      m_name(new QLineEdit) {
    setWindowTitle(tr("Import Model"));
    m_source->setObjectName("source");
    m_source->setPlaceholderText(
        tr("a Hugging Face model folder (config.json, safetensors, tokenizer.json) or a .gguf "
           "file"));
    m_name->setObjectName("name");
    m_name->setToolTip(
        tr("The folder under models/ in this workspace; an earlier import of the "
           "same name is replaced"));
    auto* folder = new QPushButton(tr("&Folder…"));
    folder->setObjectName("browseFolder");
    auto* file = new QPushButton(tr("&GGUF File…"));
    file->setObjectName("browseFile");
    connect(folder, &QPushButton::clicked, this, [this] {
        QString path = QFileDialog::getExistingDirectory(this, tr("Hugging Face Model Folder"));
        if (!path.isEmpty()) setSource(path);
    });
    connect(file, &QPushButton::clicked, this, [this] {
        QString path = QFileDialog::getOpenFileName(this, tr("GGUF File"), {},
                                                    tr("GGUF files (*.gguf);;All files (*)"));
        if (!path.isEmpty()) setSource(path);
    });
    connect(m_source, &QLineEdit::textEdited, this, [this](const QString& text) {
        if (!m_nameEdited) m_name->setText(nameFor(text));
    });
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameEdited = true; });
    auto* sourceRow = new QHBoxLayout;
    sourceRow->addWidget(m_source, 1);
    sourceRow->addWidget(folder);
    sourceRow->addWidget(file);
    form()->addRow(tr("Model"), sourceRow);
    form()->addRow(tr("Name in models/"), m_name);
    actionButton()->setIcon(studioIcon(StudioIcon::Import));
    connect(actionButton(), &QPushButton::clicked, this, &ImportModelDialog::startImport);
    resize(640, sizeHint().height());
}

QString ImportModelDialog::nameFor(const QString& source) {
    QFileInfo info(QDir::cleanPath(source));
    QString name = info.suffix().compare("gguf", Qt::CaseInsensitive) == 0 ? info.completeBaseName()
                                                                           : info.fileName();
    name = name.toLower().replace(QRegularExpression("[^a-z0-9._-]+"), "-");
    name.remove(QRegularExpression("^[.-]+"));
    return name;
}

void ImportModelDialog::setSource(const QString& path) {
    m_source->setText(path);
    if (!m_nameEdited) m_name->setText(nameFor(path));
}

void ImportModelDialog::setName(const QString& name) {
    m_name->setText(name);
    m_nameEdited = true;
}

bool ImportModelDialog::startImport() {
    const QString source = m_source->text().trimmed();
    const QString name = m_name->text().trimmed();
    const QFileInfo info(source);
    if (source.isEmpty()) {
        showMessage(tr("Choose a Hugging Face model folder or a GGUF file to import."));
        return false;
    }
    if (!info.exists()) {
        showMessage(tr("%1: no such folder or file").arg(source));
        return false;
    }
    if (!info.isDir() && info.suffix().compare("gguf", Qt::CaseInsensitive) != 0) {
        showMessage(tr("%1 is neither a model folder nor a .gguf file").arg(source));
        return false;
    }
    if (!common::isPlainName(name.toStdString())) {
        showMessage(
            tr("\"%1\" cannot name a folder: use letters, digits, '.', '_' and '-'").arg(name));
        return false;
    }
    m_target = QString::fromStdString(
        (common::modelsFolder(m_workspace) / name.toStdString()).lexically_normal().string());
    runCommand({"import", info.absoluteFilePath(), "-o", m_target},
               tr("Importing %1 into models/%2…").arg(info.fileName(), name));
    return true;
}

void ImportModelDialog::commandFinished(bool ok, const QString& lastLine) {
    if (!ok) {
        CliJobDialog::commandFinished(ok, lastLine);
        return;
    }
    showMessage(tr("Imported into %1").arg(m_target));
    emit imported(m_target);
}

}  // namespace strata::ui
