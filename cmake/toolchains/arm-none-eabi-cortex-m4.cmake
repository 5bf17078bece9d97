# arm-none-eabi-cortex-m4.cmake: Cortex-M4F (targets/cortex-m4, QEMU mps2-an386).
set(TMLC_TARGET cortex-m4)
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi.cmake)
