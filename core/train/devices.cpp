#include "core/train/devices.h"

#include "core/common/error.h"

#include <ATen/DeviceAccelerator.h>
#include <fmt/format.h>
#include <torch/cuda.h>
#include <torch/version.h>
#include <unistd.h>

#include <cstdio>

#if STRATA_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <torch/csrc/cuda/nccl.h>
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

double knownPeakBf16Flops(const std::string& deviceName) {
    // Dense (no sparsity) bf16 tensor-core peaks from the vendors' data sheets.
    static const std::pair<const char*, double> kPeaks[] = {
        {"H200", 989e12},    {"H100 PCIe", 756e12}, {"H100 NVL", 835e12}, {"H100", 989e12},
        {"GH200", 989e12},   {"B200", 2250e12},     {"A100", 312e12},     {"L40S", 362e12},
        {"L40", 181e12},     {"A10G", 70e12},       {"L4", 121e12},       {"RTX 4090", 165e12},
        {"RTX 3090", 71e12},
    };
    for (const auto& [pattern, flops] : kPeaks)
        if (deviceName.find(pattern) != std::string::npos) return flops;
    return 0;
}

std::string deviceName(const torch::Device& device) {
    for (const DeviceInfo& info : listDevices())
        if (info.id == device.str() ||
            (device.is_cuda() && !device.has_index() && info.id == "cuda:0"))
            return info.name;
    return device.str();
}

uint64_t stepMemoryBytes(const torch::Device& device) {
#if STRATA_WITH_CUDA
    if (device.is_cuda()) {
        using c10::CachingAllocator::StatType;
        auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index());
        return uint64_t(stats.allocated_bytes[size_t(StatType::AGGREGATE)].peak);
    }
#endif
    long residentPages = 0;
    if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%*ld %ld", &residentPages) != 1) residentPages = 0;
        std::fclose(statm);
    }
    return uint64_t(residentPages) * uint64_t(::sysconf(_SC_PAGE_SIZE));
}

torch::Tensor copyToDevice(const torch::Tensor& host, const torch::Device& device) {
    if (!device.is_cuda()) return host.to(device);
    return host.pin_memory().to(device, /*non_blocking=*/true);
}

void resetPeakMemory([[maybe_unused]] const torch::Device& device) {
#if STRATA_WITH_CUDA
    if (device.is_cuda()) c10::cuda::CUDACachingAllocator::resetPeakStats(device.index());
#endif
}

std::string torchVersion() {
    return TORCH_VERSION;
}

bool torchHasCuda() {
    return STRATA_WITH_CUDA != 0;
}

std::string cudaLibraryVersions() {
#if STRATA_WITH_CUDA
    if (torch::cuda::device_count() == 0) return {};
    // CUDA writes versions as major * 1000 + minor * 10, cuDNN as major * 10000 + minor * 100 +
    // patch, NCCL as major * 10000 + minor * 100 + patch (from 2.9).
    const at::CUDAHooksInterface& hooks = at::detail::getCUDAHooks();
    long runtime = hooks.versionCUDART(), cudnn = hooks.versionRuntimeCuDNN();
    uint64_t nccl = torch::cuda::nccl::version();
    return fmt::format("CUDA runtime {}.{}, cuDNN {}.{}.{}, NCCL {}.{}.{}", runtime / 1000,
                       runtime % 1000 / 10, cudnn / 10000, cudnn % 10000 / 100, cudnn % 100,
                       nccl / 10000, nccl % 10000 / 100, nccl % 100);
#else
    return {};
#endif
}

torch::Device rankDevice(const std::string& name, const run::LaunchEnvironment& launch) {
    torch::Device device = chooseRankDevice(name, launch, int(torch::cuda::device_count()));
    if (device.is_cuda()) at::accelerator::setDeviceIndex(device.index());
    return device;
}

torch::Device chooseRankDevice(const std::string& name, const run::LaunchEnvironment& launch,
                               int cudaDevices) {
    using common::fail;
    if (name == "cpu" || (name == "auto" && cudaDevices == 0)) return torch::kCPU;
    if (cudaDevices == 0)
        fail("train.device is \"{}\", but {}", name,
             torchHasCuda() ? "no CUDA device is available" : "this LibTorch has no CUDA");
    torch::Device named(name == "auto" ? "cuda" : name);
    if (named.has_index()) {
        if (named.index() >= cudaDevices)
            fail("train.device is \"{}\", but there are only {} CUDA devices", name, cudaDevices);
        if (launch.localWorldSize > 1)
            fail(
                "train.device is \"{}\" for all {} ranks of this host, but each rank needs a "
                "GPU of its own (\"cuda\" gives rank i cuda:i)",
                name, launch.localWorldSize);
        return named;
    }
    if (launch.localWorldSize > cudaDevices)
        fail("{} ranks run on this host, but it has {} CUDA device{}: one GPU each is needed",
             launch.localWorldSize, cudaDevices, cudaDevices == 1 ? "" : "s");
    return torch::Device(torch::kCUDA, c10::DeviceIndex(launch.localRank));
}

}  // namespace strata::train
