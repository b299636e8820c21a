// Counts, on this thread, the operators that make a CUDA host wait for the device: reading a
// scalar (`.item()`, `if (tensor)`, `torch::equal`) and results whose shape depends on the data
// (nonzero, masked_select, unique, bincount, repeat_interleave without its size). On the CPU they
// wait for nothing, but they are the same calls, so a CPU test that counts them catches a new
// host sync before a GPU run would. Copies to the host are not told apart here (on the CPU every
// tensor is already there); CUDA's sync-debug mode lists them on a GPU. Reads inside a CPU kernel
// whose CUDA kernel makes none (isHostOnlyKernel) are left out.
#pragma once

#include <ATen/record_function.h>

#include <map>
#include <string>

namespace strata::test {

class HostReadCounter {
public:
    HostReadCounter() {
        m_handle = at::addThreadLocalCallback(
            at::RecordFunctionCallback(
                [](const at::RecordFunction& call) -> std::unique_ptr<at::ObserverContext> {
                    if (!t_counter) return nullptr;
                    if (isHostOnlyKernel(call.name()))
                        ++t_counter->m_insideHostKernel;
                    else if (t_counter->m_insideHostKernel == 0 && isHostRead(call.name()))
                        ++t_counter->m_counts[call.name()];
                    return nullptr;
                },
                [](const at::RecordFunction& call, at::ObserverContext*) {
                    if (t_counter && isHostOnlyKernel(call.name())) --t_counter->m_insideHostKernel;
                })
                .scopes({at::RecordScope::FUNCTION}));
        t_counter = this;
    }
    ~HostReadCounter() {
        t_counter = nullptr;
        at::removeCallback(m_handle);
    }
    HostReadCounter(const HostReadCounter&) = delete;
    HostReadCounter& operator=(const HostReadCounter&) = delete;

    const std::map<std::string, int>& counts() const { return m_counts; }
    int total() const {
        int sum = 0;
        for (const auto& [name, count] : m_counts)
            sum += count;
        return sum;
    }

private:
    // CPU kernels that read scalars of their own inputs where the CUDA kernel reads none: the
    // fused AdamW reads each parameter's step count, and the grouped product's fallback each
    // group's end, on the CPU only.
    static bool isHostOnlyKernel(std::string_view name) {
        return name == "aten::_fused_adamw_" || name == "aten::_fused_adam_" ||
               name == "aten::_grouped_mm";
    }

    static bool isHostRead(std::string_view name) {
        static const char* const kNames[] = {"aten::_local_scalar_dense",
                                             "aten::is_nonzero",
                                             "aten::equal",
                                             "aten::nonzero",
                                             "aten::masked_select",
                                             "aten::_unique2",
                                             "aten::unique_dim",
                                             "aten::unique_consecutive",
                                             "aten::bincount",
                                             "aten::repeat_interleave"};
        for (const char* known : kNames)
            if (name == known) return true;
        return false;
    }

    static inline thread_local HostReadCounter* t_counter = nullptr;
    at::CallbackHandle m_handle = 0;
    int m_insideHostKernel = 0;
    std::map<std::string, int> m_counts;
};

}  // namespace strata::test
