// The workspace a command works in: --workspace DIR, or the default one
// (core/common/workspace_paths.h); or, for the commands that work through a worker, a workspace
// on another host: --workspace ssh://[user@]host[:port]/path, reached with the ssh options.
#pragma once

#include "app/cli/arg_parser.h"
#include "core/proto/worker_target.h"

#include <filesystem>
#include <optional>

namespace strata::app {

// A workspace on this machine; throws common::Error for an ssh:// one, which the command cannot
// work on.
std::filesystem::path workspaceOf(const ParsedArgs& parsed);

// --identity, --ssh-config, --ssh-option and --remote-cli: how ssh reaches another host.
void addSshOptions(ArgParser& parser);
// A target with those settings and no host yet.
proto::WorkerTarget sshSettingsOf(const ParsedArgs& parsed);
// The worker serving --workspace ssh://...; nullopt for a workspace on this machine.
std::optional<proto::WorkerTarget> remoteWorkspaceOf(const ParsedArgs& parsed);

}  // namespace strata::app
