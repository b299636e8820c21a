#include "ui/targets/targets_dialog.h"

#include "core/proto/slurm_job.h"
#include "core/proto/worker_connection.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <memory>

namespace strata::ui {

namespace fs = std::filesystem;

namespace {

// A remote test gives up after this long instead of hanging on an unreachable host.
constexpr const char* kSshConnectTimeout = "ConnectTimeout=10";

QString gibibytes(double bytes) {
    return QString::number(bytes / double(1ull << 30), 'f', 1) + " GiB";
}

}  // namespace

QString helloText(const std::string& strataVersion, const std::string& capabilitiesJson) {
    QJsonObject capabilities =
        QJsonDocument::fromJson(QByteArray::fromStdString(capabilitiesJson)).object();
    QStringList devices;
    for (const QJsonValue& device : capabilities["devices"].toArray()) {
        QString text = device["id"].toString();
        if (device["id"].toString() != device["name"].toString())
            text += " " + device["name"].toString();
        if (device["memory_bytes"].toDouble() > 0)
            text += " (" + gibibytes(device["memory_bytes"].toDouble()) + ")";
        devices << text;
    }
    return QCoreApplication::translate("TargetsDialog",
                                       "Strata %1, LibTorch %2%3, %4 CPUs, %5; devices: %6")
        .arg(QString::fromStdString(strataVersion), capabilities["torch"].toString(),
             capabilities["cuda"].toBool() ? " (CUDA)" : "")
        .arg(capabilities["cpus"].toInt())
        .arg(gibibytes(capabilities["memory_bytes"].toDouble()), devices.join(", "));
}

TargetsDialog::TargetsDialog(fs::path localCli, fs::path workspace, QWidget* parent)
    : QDialog(parent),
      m_localCli(std::move(localCli)),
      m_workspace(std::move(workspace)),
      m_targets(loadTargets()),
      m_list(new QListWidget),
      m_name(new QLineEdit),
      m_host(new QLineEdit),
      m_port(new QSpinBox),
      m_identity(new QLineEdit),
      m_remoteWorkspace(new QLineEdit),
      m_masterAddress(new QLineEdit),
      m_sshOptions(new QLineEdit),
      m_remoteCli(new QLineEdit),
      m_slurm(new QCheckBox(tr("A Slurm cluster's login host: runs are batch jobs"))),
      m_sbatchOptions(new QLineEdit),
      m_test(new QPushButton(tr("&Test connection"))),
      m_result(new QLabel) {
    setWindowTitle(tr("Targets"));
    m_list->setObjectName("targetList");
    m_name->setObjectName("targetName");
    m_host->setObjectName("targetHost");
    m_host->setPlaceholderText(tr("[user@]host, as ssh takes it"));
    m_port->setObjectName("targetPort");
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("ssh's default"));
    m_identity->setObjectName("targetIdentity");
    m_identity->setPlaceholderText(tr("default: ssh's keys and agent"));
    m_remoteWorkspace->setObjectName("targetWorkspace");
    m_remoteWorkspace->setPlaceholderText(tr("default: the remote user's sample workspace"));
    m_masterAddress->setObjectName("targetMasterAddress");
    m_masterAddress->setPlaceholderText(tr("default: the host name"));
    m_masterAddress->setToolTip(
        tr("When this host is the first of a run across several: the address the others reach "
           "it by"));
    m_sshOptions->setObjectName("targetSshOptions");
    m_sshOptions->setPlaceholderText(tr("ssh -o options, e.g. ConnectTimeout=5 Compression=yes"));
    m_remoteCli->setObjectName("targetCli");
    m_slurm->setObjectName("targetSlurm");
    m_sbatchOptions->setObjectName("targetSbatchOptions");
    m_sbatchOptions->setPlaceholderText(tr("e.g. --partition=gpu --time=4:00:00 --gres=gpu:8"));
    m_test->setObjectName("testConnection");
    m_result->setObjectName("connectionResult");
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_list->addItem(tr("This machine (local)"));
    for (const SavedTarget& saved : m_targets)
        m_list->addItem(saved.name);
    auto* add = new QPushButton(tr("&Add"));
    auto* remove = new QPushButton(tr("&Remove"));
    add->setObjectName("addTarget");
    remove->setObjectName("removeTarget");
    connect(add, &QPushButton::clicked, this, [this] {
        SavedTarget fresh;
        fresh.name = tr("host %1").arg(m_targets.size() + 1);
        fresh.target.host = "user@host";
        m_targets.append(fresh);
        m_list->addItem(fresh.name);
        m_list->setCurrentRow(m_list->count() - 1);
        saveTargets(m_targets);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        int row = m_list->currentRow();
        if (row < 1) return;  // this machine stays
        m_targets.removeAt(row - 1);
        delete m_list->takeItem(row);
        saveTargets(m_targets);
    });
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        QString file =
            QFileDialog::getOpenFileName(this, tr("Identity file"), QDir::homePath() + "/.ssh");
        if (!file.isEmpty()) {
            m_identity->setText(file);
            storeForm();
        }
    });
    auto* identityRow = new QHBoxLayout;
    identityRow->addWidget(m_identity, 1);
    identityRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("Identity file"), identityRow);
    form->addRow(tr("Remote workspace"), m_remoteWorkspace);
    form->addRow(tr("Remote strata-cli"), m_remoteCli);
    form->addRow(tr("Address for other hosts"), m_masterAddress);
    form->addRow(tr("SSH options"), m_sshOptions);
    form->addRow(QString(), m_slurm);
    form->addRow(tr("sbatch options"), m_sbatchOptions);
    form->addRow(QString(), m_test);
    form->addRow(m_result);
    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    auto* left = new QVBoxLayout;
    left->addWidget(m_list);
    left->addLayout(listButtons);
    auto* body = new QHBoxLayout;
    body->addLayout(left);
    body->addLayout(form, 1);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(body);
    layout->addWidget(close);

    for (QLineEdit* field : {m_name, m_host, m_identity, m_remoteWorkspace, m_remoteCli,
                             m_masterAddress, m_sshOptions})
        connect(field, &QLineEdit::editingFinished, this, &TargetsDialog::storeForm);
    connect(m_port, &QSpinBox::valueChanged, this, &TargetsDialog::storeForm);
    connect(m_sbatchOptions, &QLineEdit::editingFinished, this, &TargetsDialog::storeForm);
    connect(m_slurm, &QCheckBox::toggled, this, [this](bool slurm) {
        m_sbatchOptions->setEnabled(slurm);
        storeForm();
    });
    connect(m_list, &QListWidget::currentRowChanged, this, &TargetsDialog::showTarget);
    connect(m_test, &QPushButton::clicked, this, &TargetsDialog::testConnection);
    connect(this, &TargetsDialog::connectionTested, this, [this](bool ok, const QString& text) {
        m_test->setEnabled(true);
        m_result->setText(text);
        if (ok)
            spdlog::info("connection test: {}", text.toStdString());
        else
            spdlog::warn("connection test: {}", text.toStdString());
    });
    m_list->setCurrentRow(0);
    resize(820, 420);
}

