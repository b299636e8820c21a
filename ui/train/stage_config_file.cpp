#include "ui/train/stage_config_file.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/workspace_paths.h"
#include "core/run/run_config.h"
#include "core/run/stage.h"

#include <QCoreApplication>

namespace strata::ui {

namespace fs = std::filesystem;

std::vector<common::ConfigTable> stageConfigSchema(const QString& stage) {
    std::optional<run::Stage> parsed = run::parseStage(stage.toStdString());
    if (!parsed) common::fail("\"{}\" is not a stage", stage.toStdString());
    std::vector<common::ConfigTable> schema =
        common::describeConfig(run::defaultRunConfigText(*parsed));
    for (common::ConfigTable& table : schema)
        for (common::ConfigField& field : table.fields)
            if (field.key == "train.stage") field.defaultValue = "pretrain";
    return schema;
}

QString freeConfigName(const fs::path& workspace, const QString& base) {
    QString name = base + ".toml";
    for (int n = 2; fs::exists(workspace / "configs" / name.toStdString()); ++n)
        name = QString("%1-%2.toml").arg(base).arg(n);
    return name;
}

std::optional<QString> saveStageConfig(const fs::path& workspace, QString name,
                                       const std::vector<common::ConfigTable>& schema,
                                       const common::ConfigValues& values, const QString& stage,
                                       const QString& origin, QString& error) {
    name = name.trimmed();
    if (!name.endsWith(".toml")) name += ".toml";
    if (!common::isPlainName(name.toStdString())) {
        error =
            QCoreApplication::translate("StageConfigFile", "%1 is not a plain file name").arg(name);
        return std::nullopt;
    }
    fs::path path = workspace / "configs" / name.toStdString();
    if (fs::exists(path)) {
        error =
            QCoreApplication::translate("StageConfigFile", "%1 already exists; choose another name")
                .arg(QString::fromStdString(path.string()));
        return std::nullopt;
    }
    try {
        std::string text = common::writeConfigValues(
            schema, values,
            "# A " + stage.toStdString() + " run config from the studio's " + origin.toStdString() +
                ". Every key not set here keeps\n"
                "# its default: strata-cli train --print-default-config --stage " +
                stage.toStdString() + "\n");
        fs::create_directories(path.parent_path());
        common::AtomicFile file(path);
        file.write(text);
        file.commit();
    } catch (const std::exception& caught) {
        error = QString::fromUtf8(caught.what());
        return std::nullopt;
    }
    return QString::fromStdString(path.string());
}

}  // namespace strata::ui
