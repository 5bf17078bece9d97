/* counter_test.cpp: checks the instruction counter and the stack measurement of
 * targets/cortex-m/startup.c against programs whose counts are known.
 *
 * loop(n) runs "subs; bne" n times: 2n instructions, plus a few for the call
 * (a constant, measured with n = 1). The counter locates the start and the
 * end of a run to within one iteration of its 4-instruction spin loop (see
 * targets/cortex-m/startup.c), so for every n the count minus the constant
 * must be 2n within 4 instructions either way; a SysTick tick is 40 or more.
 * deep(d) recurses d times with a frame of 256 bytes and more: the stack
 * reported must be at least 256 * d.
 * Prints "ok" lines and exits 0, or prints "FAIL" lines and exits 1.
 * Built and run by qemu_counter_test.cpp through the same harness build as
 * `tmlc validate` (this file replaces targets/common/harness.cpp). */
#include <stdint.h>
#include <stdio.h>

extern "C" void tmlc_counter_start(void);
extern "C" unsigned long long tmlc_counter_stop(void);
extern "C" unsigned long tmlc_stack_high_water(void);

__attribute__((noinline)) void loop(uint32_t n) {
  __asm__ volatile(".syntax unified\n 1: subs %0, %0, #1\n bne 1b\n" : "+l"(n) : : "cc");
}

__attribute__((noinline)) int deep(int d) {
  volatile char buf[256];
  buf[0] = (char)d;
  buf[255] = (char)d;
  return d ? deep(d - 1) + buf[0] + buf[255] : 0;
}

static unsigned long long measure(uint32_t n) {
  tmlc_counter_start();
  loop(n);
  return tmlc_counter_stop();
}

int main() {
  const long long tick = (long long)(1000000000ull / TMLC_CPU_HZ + 1);
  const long long resolution = 4;
  const long long base = (long long)measure(1) - 2;
  int failures = 0, ok;
  static const uint32_t ns[] = {10, 1000, 12345, 100000, 1000000, 10000000, 40000000};
  // nano printf: no %lld.
  printf("SysTick tick <= %ld instructions, resolution %ld, call overhead %ld\n", (long)tick, (long)resolution,
         (long)base);
  for (unsigned i = 0; i < sizeof ns / sizeof ns[0]; ++i) {
    long long got = (long long)measure(ns[i]) - base, want = 2ll * ns[i];
    long long diff = got - want;
    ok = diff <= resolution && diff >= -resolution;
    printf("%s loop n=%lu: expected %ld, measured %ld\n", ok ? "ok" : "FAIL", (unsigned long)ns[i], (long)want, (long)got);
    failures += !ok;
  }
  /* Repeatable: the same run gives the same count, to the resolution. */
  long long a = (long long)measure(54321), b = (long long)measure(54321);
  ok = a - b <= resolution && b - a <= resolution;
  printf("%s repeat: %ld and %ld\n", ok ? "ok" : "FAIL", (long)a, (long)b);
  failures += !ok;

  tmlc_counter_start();
  int r = deep(6);  // 1.5 KB of the cortex-m0's 2 KB stack
  (void)tmlc_counter_stop();
  unsigned long stack = tmlc_stack_high_water();
  ok = stack >= 6 * 256 && stack < 6 * 256 + 512 && r >= 0;
  printf("%s stack of deep(6): %lu bytes (at least %d)\n", ok ? "ok" : "FAIL", stack, 6 * 256);
  failures += !ok;
  return failures ? 1 : 0;
}
