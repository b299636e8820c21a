# strata_use_torch(<target>): links LibTorch and compiles the target's sources against one
# precompiled torch header (core/torch_pch.h), so a torch translation unit costs seconds.
function(strata_use_torch target)
  target_link_libraries(${target} PUBLIC "${TORCH_LIBRARIES}")
  target_precompile_headers(${target} PRIVATE ${PROJECT_SOURCE_DIR}/core/torch_pch.h)
  target_compile_definitions(${target} PRIVATE STRATA_WITH_CUDA=$<BOOL:${STRATA_TORCH_HAS_CUDA}>)
endfunction()
