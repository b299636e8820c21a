#include "core/run/listen_address.h"

#include "core/common/error.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace strata::run {

using common::fail;

namespace {

using AddressList = std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)>;

AddressList resolve(const std::string& host, int port, int socketType) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = socketType;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (int code = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); code != 0)
        fail("{}: cannot resolve the address: {}", host, ::gai_strerror(code));
    return AddressList(found, ::freeaddrinfo);
}

std::string numeric(const sockaddr* address) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* bytes =
        address->sa_family == AF_INET6
            ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr)
            : static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(address)->sin_addr);
    ::inet_ntop(address->sa_family, bytes, text, sizeof text);
    return text;
}

int portOf(const sockaddr* address) {
    return ntohs(address->sa_family == AF_INET6
                     ? reinterpret_cast<const sockaddr_in6*>(address)->sin6_port
                     : reinterpret_cast<const sockaddr_in*>(address)->sin_port);
}

}  // namespace

int listenOn(const std::string& host, int port) {
    AddressList addresses = resolve(host, port, SOCK_STREAM);
    int lastError = 0;
    for (addrinfo* address = addresses.get(); address; address = address->ai_next) {
        int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(fd, address->ai_addr, address->ai_addrlen) == 0 && ::listen(fd, 1024) == 0)
            return fd;
        lastError = errno;
        ::close(fd);
    }
    fail("{}:{}: cannot listen there: {}", host, port, std::strerror(lastError));
}

std::string localAddressToward(const std::string& host, int port) {
    AddressList addresses = resolve(host, port, SOCK_DGRAM);
    for (addrinfo* address = addresses.get(); address; address = address->ai_next) {
        int fd = ::socket(address->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        // A datagram socket's connect only picks the route; nothing is sent.
        sockaddr_storage local{};
        socklen_t length = sizeof local;
        bool found = ::connect(fd, address->ai_addr, address->ai_addrlen) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0;
        ::close(fd);
        if (found) return numeric(reinterpret_cast<sockaddr*>(&local));
    }
    fail("{}: no route to this host", host);
}

std::string interfaceOf(const std::string& address) {
    ifaddrs* interfaces = nullptr;
    if (::getifaddrs(&interfaces) != 0) return {};
    std::string name;
    for (ifaddrs* entry = interfaces; entry && name.empty(); entry = entry->ifa_next)
        if (entry->ifa_addr &&
            (entry->ifa_addr->sa_family == AF_INET || entry->ifa_addr->sa_family == AF_INET6) &&
            numeric(entry->ifa_addr) == address)
            name = entry->ifa_name;
    ::freeifaddrs(interfaces);
    return name;
}

int freeTcpPort(const std::string& host) {
    int fd = listenOn(host, 0);
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    int port = ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) == 0
                   ? portOf(reinterpret_cast<sockaddr*>(&bound))
                   : 0;
    ::close(fd);
    if (port == 0) fail("{}: cannot find a free port", host);
    return port;
}

}  // namespace strata::run
