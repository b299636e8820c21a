// The compute devices this process can train on, as LibTorch sees them: the CPU always, and each
// CUDA device when torch was built with CUDA and a driver is present.
#pragma once

#include "core/run/launch_environment.h"

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace strata::train {

struct DeviceInfo {
    std::string id;            // "cpu", "cuda:0", ...
    std::string name;          // "CPU (16 threads)", "NVIDIA H100 80GB HBM3"
    uint64_t memoryBytes = 0;  // device memory; 0 when not known
};

std::vector<DeviceInfo> listDevices();

// The device train.device names ("auto": the first CUDA device, else the CPU; "cpu"; "cuda";
// "cuda:N") for one rank of a run (`launch`; a default one for a single process), where "auto"
// and "cuda" give each rank of a host the CUDA device of its LOCAL_RANK. A CUDA device is made
// this process's current one, so NCCL and every kernel launch without a device go there. A
// common::Error when the device is not available here.
torch::Device rankDevice(const std::string& name, const run::LaunchEnvironment& launch = {});

// rankDevice's choice on a host with `cudaDevices` CUDA devices, setting nothing. One-line errors:
// a CUDA device that is not there, fewer devices than the host's ranks, and several ranks of a
// host on one named device (NCCL refuses two ranks on one GPU).
torch::Device chooseRankDevice(const std::string& name, const run::LaunchEnvironment& launch,
                               int cudaDevices);

// The dense bf16 peak FLOP/s of a known GPU by its name (H100, H200, A100, ...), for model FLOPs
// utilization; 0 for anything else, CPUs included.
double knownPeakBf16Flops(const std::string& deviceName);

// The name of a torch device as listDevices() reports it.
std::string deviceName(const torch::Device& device);

// `host` on `device` without the host waiting for the copy: on CUDA through page-locked memory
// and a non-blocking copy (the caching host allocator holds the staging buffer until the copy
// ends), elsewhere a plain copy.
torch::Tensor copyToDevice(const torch::Tensor& host, const torch::Device& device);

// The memory a training step used: on CUDA the peak allocated since resetPeakMemory(), on the CPU
// the process's resident set.
uint64_t stepMemoryBytes(const torch::Device& device);
void resetPeakMemory(const torch::Device& device);
std::string torchVersion();
bool torchHasCuda();
// "CUDA runtime 13.0, cuDNN 9.13.0, NCCL 2.27.7" as loaded; empty without a CUDA device.
std::string cudaLibraryVersions();

}  // namespace strata::train
