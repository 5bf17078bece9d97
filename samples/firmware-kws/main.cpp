// main.cpp: a keyword-spotting firmware for Cortex-M, built with CMake around
// the code tmlc generates from samples/kws/kws.onnx (see CMakeLists.txt).
//
// It runs the DS-CNN on the test vectors (MFCC patches with ONNX Runtime's
// scores, baked into kws_test_vector.h at build time), prints the class each
// one gets, its score, the instructions and stack one inference took, and
// checks every score against ONNX Runtime's. main's return value (0 = all
// agree) is QEMU's exit status, through semihosting.
#include <math.h>
#include <stdio.h>

#include "kws.h"
#include "kws_test_vector.h"

// The instruction counter and stack measurement of the startup code
// (targets/cortex-m/startup.c).
extern "C" void tmlc_counter_start(void);
extern "C" unsigned long long tmlc_counter_stop(void);
extern "C" unsigned long tmlc_stack_high_water(void);

namespace {

float g_scores[KWS_OUTPUT0_ELEMENTS];

int argmax(const float* v, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (v[i] > v[best]) best = i;
  return best;
}

}  // namespace

int main() {
  int failures = 0;
  for (int k = 0; k < kNumVectors; ++k) {
    tmlc_counter_start();
    kws_run(kInputs[k], g_scores);
    unsigned long long instructions = tmlc_counter_stop();
    unsigned long stack = tmlc_stack_high_water();

    float maxErr = 0;
    for (int i = 0; i < KWS_OUTPUT0_ELEMENTS; ++i) {
      float err = fabsf(g_scores[i] - kExpected[k][i]);
      if (!(err <= 1e-5f + 1e-3f * fabsf(kExpected[k][i]))) ++failures;
      if (err > maxErr) maxErr = err;
    }
    int cls = argmax(g_scores, KWS_OUTPUT0_ELEMENTS);
    if (cls != argmax(kExpected[k], KWS_OUTPUT0_ELEMENTS)) ++failures;
    // newlib-nano's printf has neither %f nor %llu: print micro-units and 32-bit counts.
    printf("vector %d: class %d, score %ld/1000000, max error vs ONNX Runtime %ld/1000000000\n", k, cls,
           static_cast<long>(lroundf(g_scores[cls] * 1e6f)), static_cast<long>(lroundf(maxErr * 1e9f)));
    printf("  %lu instructions, %lu bytes of stack, arena %u bytes\n", static_cast<unsigned long>(instructions),
           stack, static_cast<unsigned>(KWS_ARENA_BYTES));
  }
  printf("%s\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
