// The remote hosts a user has set up, kept in the settings (QSettings array "targets") so every
// workspace offers them: a name for people and how ssh reaches the host (its key and any extra
// ssh -o options), where Strata's
// strata-cli is there and which workspace it works in. "local" (this machine) is always there
// and never saved.
#pragma once

#include "core/proto/worker_target.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <vector>

namespace strata::ui {

struct SavedTarget {
    QString name;
    proto::WorkerTarget target;
};

QList<SavedTarget> loadTargets();
void saveTargets(const QList<SavedTarget>& targets);
// The saved target called `name` or reached at `name` (a run's recorded host, "ssh://..."), else
// the target `name` spells ("local", "ssh://..."); throws common::Error naming the text when it
// is none of these. This machine's worker runs as `localCli` on `workspace`, the open one.
proto::WorkerTarget resolveTarget(const QString& name, const std::filesystem::path& localCli,
                                  const std::filesystem::path& workspace);
// The worker serving a workspace of another host, "ssh://[user@]host[:port]/path": the ssh
// settings of the saved target at that host and port, else ssh's own config; throws
// common::Error naming the text when it is not such an address.
proto::WorkerTarget resolveRemoteWorkspace(const QString& url);
// A target's option lists (ssh -o, sbatch) as the settings and the dialog hold them, and back.
QStringList toStringList(const std::vector<std::string>& texts);
std::vector<std::string> toStdStrings(const QStringList& texts);
// Targets separated by commas ("gpu-a, gpu-b": one run across those hosts), each resolved as
// above, in order.
std::vector<proto::WorkerTarget> resolveTargets(const QString& names,
                                                const std::filesystem::path& localCli,
                                                const std::filesystem::path& workspace);

}  // namespace strata::ui
