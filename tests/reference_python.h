// The environment the tests' Python references (transformers, gguf, llama.cpp's converter) run
// in: the pytools python, with the torch LibTorch came from appended to its path when it lacks
// one (STRATA_TORCH_SITE_PACKAGES, read by tests/reference_torch.py), and no progress bars on
// stderr.
#pragma once

#include <QProcessEnvironment>

namespace strata::test {

inline QProcessEnvironment referencePythonEnvironment(const char* torchSitePackages) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("STRATA_TORCH_SITE_PACKAGES", torchSitePackages);
    environment.insert("HF_HUB_DISABLE_PROGRESS_BARS", "1");
    environment.insert("TQDM_DISABLE", "1");
    return environment;
}

}  // namespace strata::test
