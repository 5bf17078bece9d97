# TmlcTarget.cmake: build firmware for a tmlc target description
# (targets/<name>/target.txt, see docs/targets.md) and run it in QEMU under ctest.
#
#   tmlc_read_target(NAME_OR_DIR PREFIX)
#       Reads the description; sets PREFIX_<KEY> in the caller's scope for every
#       key (PREFIX_CFLAGS, PREFIX_QEMU_MACHINE, PREFIX_CPU_HZ, ...), with
#       PREFIX_LINKER_SCRIPT and PREFIX_STARTUP as absolute paths and PREFIX_DIR
#       the description's folder. NAME_OR_DIR is a target name (looked up in
#       ${TMLC_HOME}/targets) or a folder holding a target.txt.
#
#   tmlc_add_firmware(TARGET fw SOURCES main.cpp ... [TMLC_TARGET cortex-m4])
#       An executable for the target: your sources plus the target's startup
#       code (vector table, .data/.bss, FPU, semihosting, instruction counter),
#       linked with its linker script, newlib-nano and semihosting (rdimon).
#       The compiler flags come from the toolchain file
#       (cmake/toolchains/arm-none-eabi.cmake, which reads the same description).
#
#   tmlc_add_qemu_test(NAME test TARGET fw [TMLC_TARGET cortex-m4] [ARGS a b ...])
#       A ctest test running fw in QEMU (the target's machine, semihosting,
#       -icount shift=0 for exact instruction counts); main's return value is
#       the test's exit status.
#
# TMLC_HOME is the tmlc source tree (default: this file's parent folder);
# TMLC_TARGET the default target (the toolchain file sets it).
if(NOT TMLC_HOME)
  get_filename_component(TMLC_HOME "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
endif()

function(tmlc_read_target name_or_dir prefix)
  if(IS_DIRECTORY "${name_or_dir}")
    get_filename_component(dir "${name_or_dir}" ABSOLUTE)
  else()
    set(dir "${TMLC_HOME}/targets/${name_or_dir}")
  endif()
  if(NOT EXISTS "${dir}/target.txt")
    message(FATAL_ERROR "tmlc: no target description ${dir}/target.txt")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${dir}/target.txt")
  file(STRINGS "${dir}/target.txt" lines)
  set(${prefix}_DIR "${dir}" PARENT_SCOPE)
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "#.*$" "" line "${line}")
    string(STRIP "${line}" line)
    if(line MATCHES "^([a-z_]+)[ \t]+(.*)$")
      string(TOUPPER "${CMAKE_MATCH_1}" key)
      set(value "${CMAKE_MATCH_2}")
      if(key STREQUAL "LINKER_SCRIPT" OR key STREQUAL "STARTUP")
        # Relative to the description's folder, or else to ${TMLC_HOME}/targets.
        if(NOT IS_ABSOLUTE "${value}" AND NOT EXISTS "${dir}/${value}"
           AND EXISTS "${TMLC_HOME}/targets/${value}")
          set(value "${TMLC_HOME}/targets/${value}")
        endif()
        get_filename_component(value "${value}" ABSOLUTE BASE_DIR "${dir}")
      endif()
      set(${prefix}_${key} "${value}" PARENT_SCOPE)
    endif()
  endforeach()
endfunction()

# "4K" -> 4096, "1M" -> 1048576, "512" -> 512 (target.txt's sizes).
function(tmlc_byte_size text out)
  if(text MATCHES "^([0-9]+)([KM]?)$")
    set(n ${CMAKE_MATCH_1})
    if(CMAKE_MATCH_2 STREQUAL "K")
      math(EXPR n "${n} * 1024")
    elseif(CMAKE_MATCH_2 STREQUAL "M")
      math(EXPR n "${n} * 1048576")
    endif()
    set(${out} ${n} PARENT_SCOPE)
  else()
    set(${out} 0 PARENT_SCOPE)
  endif()
endfunction()

function(tmlc_add_firmware)
  cmake_parse_arguments(ARG "" "TARGET;TMLC_TARGET" "SOURCES" ${ARGN})
  if(NOT ARG_TMLC_TARGET)
    set(ARG_TMLC_TARGET ${TMLC_TARGET})
  endif()
  tmlc_read_target(${ARG_TMLC_TARGET} T)
  tmlc_byte_size("${T_STACK}" stack)
  tmlc_byte_size("${T_HEAP}" heap)
  add_executable(${ARG_TARGET} ${ARG_SOURCES} ${T_STARTUP})
  set_target_properties(${ARG_TARGET} PROPERTIES SUFFIX ".elf")
  set_source_files_properties(${T_STARTUP} PROPERTIES COMPILE_DEFINITIONS TMLC_CPU_HZ=${T_CPU_HZ})
  target_link_options(${ARG_TARGET} PRIVATE
    --specs=nano.specs --specs=rdimon.specs -Wl,--gc-sections
    -L${TMLC_HOME}/targets/cortex-m -L${T_DIR} -T${T_LINKER_SCRIPT}
    -Wl,--defsym=__stack_size__=${stack} -Wl,--defsym=__heap_size__=${heap}
    -Wl,-Map=$<TARGET_FILE_DIR:${ARG_TARGET}>/${ARG_TARGET}.map)
  set_property(TARGET ${ARG_TARGET} APPEND PROPERTY LINK_DEPENDS ${T_LINKER_SCRIPT})
  # Flash and RAM of the image after every link.
  add_custom_command(TARGET ${ARG_TARGET} POST_BUILD
    COMMAND arm-none-eabi-size $<TARGET_FILE:${ARG_TARGET}>)
endfunction()

function(tmlc_add_qemu_test)
  cmake_parse_arguments(ARG "" "NAME;TARGET;TMLC_TARGET" "ARGS" ${ARGN})
  if(NOT ARG_TMLC_TARGET)
    set(ARG_TMLC_TARGET ${TMLC_TARGET})
  endif()
  tmlc_read_target(${ARG_TMLC_TARGET} T)
  set(semihosting "enable=on,target=native,arg=${ARG_TARGET}")
  foreach(a IN LISTS ARG_ARGS)
    string(APPEND semihosting ",arg=${a}")
  endforeach()
  separate_arguments(extra UNIX_COMMAND "${T_QEMU_ARGS}")
  add_test(NAME ${ARG_NAME}
           COMMAND qemu-system-arm -M ${T_QEMU_MACHINE} -nographic -monitor none -serial null
                   -semihosting-config ${semihosting} -icount shift=0 ${extra}
                   -kernel $<TARGET_FILE:${ARG_TARGET}>)
  set_tests_properties(${ARG_NAME} PROPERTIES TIMEOUT 300)
endfunction()
