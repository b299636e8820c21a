#include "app/cli/workspace.h"

#include "core/common/error.h"
#include "core/common/workspace_paths.h"

namespace strata::app {

std::filesystem::path workspaceOf(const ParsedArgs& parsed) {
    if (!parsed.has("workspace")) return common::defaultWorkspace();
    const std::string& workspace = parsed.value("workspace");
    if (proto::isRemoteWorkspace(workspace))
        common::fail(
            "--workspace {}: this command works on a workspace on this machine; run it on the "
            "host",
            workspace);
    return workspace;
}

void addSshOptions(ArgParser& parser) {
    parser.option("identity", 0, "FILE", "ssh: the private key to log in with")
        .option("ssh-config", 0, "FILE", "ssh: the config file instead of ~/.ssh/config")
        .option("ssh-option", 0, "OPTION", "ssh: one more -o option (repeatable)")
        .option("remote-cli", 0, "PATH", "ssh: strata-cli on the remote host (default: on PATH)");
}

proto::WorkerTarget sshSettingsOf(const ParsedArgs& parsed) {
    proto::WorkerTarget target;
    target.identityFile = parsed.value("identity");
    target.sshConfig = parsed.value("ssh-config");
    target.sshOptions = parsed.values("ssh-option");
    target.cli = parsed.value("remote-cli", "strata-cli");
    return target;
}

std::optional<proto::WorkerTarget> remoteWorkspaceOf(const ParsedArgs& parsed) {
    if (!parsed.has("workspace") || !proto::isRemoteWorkspace(parsed.value("workspace")))
        return std::nullopt;
    return proto::parseRemoteWorkspace(parsed.value("workspace"), sshSettingsOf(parsed));
}

}  // namespace strata::app
