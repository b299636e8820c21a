#include "core/distributed/process_group.h"

#include "core/common/error.h"
#include "core/run/listen_address.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/comm.hpp>
#if STRATA_WITH_CUDA
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <c10/util/Logging.h>

#include <cstdlib>
#include <string_view>

namespace strata::distributed {

using common::fail;

namespace {

// c10d's messages run over several lines (and often start with a source location); the first
// line after the location says what happened.
std::string firstLine(std::string_view message) {
    if (message.starts_with('[')) {
        size_t close = message.find("] ");
        if (close != std::string_view::npos) message.remove_prefix(close + 2);
    }
    return std::string(message.substr(0, message.find('\n')));
}

// `localAddress` is where this rank listens for its peers: the address it reaches the master from.
c10::intrusive_ptr<c10d::Backend> makeBackend(const c10::intrusive_ptr<c10d::Store>& store,
                                              const run::LaunchEnvironment& launch,
                                              const torch::Device& device,
                                              std::chrono::milliseconds timeout,
                                              const std::string& localAddress) {
#if STRATA_WITH_CUDA
    if (device.is_cuda()) {
        // NCCL's bootstrap listens on the interface it is told (a setting of the user's wins).
        if (std::string interface = run::interfaceOf(localAddress); !interface.empty())
            ::setenv("NCCL_SOCKET_IFNAME", ("=" + interface).c_str(), /*overwrite=*/0);
        auto options = c10d::ProcessGroupNCCL::Options::create();
        options->timeout = timeout;
        auto backend = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, launch.rank,
                                                                   launch.worldSize, options);
        // Bound to the rank's GPU, as init_process_group(device_id=...) binds it: the
        // communicator is made now, on that device, rather than guessed at the first collective.
        backend->setBoundDeviceId(device);
        backend->eagerConnectSingleDevice(device);
        return backend;
    }
#endif
    if (!device.is_cpu()) fail("no process group backend for device {}", device.str());
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    // Gloo's default binds what the host name resolves to; the address this host reaches the
    // master from is the one its peers reach it by, and the only one it needs.
    options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(localAddress));
    return c10::make_intrusive<c10d::ProcessGroupGloo>(store, launch.rank, launch.worldSize,
                                                       options);
}

}  // namespace

std::unique_ptr<ProcessGroup> ProcessGroup::join(const run::LaunchEnvironment& launch,
                                                 const torch::Device& device,
                                                 std::chrono::milliseconds timeout) {
    const std::string master = fmt::format("{}:{}", launch.masterAddr, launch.masterPort);
    std::string localAddress;
    int listenFd = -1;
    try {
        localAddress = run::localAddressToward(launch.masterAddr, launch.masterPort);
        // c10d's own store server would listen on every interface.
        if (launch.rank == 0) listenFd = run::listenOn(launch.masterAddr, launch.masterPort);
    } catch (const common::Error& error) {
        fail("rank {}: the rendezvous at {} (MASTER_ADDR:MASTER_PORT): {}", launch.rank, master,
             error.what());
    }
    c10::intrusive_ptr<c10d::Store> store;
    // c10d logs every failed connection attempt with a stack trace; the failure that matters
    // comes back as the exception below, as one line.
    const int logLevel = std::exchange(FLAGS_caffe2_log_level, 3);
    try {
        c10d::TCPStoreOptions options;
        options.port = uint16_t(launch.masterPort);
        options.isServer = launch.rank == 0;
        options.numWorkers = size_t(launch.worldSize);
        options.waitWorkers = true;
        options.timeout = timeout;
        if (listenFd >= 0) options.masterListenFd = listenFd;
        store = c10::make_intrusive<c10d::TCPStore>(launch.masterAddr, options);
        FLAGS_caffe2_log_level = logLevel;
    } catch (const std::exception& error) {
        FLAGS_caffe2_log_level = logLevel;
        fail("rank {}: the rendezvous at {} (MASTER_ADDR:MASTER_PORT) failed within {} s: {}",
             launch.rank, master, timeout.count() / 1000, firstLine(error.what()));
    }
    try {
        auto prefixed = c10::make_intrusive<c10d::PrefixStore>("strata", store);
        auto group =
            c10::make_intrusive<c10d::ProcessGroup>(prefixed, launch.rank, launch.worldSize);
        c10d::ProcessGroup::BackendType type = device.is_cuda()
                                                   ? c10d::ProcessGroup::BackendType::NCCL
                                                   : c10d::ProcessGroup::BackendType::GLOO;
        group->setBackend(device.type(), type,
                          makeBackend(prefixed, launch, device, timeout, localAddress));
        group->setDefaultBackend(type);
        if (device.is_cuda()) group->setBoundDeviceId(device);
        return std::unique_ptr<ProcessGroup>(new ProcessGroup(
            launch.rank, launch.worldSize, timeout, device.is_cuda(), prefixed, group));
    } catch (const common::Error&) {
        throw;
    } catch (const std::exception& error) {
        fail("rank {}: joining the process group of {} ranks at {} failed: {}", launch.rank,
             launch.worldSize, master, firstLine(error.what()));
    }
}

