#include "ui/common/checkpoint_choices.h"

#include "core/common/workspace_paths.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace strata::ui {

namespace {

// A run's checkpoint, its folder in `runDir` when the event named it relative to the run folder.
CheckpointChoice checkpointChoice(const store::RunRecord& run,
                                  const store::CheckpointRow& checkpoint,
                                  const std::filesystem::path& runDir) {
    CheckpointChoice choice;
    choice.label = QCoreApplication::translate("CheckpointChoices", "%1 · step %2")
                       .arg(QString::fromStdString(run.shownName()))
                       .arg(checkpoint.step);
    if (!std::isnan(checkpoint.valLoss))
        choice.label += QCoreApplication::translate("CheckpointChoices", " · val %1")
                            .arg(checkpoint.valLoss, 0, 'f', 3);
    choice.host = QString::fromStdString(run.host);
    std::filesystem::path path = checkpoint.path;
    if (path.is_relative()) path = runDir / path;
    choice.path = QString::fromStdString(path.lexically_normal().string());
    choice.source = QString("run:%1/step-%2").arg(run.id).arg(checkpoint.step);
    return choice;
}

}  // namespace

std::vector<CheckpointChoice> listCheckpoints(store::RunHistory& history,
                                              const std::filesystem::path& workspace) {
    std::vector<CheckpointChoice> choices;
    for (const store::RunRecord& run : history.listRuns()) {  // newest first
        std::vector<store::CheckpointRow> checkpoints = history.checkpoints(run.id);
        for (auto checkpoint = checkpoints.rbegin(); checkpoint != checkpoints.rend();
             ++checkpoint) {
            // A local run's folder is found in the open workspace, which may have moved since it
            // ran.
            CheckpointChoice choice =
                checkpointChoice(run, *checkpoint,
                                 run.host == "local" ? workspace / "runs" / run.name
                                                     : std::filesystem::path(run.runDir));
            // Checkpoint retention deletes old folders; a local one that is gone is not offered.
            if (run.host == "local" && !std::filesystem::exists(choice.path.toStdString()))
                continue;
            choices.push_back(choice);
        }
    }
    // Imported models, by name: a model folder is one with a model.toml.
    std::vector<std::filesystem::path> models;
    std::error_code error;
    for (const auto& entry :
         std::filesystem::directory_iterator(common::modelsFolder(workspace), error))
        if (std::filesystem::exists(entry.path() / "model.toml")) models.push_back(entry.path());
    std::sort(models.begin(), models.end());
    for (const std::filesystem::path& model : models) {
        CheckpointChoice choice = folderChoice(QString::fromStdString(model.string()));
        choice.label = QString::fromStdString("models/" + model.filename().string());
        choices.push_back(choice);
    }
    return choices;
}

std::vector<CheckpointChoice> listRemoteCheckpoints(store::RunCatalog& runs) {
    std::vector<CheckpointChoice> choices;
    const std::map<int64_t, std::vector<store::CheckpointRow>> byRun = runs.checkpointsByRun();
    for (const store::RunRecord& run : runs.listRuns()) {  // newest first
        auto found = byRun.find(run.id);
        if (found == byRun.end()) continue;
        for (auto checkpoint = found->second.rbegin(); checkpoint != found->second.rend();
             ++checkpoint)
            choices.push_back(checkpointChoice(run, *checkpoint, run.runDir));
    }
    return choices;
}

CheckpointChoice folderChoice(const QString& folder) {
    CheckpointChoice choice;
    QString path = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    choice.label = QCoreApplication::translate("CheckpointChoices", "folder %1").arg(path);
    choice.host = "local";
    choice.path = path;
    choice.source = "folder:" + path;
    return choice;
}

QString exportName(const CheckpointChoice& choice) {
    const std::filesystem::path path = choice.path.toStdString();
    if (path.parent_path().filename() == "checkpoints")
        return QString::fromStdString(path.parent_path().parent_path().filename().string() + "-" +
                                      path.filename().string());
    return QString::fromStdString(path.filename().string());
}

void fillCheckpointBox(QComboBox* box, const std::vector<CheckpointChoice>& choices) {
    QString selected =
        box->currentIndex() >= 0 && box->currentData().isValid() ? box->currentText() : QString();
    box->clear();
    for (size_t i = 0; i < choices.size(); ++i)
        box->addItem(choices[i].label, qulonglong(i));
    int keep = box->findText(selected);
    if (keep >= 0) box->setCurrentIndex(keep);
}

}  // namespace strata::ui
