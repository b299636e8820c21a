// One rank's membership of a multi-process run: the rendezvous through a TCPStore at
// MASTER_ADDR:MASTER_PORT (rank 0 hosts it) and torch's c10d process group on it, Gloo for CPU
// tensors and NCCL for CUDA ones. Every wait is bounded by the timeout, and every failure (an
// unreachable master, a peer that died, a collective that timed out) is a one-line common::Error
// naming this rank and what it waited for; NCCL's collectives only make the stream wait, and
// NCCL's watchdog ends a rank whose collective outlives the timeout.
#pragma once

#include "core/run/launch_environment.h"

#include <torch/types.h>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace strata::distributed {

class ProcessGroup {
public:
    // Blocks until all launch.worldSize ranks have joined, or fails after `timeout`. A CUDA
    // `device` (with its index: the rank's GPU) gets an NCCL group bound to it; the group is shut
    // down when this is destroyed.
    static std::unique_ptr<ProcessGroup> join(const run::LaunchEnvironment& launch,
                                              const torch::Device& device,
                                              std::chrono::milliseconds timeout);

    ~ProcessGroup();
    ProcessGroup(const ProcessGroup&) = delete;
    ProcessGroup& operator=(const ProcessGroup&) = delete;

    int rank() const { return m_rank; }
    int size() const { return m_size; }
    bool isMain() const { return m_rank == 0; }
    const c10::intrusive_ptr<c10d::ProcessGroup>& c10dGroup() const { return m_group; }

    // In place, on every rank. `what` names the collective in an error.
    void allReduceSum(torch::Tensor& tensor, const char* what);
    void allReduceMax(torch::Tensor& tensor, const char* what);
    void broadcast(torch::Tensor& tensor, int root, const char* what);
    // Many tensors from `root`, in as few broadcasts as fit (c10d's coalescing, as DDP's).
    void broadcastCoalesced(const std::vector<torch::Tensor>& tensors, int root, const char* what);
    // Every rank's rows, dim 0 concatenated in rank order (the tensors are alike in shape).
    torch::Tensor allGather(const torch::Tensor& tensor, const char* what);
    // Sends input's first inputSplits[0] rows to rank 0, the next inputSplits[1] to rank 1, ...,
    // into output, outputSplits[r] rows from rank r in rank order. Empty splits: equal parts.
    void allToAll(torch::Tensor& output, const torch::Tensor& input,
                  std::vector<int64_t> outputSplits, std::vector<int64_t> inputSplits,
                  const char* what);
    void send(torch::Tensor& tensor, int toRank, const char* what);
    void receive(torch::Tensor& tensor, int fromRank, const char* what);

    // Every rank's `text` under `key`, in rank order, exchanged through the store.
    std::vector<std::string> allGatherText(const std::string& key, const std::string& text);

    // Texts a rank leaves for rank 0 in the store, outside the collectives: nothing waits for
    // them, and rank 0 takes what has arrived whenever it asks, each rank's in the order sent.
    void leaveForMain(const std::string& text);
    struct LeftText {
        int rank;
        std::string text;
    };
    std::vector<LeftText> takeLeftTexts();

    // A collective named `what` failed with `error` (c10d's, over several lines): a one-line
    // common::Error naming this rank.
    [[noreturn]] void failedExchange(const char* what, const std::exception& error) const;

private:
    ProcessGroup(int rank, int size, std::chrono::milliseconds timeout, bool nccl,
                 c10::intrusive_ptr<c10d::Store> store,
                 c10::intrusive_ptr<c10d::ProcessGroup> group);
    void allReduce(torch::Tensor& tensor, c10d::ReduceOp::RedOpType op, const char* what);
    // Waits for `work`, turning c10d's multi-line failures into one line.
    void wait(const c10::intrusive_ptr<c10d::Work>& work, const char* what);

    int m_rank;
    int m_size;
    std::chrono::milliseconds m_timeout;
    bool m_nccl;  // CUDA tensors, NCCL's collectives
    c10::intrusive_ptr<c10d::Store> m_store;
    c10::intrusive_ptr<c10d::ProcessGroup> m_group;
    int64_t m_textsLeft = 0;            // by this rank, for leaveForMain
    std::vector<int64_t> m_textsTaken;  // of each rank, for takeLeftTexts
};

}  // namespace strata::distributed