ProcessGroup::ProcessGroup(int rank, int size, std::chrono::milliseconds timeout, bool nccl,
                           c10::intrusive_ptr<c10d::Store> store,
                           c10::intrusive_ptr<c10d::ProcessGroup> group)
    : m_rank(rank),
      m_size(size),
      m_timeout(timeout),
      m_nccl(nccl),
      m_store(std::move(store)),
      m_group(std::move(group)) {}

ProcessGroup::~ProcessGroup() {
    // NCCL's communicators are torn down here, not by the process's exit (which warns, and can
    // hang while a peer is gone).
    try {
        m_group->shutdown();
    } catch (const std::exception&) {
        // A peer that died already ended the run; its error has been reported.
    }
}

void ProcessGroup::wait(const c10::intrusive_ptr<c10d::Work>& work, const char* what) {
    try {
        // NCCL's wait with a timeout blocks the host, polling until the collective ends; without
        // one the current stream waits on the device, and NCCL's watchdog enforces the timeout
        // given at creation (ending the process with its own message).
        work->wait(m_nccl ? kNoTimeout : m_timeout);
    } catch (const std::exception& error) {
        failedExchange(what, error);
    }
}

void ProcessGroup::failedExchange(const char* what, const std::exception& error) const {
    fail("rank {}: {} across {} ranks failed (a rank exited or did not answer within {} s): {}",
         m_rank, what, m_size, m_timeout.count() / 1000, firstLine(error.what()));
}

void ProcessGroup::allReduce(torch::Tensor& tensor, c10d::ReduceOp::RedOpType op,
                             const char* what) {
    std::vector<torch::Tensor> tensors{tensor};
    c10d::AllreduceOptions options;
    options.reduceOp = op;
    wait(m_group->allreduce(tensors, options), what);
}

void ProcessGroup::allReduceSum(torch::Tensor& tensor, const char* what) {
    allReduce(tensor, c10d::ReduceOp::SUM, what);
}

void ProcessGroup::allReduceMax(torch::Tensor& tensor, const char* what) {
    allReduce(tensor, c10d::ReduceOp::MAX, what);
}

void ProcessGroup::broadcast(torch::Tensor& tensor, int root, const char* what) {
    std::vector<torch::Tensor> tensors{tensor};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    wait(m_group->broadcast(tensors, options), what);
}

void ProcessGroup::broadcastCoalesced(const std::vector<torch::Tensor>& tensors, int root,
                                      const char* what) {
    // DDP's bucket for its start-up broadcast.
    constexpr size_t kBufferBytes = size_t(250) << 20;
    try {
        c10d::broadcast_coalesced(m_group, tensors, kBufferBytes, root);
    } catch (const std::exception& error) {
        failedExchange(what, error);
    }
}

