// A stage's run config as the studio writes it into the workspace's configs/: the stage's keys
// from its commented default config (core/run/run_config.h, what `strata-cli train
// --print-default-config --stage S` prints), and a file holding train.stage and the values that
// differ from those defaults. New Config… (RunConfigDialog) and Fine-tune… (FineTuneDialog) both
// write through here, so the two never disagree on what a saved config holds.
#pragma once

#include "core/common/config_schema.h"

#include <QString>

#include <filesystem>
#include <optional>
#include <vector>

namespace strata::ui {

// The stage's keys, with train.stage's default made "pretrain" so a file of another stage always
// names its stage (a config without train.stage is a pretraining config). Throws common::Error
// for an unknown stage.
std::vector<common::ConfigTable> stageConfigSchema(const QString& stage);

// "<base>.toml", or the first of "<base>-2.toml", "<base>-3.toml", ... not in WORKSPACE/configs.
QString freeConfigName(const std::filesystem::path& workspace, const QString& base);

// Writes WORKSPACE/configs/NAME (".toml" added when missing) with the values of `schema` that
// differ from its defaults. Returns the path written, or nullopt with `error` set (a name that is
// not a plain file name, an existing file, a value the schema refuses).
std::optional<QString> saveStageConfig(const std::filesystem::path& workspace, QString name,
                                       const std::vector<common::ConfigTable>& schema,
                                       const common::ConfigValues& values, const QString& stage,
                                       const QString& origin, QString& error);

}  // namespace strata::ui
