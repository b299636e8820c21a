// Compiles the precompiled header that every TORCH test reuses (cmake/StrataTest.cmake).
