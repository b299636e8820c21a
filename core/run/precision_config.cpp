#include "core/run/precision_config.h"

namespace strata::run {

const char* fp8FormatName(Fp8Format format) {
    return format == Fp8Format::E4M3 ? "e4m3" : "e5m2";
}

const char* fp8RecipeName(Fp8Recipe recipe) {
    switch (recipe) {
        case Fp8Recipe::Tensorwise:
            return "tensorwise";
        case Fp8Recipe::Delayed:
            return "delayed";
        case Fp8Recipe::Rowwise:
            return "rowwise";
        default:
            return "blockwise";
    }
}

const char* amaxComputeName(AmaxCompute compute) {
    return compute == AmaxCompute::Max ? "max" : "most_recent";
}

std::optional<Fp8Format> parseFp8Format(const std::string& name) {
    for (Fp8Format format : {Fp8Format::E4M3, Fp8Format::E5M2})
        if (name == fp8FormatName(format)) return format;
    return std::nullopt;
}

std::optional<Fp8Recipe> parseFp8Recipe(const std::string& name) {
    for (Fp8Recipe recipe :
         {Fp8Recipe::Tensorwise, Fp8Recipe::Delayed, Fp8Recipe::Rowwise, Fp8Recipe::Blockwise})
        if (name == fp8RecipeName(recipe)) return recipe;
    return std::nullopt;
}

std::optional<AmaxCompute> parseAmaxCompute(const std::string& name) {
    for (AmaxCompute compute : {AmaxCompute::Max, AmaxCompute::MostRecent})
        if (name == amaxComputeName(compute)) return compute;
    return std::nullopt;
}

}  // namespace strata::run
