#include "ui/common/workspace_file_dialog.h"

#include "core/store/workspace_files.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace strata::ui {

namespace {

constexpr int kFolderRole = Qt::UserRole;

}  // namespace

QStringList chooseWorkspacePaths(QWidget* parent, store::WorkspaceFiles& files, FileChoice choice,
                                 const QString& title, const QString& filter) {
    if (!files.isLocal()) {
        WorkspaceFileDialog dialog(files, choice, title, parent);
        return dialog.exec() == QDialog::Accepted ? dialog.chosen() : QStringList();
    }
    const QString start = QString::fromStdString(files.address());
    switch (choice) {
        case FileChoice::File: {
            QString file = QFileDialog::getOpenFileName(parent, title, start, filter);
            return file.isEmpty() ? QStringList() : QStringList{file};
        }
        case FileChoice::Files:
            return QFileDialog::getOpenFileNames(parent, title, start, filter);
        case FileChoice::Folder: {
            QString folder = QFileDialog::getExistingDirectory(parent, title, start);
            return folder.isEmpty() ? QStringList() : QStringList{folder};
        }
    }
    return {};
}

WorkspaceFileDialog::WorkspaceFileDialog(store::WorkspaceFiles& files, FileChoice choice,
                                         const QString& title, QWidget* parent)
    : QDialog(parent),
      m_files(files),
      m_choice(choice),
      m_where(new QLabel),
      m_entries(new QListWidget),
      m_message(new QLabel) {
    setWindowTitle(title);
    m_entries->setObjectName("workspaceEntries");
    m_where->setObjectName("workspaceFolder");
    m_message->setObjectName("workspaceMessage");
    m_message->setWordWrap(true);
    m_entries->setSelectionMode(choice == FileChoice::Files ? QAbstractItemView::ExtendedSelection
                                                            : QAbstractItemView::SingleSelection);
    auto* up = new QPushButton(tr("&Up"));
    up->setObjectName("workspaceUp");
    connect(up, &QPushButton::clicked, this, [this] {
        const qsizetype slash = m_folder.lastIndexOf('/');
        showFolder(slash < 0 ? QString() : m_folder.left(slash));
    });
    connect(m_entries, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        if (item->data(kFolderRole).toBool())
            showFolder(pathOf(item->text()));
        else if (m_choice != FileChoice::Folder)
            accept();
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* top = new QHBoxLayout;
    top->addWidget(m_where, 1);
    top->addWidget(up);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_entries, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(520, 420);
    showFolder({});
}

QString WorkspaceFileDialog::pathOf(const QString& name) const {
    return m_folder.isEmpty() ? name : m_folder + '/' + name;
}

void WorkspaceFileDialog::showFolder(const QString& folder) {
    m_folder = folder;
    m_entries->clear();
    m_message->clear();
    m_where->setText(QString::fromStdString(m_files.address()) +
                     (folder.isEmpty() ? QString() : '/' + folder));
    try {
        const QIcon folderIcon = style()->standardIcon(QStyle::SP_DirIcon);
        const QIcon fileIcon = style()->standardIcon(QStyle::SP_FileIcon);
        for (const store::FolderEntry& entry :
             m_files.list(folder.isEmpty() ? "." : folder.toStdString())) {
            if (m_choice == FileChoice::Folder && !entry.folder) continue;
            auto* item = new QListWidgetItem(entry.folder ? folderIcon : fileIcon,
                                             QString::fromStdString(entry.name), m_entries);
            item->setData(kFolderRole, entry.folder);
        }
    } catch (const std::exception& error) {
        m_message->setText(QString::fromUtf8(error.what()));
    }
}

QStringList WorkspaceFileDialog::chosen() const {
    QStringList paths;
    if (m_choice == FileChoice::Folder) {
        const QListWidgetItem* item = m_entries->currentItem();
        paths << (item && item->isSelected() ? pathOf(item->text())
                                             : (m_folder.isEmpty() ? QString(".") : m_folder));
        return paths;
    }
    for (const QListWidgetItem* item : m_entries->selectedItems())
        if (!item->data(kFolderRole).toBool()) paths << pathOf(item->text());
    return paths;
}

QString WorkspaceFileDialog::message() const {
    return m_message->text();
}

}  // namespace strata::ui
