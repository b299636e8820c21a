// The compute devices this process can train on, as LibTorch sees them: the CPU always, and each
// CUDA device when torch was built with CUDA and a driver is present.
#pragma once

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
std::string torchVersion();
bool torchHasCuda();

}  // namespace strata::train
