// A read-only memory map of a whole file: token shards and tokenizer files are read through it,
// so the kernel pages data in on demand and shares it between processes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace strata::common {

class MappedFile {
public:
    MappedFile() = default;
    // Throws Error naming the file when it cannot be opened or mapped.
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const char* data() const { return m_data; }
    size_t size() const { return m_size; }
    std::string_view view() const { return {m_data, m_size}; }

private:
    const char* m_data = nullptr;
    size_t m_size = 0;
};

}  // namespace strata::common
