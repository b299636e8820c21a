// The settings of the two low-precision modes, the [fp8] and [fp16] tables of a run config.
// core/train/fp8.md explains the FP8 recipes; loss_scaler.h the FP16 loss scaling.
#pragma once

#include <cstddef>

namespace strata::run {

enum class Fp8Format { E4M3, E5M2 };

// How each FP8 operand is scaled (core/train/fp8.md):
//   Tensorwise  one scale per tensor from its current largest |value|
//   Delayed     one scale per tensor from the largest |value| of the last steps (Transformer
//               Engine's delayed scaling)
//   Rowwise     one scale per row along the contraction dimension
//   Blockwise   DeepSeek-V3's fine-grained scaling: 1x128 tiles for activations and gradients,
//               128x128 blocks for weights
enum class Fp8Recipe { Tensorwise, Delayed, Rowwise, Blockwise };

// The output gradients' format. Auto takes the recipe's: E5M2 (more range) for one scale per
// tensor, as Transformer Engine; E4M3 for row-wise and block-wise scales, whose finer scales
// give the range back, as DeepSeek-V3 — and which Hopper's row- and block-wise FP8 products
// take only in E4M3, so the backward's products run natively too.
enum class Fp8GradFormat { Auto, E4M3, E5M2 };

// Which amax of the delayed-scaling history sets the scale: the largest, or the newest.
enum class AmaxCompute { Max, MostRecent };

struct Fp8Config {
    Fp8Recipe recipe = Fp8Recipe::Rowwise;
    Fp8GradFormat gradFormat = Fp8GradFormat::Auto;  // forward operands are always E4M3
    int amaxHistory = 16;                            // delayed: steps of amax remembered
    AmaxCompute amaxCompute = AmaxCompute::Max;
    int margin = 0;               // delayed: the scale is divided by 2^margin for headroom
    bool allowEmulation = false;  // run emulated where the device has no FP8 matrix units
    bool operator==(const Fp8Config&) const = default;
};

// FP16's dynamic loss scaling: the loss is multiplied by the scale before backward; a step whose
// gradients overflow is skipped and the scale multiplied by backoff_factor; growth_interval
// steps in a row without overflow multiply it by growth_factor.
struct LossScaleConfig {
    double initialScale = 65536;
    double growthFactor = 2;
    double backoffFactor = 0.5;
    int growthInterval = 2000;
    bool operator==(const LossScaleConfig&) const = default;
};

// Each enum's names in the config, in the order of its values.
inline constexpr const char* kFp8Formats[] = {"e4m3", "e5m2"};
inline constexpr const char* kFp8GradFormats[] = {"auto", "e4m3", "e5m2"};
inline constexpr const char* kFp8Recipes[] = {"tensorwise", "delayed", "rowwise", "blockwise"};
inline constexpr const char* kAmaxComputes[] = {"max", "most_recent"};

inline const char* fp8FormatName(Fp8Format format) {
    return kFp8Formats[size_t(format)];
}
inline const char* fp8RecipeName(Fp8Recipe recipe) {
    return kFp8Recipes[size_t(recipe)];
}

// The format the output gradients are quantized to under this config.
inline Fp8Format fp8GradFormat(const Fp8Config& config) {
    switch (config.gradFormat) {
        case Fp8GradFormat::E4M3:
            return Fp8Format::E4M3;
        case Fp8GradFormat::E5M2:
            return Fp8Format::E5M2;
        case Fp8GradFormat::Auto:
            break;
    }
    const bool perTensor =
        config.recipe == Fp8Recipe::Tensorwise || config.recipe == Fp8Recipe::Delayed;
    return perTensor ? Fp8Format::E5M2 : Fp8Format::E4M3;
}

}  // namespace strata::run
