#include "ui/targets/saved_targets.h"

#include <QSettings>

#include <algorithm>

namespace strata::ui {

QList<SavedTarget> loadTargets() {
    QSettings settings;
    QList<SavedTarget> targets;
    int count = settings.beginReadArray("targets");
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        SavedTarget saved;
        saved.name = settings.value("name").toString();
        saved.target.host = settings.value("host").toString().toStdString();
        saved.target.port = settings.value("port", 0).toInt();
        saved.target.identityFile = settings.value("identity_file").toString().toStdString();
        saved.target.cli = settings.value("cli", "strata-cli").toString().toStdString();
        saved.target.workspace = settings.value("workspace").toString().toStdString();
        saved.target.masterAddress = settings.value("master_address").toString().toStdString();
        saved.target.sshOptions = toStdStrings(settings.value("ssh_options").toStringList());
        saved.target.slurm = settings.value("slurm", false).toBool();
        saved.target.sbatchOptions = toStdStrings(settings.value("sbatch_options").toStringList());
        if (!saved.name.isEmpty() && !saved.target.host.empty()) targets.append(saved);
    }
    settings.endArray();
    return targets;
}

void saveTargets(const QList<SavedTarget>& targets) {
    QSettings settings;
    settings.beginWriteArray("targets", int(targets.size()));
    for (int i = 0; i < targets.size(); ++i) {
        settings.setArrayIndex(i);
        const SavedTarget& saved = targets[i];
        settings.setValue("name", saved.name);
        settings.setValue("host", QString::fromStdString(saved.target.host));
        settings.setValue("port", saved.target.port);
        settings.setValue("identity_file", QString::fromStdString(saved.target.identityFile));
        settings.setValue("cli", QString::fromStdString(saved.target.cli));
        settings.setValue("workspace", QString::fromStdString(saved.target.workspace));
        settings.setValue("master_address", QString::fromStdString(saved.target.masterAddress));
        settings.setValue("ssh_options", toStringList(saved.target.sshOptions));
        settings.setValue("slurm", saved.target.slurm);
        settings.setValue("sbatch_options", toStringList(saved.target.sbatchOptions));
    }
    settings.endArray();
}

QStringList toStringList(const std::vector<std::string>& texts) {
    QStringList list;
    for (const std::string& text : texts)
        list << QString::fromStdString(text);
    return list;
}

std::vector<std::string> toStdStrings(const QStringList& texts) {
    std::vector<std::string> strings;
    for (const QString& text : texts)
        strings.push_back(text.toStdString());
    return strings;
}

proto::WorkerTarget resolveTarget(const QString& name, const std::filesystem::path& localCli,
                                  const std::filesystem::path& workspace) {
    for (const SavedTarget& saved : loadTargets())
        if (saved.name == name || QString::fromStdString(saved.target.name()) == name)
            return saved.target;
    proto::WorkerTarget target = proto::parseTarget(name.trimmed().toStdString());
    if (target.isLocal()) {
        target.cli = localCli.string();
        target.workspace = workspace.string();
    }
    return target;
}

proto::WorkerTarget resolveRemoteWorkspace(const QString& url) {
    proto::WorkerTarget target = proto::parseRemoteWorkspace(url.trimmed().toStdString());
    // A saved host's key and options; else ssh's own config says how to reach it.
    for (const SavedTarget& saved : loadTargets())
        if (saved.target.name() == target.name()) {
            const std::string workspace = target.workspace;
            target = saved.target;
            target.workspace = workspace;
            break;
        }
    // The window waits on a connection attempt: a host that does not answer is given up on
    // after ten seconds, not TCP's two minutes.
    const bool timed =
        std::any_of(target.sshOptions.begin(), target.sshOptions.end(),
                    [](const std::string& option) { return option.starts_with("ConnectTimeout"); });
    if (!timed) target.sshOptions.push_back("ConnectTimeout=10");
    return target;
}

std::vector<proto::WorkerTarget> resolveTargets(const QString& names,
                                                const std::filesystem::path& localCli,
                                                const std::filesystem::path& workspace) {
    std::vector<proto::WorkerTarget> targets;
    for (const QString& name : names.split(','))
        targets.push_back(resolveTarget(name.trimmed(), localCli, workspace));
    return targets;
}

}  // namespace strata::ui
