#include "core/store/shard_records.h"

#include "core/common/error.h"
#include "core/common/workspace_paths.h"
#include "core/data/token_shard.h"

#include <fmt/format.h>
#include <simdjson.h>

namespace strata::store {

RecordedShards recordShardSet(RunHistory& history, const std::filesystem::path& shards,
                              const std::filesystem::path& workspace) {
    const std::filesystem::path manifestPath = shards / "manifest.json";
    simdjson::dom::parser parser;
    simdjson::dom::element manifest;
    if (auto error = parser.load(manifestPath.string()).get(manifest))
        common::fail("{}: cannot read the shard manifest: {}", manifestPath.string(),
                     simdjson::error_message(error));
    simdjson::dom::element report;
    std::string_view tokenizerPath, tokenizerFingerprint;
    int64_t vocabSize = 0;
    if (manifest["report"].get(report))
        common::fail("{}: the manifest has no report", manifestPath.string());
    // The manifest's fingerprint is of the tokenizer the shards were encoded with, which is what
    // lineage is about, even if the file has changed or moved since.
    if (manifest["tokenizer"]["path"].get(tokenizerPath) ||
        manifest["tokenizer"]["fingerprint"].get(tokenizerFingerprint) ||
        manifest["tokenizer"]["vocab_size"].get(vocabSize))
        common::fail(
            "{}: the manifest has no tokenizer.path, tokenizer.fingerprint and "
            "tokenizer.vocab_size",
            manifestPath.string());
    RecordedShards recorded{
        {common::workspaceRelative(shards, workspace), data::shardSetFingerprint(shards),
         simdjson::to_string(report)},
        {common::workspaceRelative(tokenizerPath, workspace), std::string(tokenizerFingerprint),
         fmt::format("{{\"vocab_size\":{}}}", vocabSize)}};
    history.recordDataset(recorded.shards);
    history.recordTokenizer(recorded.tokenizer);
    return recorded;
}

}  // namespace strata::store
