#include "core/cleaning/exact_dedup.h"

#include <xxhash.h>

namespace strata::cleaning {

TextHash hashText(std::string_view text) {
    XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
    return {hash.low64, hash.high64};
}

}  // namespace strata::cleaning
