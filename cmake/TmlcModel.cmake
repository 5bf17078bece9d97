# TmlcModel.cmake: compile an ONNX model into a library target at build time.
#
#   tmlc_add_model(TARGET kws MODEL kws.onnx [NAME kws] [TMLC_TARGET cortex-m4]
#                  [OPTIONS --shape input=1x1x49x10 ...])
#
# Creates a static library TARGET from the generated NAME.cpp, with NAME.h and
# the tmlc runtime on its include path. The compiler re-runs when the model or
# the tmlc executable changes.
function(tmlc_add_model)
  cmake_parse_arguments(ARG "" "TARGET;MODEL;NAME;TMLC_TARGET" "OPTIONS" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_MODEL)
    message(FATAL_ERROR "tmlc_add_model: TARGET and MODEL are required")
  endif()
  if(NOT ARG_NAME)
    get_filename_component(ARG_NAME ${ARG_MODEL} NAME_WE)
    string(MAKE_C_IDENTIFIER "${ARG_NAME}" ARG_NAME)
  endif()
  if(NOT ARG_TMLC_TARGET)
    set(ARG_TMLC_TARGET host)
  endif()
  get_filename_component(model_abs ${ARG_MODEL} ABSOLUTE)
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/tmlc_${ARG_TARGET})

  if(TARGET tmlc)
    set(tmlc_exe $<TARGET_FILE:tmlc>)
    set(tmlc_dep tmlc)
  elseif(TMLC_EXECUTABLE)
    set(tmlc_exe ${TMLC_EXECUTABLE})
    set(tmlc_dep ${TMLC_EXECUTABLE})
  else()
    message(FATAL_ERROR "tmlc_add_model: set TMLC_EXECUTABLE to the tmlc compiler")
  endif()

  add_custom_command(
    OUTPUT ${out_dir}/${ARG_NAME}.h ${out_dir}/${ARG_NAME}.cpp
    COMMAND ${tmlc_exe} compile ${model_abs} -o ${out_dir} --name ${ARG_NAME}
            --target ${ARG_TMLC_TARGET} ${ARG_OPTIONS}
    DEPENDS ${model_abs} ${tmlc_dep}
    COMMENT "tmlc: compiling ${ARG_MODEL} (${ARG_TMLC_TARGET})"
    VERBATIM)
  add_library(${ARG_TARGET} STATIC ${out_dir}/${ARG_NAME}.cpp)
  if(NOT TMLC_RUNTIME_INCLUDE_DIR)
    set(TMLC_RUNTIME_INCLUDE_DIR ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../runtime/include)
  endif()
  target_include_directories(${ARG_TARGET} PUBLIC ${out_dir} ${TMLC_RUNTIME_INCLUDE_DIR})
  target_compile_features(${ARG_TARGET} PUBLIC cxx_std_17)
endfunction()
