// The precompiled header of every LibTorch translation unit in core/.
#pragma once

#include <torch/torch.h>
