// Settings ▸ Targets: where runs can go. This machine is always there; remote hosts are added
// with a name, [user@]host, port, identity file, the remote workspace and strata-cli; a Slurm
// cluster's login host runs every run as a batch job, with its sbatch options. "Test
// connection" starts the target's worker (through ssh for a remote host) and shows its hello:
// the Strata version, LibTorch, CPUs, memory and devices, or ssh's own error line. The list is
// saved in the settings (saved_targets.h) and offered on the Train page.
#pragma once

#include "core/proto/worker_target.h"
#include "ui/common/background_threads.h"
#include "ui/targets/saved_targets.h"

#include <QDialog>

#include <filesystem>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace strata::ui {

class TargetsDialog : public QDialog {
    Q_OBJECT

public:
    // `localCli` and `workspace`: the worker this machine runs, for its connection test.
    TargetsDialog(std::filesystem::path localCli, std::filesystem::path workspace,
                  QWidget* parent = nullptr);
    // A connection test under way ends on its own (it gives up after its own timeout).
    ~TargetsDialog() override;

    // Starts the selected target's worker off the GUI thread; connectionTested follows.
    void testConnection();
    QString resultText() const;

signals:
    void connectionTested(bool succeeded, const QString& text);

private:
    void showTarget(int row);
    // Saves the form into the selected target; false (the reason shown) for a bad host.
    bool storeForm();
    proto::WorkerTarget selectedTarget() const;

    std::filesystem::path m_localCli;
    std::filesystem::path m_workspace;
    QList<SavedTarget> m_targets;
    QListWidget* m_list;
    QLineEdit* m_name;
    QLineEdit* m_host;
    QSpinBox* m_port;
    QLineEdit* m_identity;
    QLineEdit* m_remoteWorkspace;
    QLineEdit* m_masterAddress;  // how other hosts of a run reach this one
    QLineEdit* m_sshOptions;     // ssh -o KEY=VALUE options, separated by spaces
    QLineEdit* m_remoteCli;
    QCheckBox* m_slurm;          // a Slurm cluster's login host: runs are batch jobs
    QLineEdit* m_sbatchOptions;  // their extra sbatch options, separated by spaces
    QPushButton* m_test;
    QLabel* m_result;
    SessionPtr<BackgroundTask> m_tester;  // the connection test under way
};

// The worker's hello as one paragraph: "Strata 0.1.0, LibTorch 2.11.0 (CUDA), 16 CPUs, 125.8 GiB;
// devices: cpu, cuda:0 NVIDIA H100 (79.1 GiB)".
QString helloText(const std::string& strataVersion, const std::string& capabilitiesJson);

}  // namespace strata::ui
