// The compute devices this process can train on, as LibTorch sees them: the CPU always, and each
// CUDA device when torch was built with CUDA and a driver is present.
#pragma once

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

// The device train.device names ("auto", "cpu", "cuda", "cuda:N"); a common::Error when it is
// not available here.
torch::Device resolveDevice(const std::string& name);

// The dense bf16 peak FLOP/s of a known GPU by its name (H100, H200, A100, ...), for model FLOPs
// utilization; 0 for anything else, CPUs included.
double knownPeakBf16Flops(const std::string& deviceName);

// The name of a torch device as listDevices() reports it.
std::string deviceName(const torch::Device& device);

// The memory a training step used: on CUDA the peak allocated since resetPeakMemory(), on the CPU
// the process's resident set.
uint64_t stepMemoryBytes(const torch::Device& device);
void resetPeakMemory(const torch::Device& device);
std::string torchVersion();
bool torchHasCuda();

}  // namespace strata::train