TargetsDialog::~TargetsDialog() = default;

void TargetsDialog::showTarget(int row) {
    bool remote = row >= 1 && row - 1 < m_targets.size();
    for (QWidget* field :
         {static_cast<QWidget*>(m_name), static_cast<QWidget*>(m_host),
          static_cast<QWidget*>(m_port), static_cast<QWidget*>(m_identity),
          static_cast<QWidget*>(m_remoteWorkspace), static_cast<QWidget*>(m_remoteCli),
          static_cast<QWidget*>(m_masterAddress), static_cast<QWidget*>(m_sshOptions),
          static_cast<QWidget*>(m_slurm)})
        field->setEnabled(remote);
    const proto::WorkerTarget target = remote ? m_targets[row - 1].target : proto::WorkerTarget{};
    QSignalBlocker quietPort(m_port);
    QSignalBlocker quietSlurm(m_slurm);
    m_slurm->setChecked(target.slurm);
    m_sbatchOptions->setEnabled(remote && target.slurm);
    m_sbatchOptions->setText(toStringList(target.sbatchOptions).join(' '));
    m_name->setText(remote ? m_targets[row - 1].name : tr("local"));
    m_host->setText(QString::fromStdString(target.host));
    m_port->setValue(target.port);
    m_identity->setText(QString::fromStdString(target.identityFile));
    m_remoteWorkspace->setText(QString::fromStdString(target.workspace));
    m_masterAddress->setText(QString::fromStdString(target.masterAddress));
    m_sshOptions->setText(toStringList(target.sshOptions).join(' '));
    m_remoteCli->setText(remote ? QString::fromStdString(target.cli)
                                : QString::fromStdString(m_localCli.string()));
    m_result->clear();
}

