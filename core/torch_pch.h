// The precompiled header of every LibTorch translation unit in core/ (cmake/StrataTorch.cmake).
#pragma once

#include <torch/torch.h>
