// The shape of every tensor a model of a config keeps (its parameters and the routers' bias
// buffers), under the names modelState() gives them, from the config alone: a model from
// elsewhere is checked against it before a byte of the model is allocated. The tests hold it
// equal to what the modules register.
#pragma once

#include "core/model_spec/model_config.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace strata::model_spec {

using TensorShapes = std::vector<std::pair<std::string, std::vector<int64_t>>>;

TensorShapes modelTensorShapes(const ModelConfig& config);

}  // namespace strata::model_spec