torch::Tensor ProcessGroup::allGather(const torch::Tensor& tensor, const char* what) {
    std::vector<torch::Tensor> inputs{tensor.contiguous()};
    std::vector<std::vector<torch::Tensor>> outputs(1);
    for (int rank = 0; rank < m_size; ++rank)
        outputs[0].push_back(torch::empty_like(inputs[0]));
    wait(m_group->allgather(outputs, inputs), what);
    return torch::cat(outputs[0]);
}

void ProcessGroup::allToAll(torch::Tensor& output, const torch::Tensor& input,
                            std::vector<int64_t> outputSplits, std::vector<int64_t> inputSplits,
                            const char* what) {
    torch::Tensor contiguous = input.contiguous();
    wait(m_group->alltoall_base(output, contiguous, outputSplits, inputSplits), what);
}

void ProcessGroup::send(torch::Tensor& tensor, int toRank, const char* what) {
    std::vector<torch::Tensor> tensors{tensor};
    wait(m_group->send(tensors, toRank, 0), what);
}

void ProcessGroup::receive(torch::Tensor& tensor, int fromRank, const char* what) {
    std::vector<torch::Tensor> tensors{tensor};
    wait(m_group->recv(tensors, fromRank, 0), what);
}

std::vector<std::string> ProcessGroup::allGatherText(const std::string& key,
                                                     const std::string& text) {
    auto keyOf = [&](int rank) { return fmt::format("{}/{}", key, rank); };
    try {
        m_store->set(keyOf(m_rank), std::vector<uint8_t>(text.begin(), text.end()));
        std::vector<std::string> texts;
        for (int rank = 0; rank < m_size; ++rank) {
            m_store->wait({keyOf(rank)}, m_timeout);
            std::vector<uint8_t> value = m_store->get(keyOf(rank));
            texts.emplace_back(value.begin(), value.end());
        }
        return texts;
    } catch (const std::exception& error) {
        fail("rank {}: exchanging {} with the other {} ranks failed within {} s: {}", m_rank, key,
             m_size - 1, m_timeout.count() / 1000, firstLine(error.what()));
    }
}

namespace {

std::string leftTextCountKey(int rank) {
    return fmt::format("left-for-main/{}/count", rank);
}
std::string leftTextKey(int rank, int64_t index) {
    return fmt::format("left-for-main/{}/{}", rank, index);
}

}  // namespace

void ProcessGroup::leaveForMain(const std::string& text) {
    try {
        m_store->set(leftTextKey(m_rank, m_textsLeft),
                     std::vector<uint8_t>(text.begin(), text.end()));
        // The count goes up only once the text is there, so rank 0 never asks for a missing key.
        m_store->add(leftTextCountKey(m_rank), 1);
        ++m_textsLeft;
    } catch (const std::exception& error) {
        fail("rank {}: leaving a message for rank 0 failed: {}", m_rank, firstLine(error.what()));
    }
}

std::vector<ProcessGroup::LeftText> ProcessGroup::takeLeftTexts() {
    std::vector<LeftText> texts;
    m_textsTaken.resize(size_t(m_size), 0);
    try {
        for (int rank = 1; rank < m_size; ++rank) {
            const int64_t count = m_store->add(leftTextCountKey(rank), 0);
            for (int64_t& taken = m_textsTaken[size_t(rank)]; taken < count; ++taken) {
                std::vector<uint8_t> value = m_store->get(leftTextKey(rank, taken));
                m_store->deleteKey(leftTextKey(rank, taken));
                texts.push_back({rank, std::string(value.begin(), value.end())});
            }
        }
    } catch (const std::exception& error) {
        fail("rank {}: reading the messages other ranks left failed: {}", m_rank,
             firstLine(error.what()));
    }
    return texts;
}

}  // namespace strata::distributed
