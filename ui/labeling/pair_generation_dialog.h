// Labeling ▸ Generate Pairs…: pick two checkpoints (or one, twice), a prompt set and how to
// sample (remembered in the settings); the answers stream in with a progress bar and the pairs join
// the labeling queue in one transaction when both sides are done. Nothing is added when a side
// fails or is cancelled. On a workspace of another host, its worker generates from the host's
// checkpoints and the pairs join the host's queue; the prompt set is read on this machine.
#pragma once

#include "core/proto/worker_target.h"
#include "core/store/label_queue.h"
#include "ui/common/checkpoint_choices.h"

#include <QDialog>

#include <filesystem>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace strata::ui {

class PairGenerator;
class SamplingForm;

class PairGenerationDialog : public QDialog {
    Q_OBJECT

public:
    // The pairs join `queue` as added by `by` (its owner if it has none).
    PairGenerationDialog(store::LabelQueue& queue, std::string by,
                         std::vector<CheckpointChoice> checkpoints, std::filesystem::path workspace,
                         std::filesystem::path localCli, QWidget* parent = nullptr);
    ~PairGenerationDialog() override;
    // Generates through the worker of this workspace on another host.
    void setRemoteWorkspace(proto::WorkerTarget workspace);

    // Reads the prompt set and starts both sides; false (with the reason shown) when it cannot.
    bool generate();
    QString messageText() const;
    bool running() const;

signals:
    void pairsAdded(int count);

protected:
    void reject() override;

private:
    void finish(int leftOut);
    void showMessage(const QString& text);

    store::LabelQueue& m_queue;
    std::string m_by;
    std::vector<CheckpointChoice> m_checkpoints;
    QComboBox* m_checkpointA;
    QComboBox* m_checkpointB;
    QLineEdit* m_prompts;
    SamplingForm* m_sampling;
    QProgressBar* m_progress;
    QLabel* m_message;
    QPushButton* m_generate;
    PairGenerator* m_generator;
};

}  // namespace strata::ui
