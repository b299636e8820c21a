// Where a run's processes listen for each other: never on every interface, since the rendezvous
// store takes writes from anyone who connects. Rank 0's store listens on MASTER_ADDR alone, and
// every rank's Gloo (or NCCL bootstrap) on the address this host reaches the master from: the
// loopback for a run on one host, the cluster network's address for a run across hosts.
#pragma once

#include <string>

namespace strata::run {

// A TCP socket bound to host:port (a name or a numeric address) and listening; throws
// common::Error naming the address when it cannot be.
int listenOn(const std::string& host, int port);

// The numeric local address that packets to host:port leave from, as the routes pick it; throws
// common::Error naming the host when it cannot be resolved or reached.
std::string localAddressToward(const std::string& host, int port);

// The network interface that holds `address` ("lo" for 127.0.0.1); empty when none does.
std::string interfaceOf(const std::string& address);

// A TCP port free on `host` (numeric) now, for a rendezvous (MASTER_PORT).
int freeTcpPort(const std::string& host = "127.0.0.1");

}  // namespace strata::run
