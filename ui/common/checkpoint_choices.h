// The checkpoints a person can generate from or start a stage from: every checkpoint the run
// history recorded whose folder is still there (as far as this machine can tell), newest run
// first, each with the host it lives on, then the workspace's imported models (models/<name>, as
// the sample's SmolLM2-135M-Instruct), plus model folders picked from this machine. The
// Playground's, the pair generator's and New Config's pickers list them.
#pragma once

#include "core/store/run_catalog.h"

#include <QString>

#include <filesystem>

#include <vector>

class QComboBox;

namespace strata::ui {

struct CheckpointChoice {
    QString label;   // "tiny-20261122-101500 · step 300 · val 2.31"
    QString host;    // the run's host ("local", "ssh://..."), where the folder is
    QString path;    // the checkpoint folder on that host
    QString source;  // how a generated response records where it came from: "run:12/step-300"
};

// `workspace` is the open one, where this machine's runs and models have their folders.
std::vector<CheckpointChoice> listCheckpoints(store::RunHistory& history,
                                              const std::filesystem::path& workspace);
// The checkpoints of a workspace on another host, as its history records them: folders on that
// host (its runs' hosts are "local" there), newest run first, not checked from here.
std::vector<CheckpointChoice> listRemoteCheckpoints(store::RunCatalog& runs);
// A model folder on this machine (an imported HF model, a copied checkpoint).
CheckpointChoice folderChoice(const QString& folder);

// What an export of the choice is called: "<run>-step-NNNNNNN" for a run's checkpoint, the
// folder's name otherwise.
QString exportName(const CheckpointChoice& choice);

// Fills `box` with the choices (each item's data is its index into them), keeping the selected
// item when it is still listed.
void fillCheckpointBox(QComboBox* box, const std::vector<CheckpointChoice>& choices);

}  // namespace strata::ui