bool TargetsDialog::storeForm() {
    int row = m_list->currentRow();
    if (row < 1 || row - 1 >= m_targets.size()) return true;
    // The host is checked as a typed ssh:// target is: a name ssh could take for an option or
    // a path is refused, and the target keeps its last good host.
    std::string host;
    try {
        host = proto::parseTarget("ssh://" + m_host->text().trimmed().toStdString()).host;
    } catch (const std::exception& error) {
        m_result->setText(QString::fromUtf8(error.what()));
        return false;
    }
    // Each option as ssh -o takes it, KEY=VALUE; anything else (another flag) is refused.
    std::vector<std::string> options;
    static const QRegularExpression option("^[A-Za-z][A-Za-z0-9]*=\\S+$");
    for (const QString& word : m_sshOptions->text().split(' ', Qt::SkipEmptyParts)) {
        if (!option.match(word).hasMatch()) {
            m_result->setText(
                tr("SSH option \"%1\" is not KEY=VALUE, as ssh -o takes it").arg(word));
            return false;
        }
        options.push_back(word.toStdString());
    }
    // Each sbatch option as --name or --name=value, and none that Strata sets itself.
    std::vector<std::string> sbatchOptions;
    for (const QString& word : m_sbatchOptions->text().split(' ', Qt::SkipEmptyParts)) {
        try {
            proto::requireSbatchOption(word.toStdString(), tr("sbatch options").toStdString());
        } catch (const std::exception& error) {
            m_result->setText(QString::fromUtf8(error.what()));
            return false;
        }
        sbatchOptions.push_back(word.toStdString());
    }
    SavedTarget& saved = m_targets[row - 1];
    saved.target.sshOptions = options;
    saved.target.slurm = m_slurm->isChecked();
    saved.target.sbatchOptions = sbatchOptions;
    if (!m_name->text().trimmed().isEmpty()) saved.name = m_name->text().trimmed();
    saved.target.host = host;
    saved.target.port = m_port->value();
    saved.target.identityFile = m_identity->text().trimmed().toStdString();
    saved.target.workspace = m_remoteWorkspace->text().trimmed().toStdString();
    saved.target.masterAddress = m_masterAddress->text().trimmed().toStdString();
    saved.target.cli = m_remoteCli->text().trimmed().isEmpty()
                           ? "strata-cli"
                           : m_remoteCli->text().trimmed().toStdString();
    m_list->item(row)->setText(saved.name);
    saveTargets(m_targets);
    return true;
}

proto::WorkerTarget TargetsDialog::selectedTarget() const {
    int row = m_list->currentRow();
    if (row >= 1 && row - 1 < m_targets.size()) {
        proto::WorkerTarget target = m_targets[row - 1].target;
        target.sshOptions.push_back(kSshConnectTimeout);
        return target;
    }
    proto::WorkerTarget local;
    local.cli = m_localCli.string();
    local.workspace = m_workspace.string();
    return local;
}

void TargetsDialog::testConnection() {
    // One test at a time, of a form that reads (else the form says what is wrong).
    if (m_tester || !storeForm()) return;
    proto::WorkerTarget target = selectedTarget();
    m_test->setEnabled(false);
    m_result->setText(tr("Connecting to %1…").arg(QString::fromStdString(target.name())));
    struct Outcome {
        bool ok = false;
        QString text;
    };
    auto outcome = std::make_shared<Outcome>();
    m_tester = SessionPtr<BackgroundTask>(new BackgroundTask);
    connect(m_tester.get(), &BackgroundTask::finished, this, [this, outcome] {
        m_tester.reset();
        emit connectionTested(outcome->ok, outcome->text);
    });
    m_tester->start([target, outcome] {
        try {
            proto::WorkerConnection connection(target, std::chrono::seconds(60));
            outcome->text =
                helloText(connection.hello().strataVersion, connection.hello().dataJson);
            outcome->ok = true;
        } catch (const std::exception& error) {
            outcome->text = QString::fromUtf8(error.what());
        }
    });
}

QString TargetsDialog::resultText() const {
    return m_result->text();
}

}  // namespace strata::ui
