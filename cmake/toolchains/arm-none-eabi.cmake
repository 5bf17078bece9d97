# arm-none-eabi.cmake: cross-compiling for a tmlc Cortex-M target with Debian's
# gcc-arm-none-eabi and newlib. The CPU, FPU and ABI flags come from the
# target's description (targets/<TMLC_TARGET>/target.txt, key cflags), so a
# board of your own needs no toolchain file of its own:
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=<tmlc>/cmake/toolchains/arm-none-eabi.cmake \
#         -DTMLC_TARGET=cortex-m7 ...           (or -DTMLC_TARGET=/path/to/board)
#
# The per-core files (arm-none-eabi-cortex-m4.cmake ...) only set TMLC_TARGET.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# No test executables during configuration: they could not link without a linker script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

if(NOT TMLC_TARGET)
  set(TMLC_TARGET cortex-m4)
endif()
# try_compile projects re-read this file: hand them the target.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES TMLC_TARGET)

include(${CMAKE_CURRENT_LIST_DIR}/../TmlcTarget.cmake)
tmlc_read_target(${TMLC_TARGET} TMLC_TOOLCHAIN)
if(NOT TMLC_TOOLCHAIN_TOOLCHAIN STREQUAL "arm-none-eabi")
  message(FATAL_ERROR "tmlc target '${TMLC_TARGET}' is not built with arm-none-eabi")
endif()

set(CMAKE_C_FLAGS_INIT "${TMLC_TOOLCHAIN_CFLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT
    "${TMLC_TOOLCHAIN_CFLAGS} -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit")
set(CMAKE_ASM_FLAGS_INIT "${TMLC_TOOLCHAIN_CFLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${TMLC_TOOLCHAIN_CFLAGS}")
