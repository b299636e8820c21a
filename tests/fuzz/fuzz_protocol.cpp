// libFuzzer target for the worker's message decoders, the bytes a peer controls: any input must
// either decode or throw ProtocolError (never crash, hang or trip a sanitizer), and a request
// that decodes must survive encode → decode unchanged.
#include "core/proto/protocol.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace strata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view line(reinterpret_cast<const char*>(data), size);
    try {
        std::string encoded = proto::encodeRequest(proto::decodeRequest(line));
        if (proto::encodeRequest(proto::decodeRequest(encoded)) != encoded) std::abort();
    } catch (const proto::ProtocolError&) {
    }
    try {
        proto::decodeWorkerMessage(line);
    } catch (const proto::ProtocolError&) {
    }
    return 0;
}
