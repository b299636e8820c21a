# strata_use_torch(<target>): links LibTorch and compiles the target's sources against one
# precompiled torch header (core/torch_pch.h), so a torch translation unit costs seconds.
function(strata_use_torch target)
  target_link_libraries(${target} PUBLIC "${TORCH_LIBRARIES}")
  # libtorch.so exports its own copy of parts of std::filesystem (remove_all among them) that
  # crash when called from our code; naming libstdc++ first makes the dynamic linker bind those
  # symbols to the system library.
  target_link_options(${target} INTERFACE "LINKER:--push-state,--no-as-needed,-lstdc++,--pop-state")
  # Named as <core/torch_pch.h>, found through the include path: the header CMake generates to
  # include it then holds no path of this clone.
  target_precompile_headers(${target} PRIVATE <core/torch_pch.h>)
  target_compile_definitions(${target} PRIVATE STRATA_WITH_CUDA=$<BOOL:${STRATA_TORCH_HAS_CUDA}>)
endfunction()
