#include "core/proto/worker_target.h"

#include "core/common/ascii.h"
#include "core/common/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace strata::proto {

namespace {

bool isNameCharacter(char c, std::string_view extra) {
    return common::isAsciiAlnum(c) || extra.find(c) != std::string_view::npos;
}

// What reaches ssh's command line is a user and host name, never shell or option syntax.
void requireHostName(std::string_view host, std::string_view text) {
    size_t at = host.find('@');
    std::string_view user = at == std::string_view::npos ? std::string_view() : host.substr(0, at);
    std::string_view name = at == std::string_view::npos ? host : host.substr(at + 1);
    bool valid =
        !name.empty() && name[0] != '-' && name[0] != '.' &&
        std::all_of(name.begin(), name.end(), [](char c) { return isNameCharacter(c, ".-"); }) &&
        (at == std::string_view::npos ||
         (!user.empty() && user[0] != '-' &&
          std::all_of(user.begin(), user.end(), [](char c) { return isNameCharacter(c, "._-"); })));
    if (!valid)
        common::fail(
            "target \"{}\": \"{}\" is not a host name ([user@]host of letters, digits, '.' and "
            "'-', and '_' in the user)",
            text, host);
}

}  // namespace

std::string WorkerTarget::name() const {
    if (isLocal()) return "local";
    const char* scheme = slurm ? "slurm" : "ssh";
    return port > 0 ? fmt::format("{}://{}:{}", scheme, host, port)
                    : fmt::format("{}://{}", scheme, host);
}

WorkerTarget parseTarget(std::string_view text, WorkerTarget base) {
    base.host.clear();
    base.port = 0;
    base.slurm = false;
    if (text == "local" || text.empty()) return base;
    base.slurm = text.starts_with("slurm://");
    const std::string_view scheme = base.slurm ? "slurm://" : "ssh://";
    if (!text.starts_with(scheme))
        common::fail(
            "target \"{}\": expected \"local\", ssh://[user@]host[:port] or "
            "slurm://[user@]login-host[:port]",
            text);
    std::string_view rest = text.substr(scheme.size());
    size_t colon = rest.rfind(':');
    if (colon != std::string_view::npos) {
        std::string_view port = rest.substr(colon + 1);
        auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), base.port);
        if (error != std::errc() || end != port.data() + port.size() || base.port <= 0 ||
            base.port > 65535)
            common::fail("target \"{}\": the port must be a number from 1 to 65535", text);
        rest = rest.substr(0, colon);
    }
    requireHostName(rest, text);
    base.host = rest;
    return base;
}

bool isRemoteWorkspace(std::string_view workspace) {
    return workspace.starts_with("ssh://");
}

WorkerTarget parseRemoteWorkspace(std::string_view text, WorkerTarget base) {
    constexpr std::string_view scheme = "ssh://";
    const size_t slash = text.find('/', text.starts_with(scheme) ? scheme.size() : 0);
    std::string_view folder = slash == std::string_view::npos ? "" : text.substr(slash);
    if (folder.starts_with("/~/")) folder.remove_prefix(3);
    if (folder.empty() || folder == "/" || folder == "/~")
        common::fail(
            "workspace \"{}\": name its folder on the host, as "
            "ssh://[user@]host[:port]/path (or /~/path under the home folder)",
            text);
    WorkerTarget target;
    try {
        target = parseTarget(text.substr(0, slash), std::move(base));
    } catch (const common::Error& error) {
        common::fail("workspace \"{}\": {}", text, error.what());
    }
    if (target.isLocal())
        common::fail("workspace \"{}\": expected ssh://[user@]host[:port]/path", text);
    target.workspace = folder;
    return target;
}

std::string remoteWorkspaceAddress(const WorkerTarget& target) {
    return target.name() + (target.workspace.starts_with('/') ? "" : "/~/") + target.workspace;
}

std::string reachableAddress(const WorkerTarget& target) {
    if (!target.masterAddress.empty()) return target.masterAddress;
    if (target.isLocal())
        common::fail(
            "local as the first host of a run across several: give the address the other hosts "
            "reach this machine by (its master address)");
    return target.host.substr(target.host.find('@') + 1);
}

std::string shellQuote(std::string_view text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    return quoted + "'";
}

std::vector<std::string> workerCommand(const WorkerTarget& target) {
    std::vector<std::string> worker{target.cli, "worker", "--stdio"};
    if (!target.workspace.empty()) {
        worker.push_back("--workspace");
        worker.push_back(target.workspace);
    }
    if (target.isLocal()) return worker;
    requireHostName(target.host, target.name());

    std::vector<std::string> ssh{"ssh", "-T", "-o", "BatchMode=yes"};
    if (!target.sshConfig.empty()) ssh.insert(ssh.end(), {"-F", target.sshConfig});
    if (target.port > 0) ssh.insert(ssh.end(), {"-p", std::to_string(target.port)});
    if (!target.identityFile.empty())
        ssh.insert(ssh.end(), {"-i", target.identityFile, "-o", "IdentitiesOnly=yes"});
    // ssh keeps the first value it is given for an option: the user's come before these.
    for (const std::string& option : target.sshOptions)
        ssh.insert(ssh.end(), {"-o", option});
    // A host that does not answer, or a link that dies, shows up within seconds or a minute
    // instead of after the system's TCP timeouts; a remote page waits on it.
    ssh.insert(ssh.end(), {"-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15", "-o",
                           "ServerAliveCountMax=4"});
    std::string remote;
    for (const std::string& word : worker)
        remote += (remote.empty() ? "" : " ") + shellQuote(word);
    ssh.insert(ssh.end(), {"--", target.host, remote});
    return ssh;
}

}  // namespace strata::proto
