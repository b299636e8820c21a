#include "core/train/devices.h"

#include <fmt/format.h>
#include <torch/cuda.h>
#include <torch/version.h>
#include <unistd.h>

#if STRATA_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace strata::train {

std::vector<DeviceInfo> listDevices() {
    std::vector<DeviceInfo> devices;
    long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGE_SIZE);
    devices.push_back({"cpu", fmt::format("CPU ({} threads)", at::get_num_threads()),
                       uint64_t(pages) * uint64_t(pageSize)});
#if STRATA_WITH_CUDA
    for (int index = 0; index < int(torch::cuda::device_count()); ++index) {
        const cudaDeviceProp* properties = at::cuda::getDeviceProperties(index);
        devices.push_back({fmt::format("cuda:{}", index), properties->name,
                           uint64_t(properties->totalGlobalMem)});
    }
#endif
    return devices;
}

std::string torchVersion() {
    return TORCH_VERSION;
}

bool torchHasCuda() {
    return STRATA_WITH_CUDA != 0;
}

}  // namespace strata::train
