/* startup.c: start-up code shared by every Cortex-M target (ARMv6-M to
 * ARMv8.1-M), for programs run in QEMU with semihosting.
 *
 * What it does, in order:
 *   1. the vector table (section .vectors, placed first in flash by
 *      targets/cortex-m/sections.ld): initial stack pointer, Reset_Handler,
 *      the fault handlers and SysTick;
 *   2. Reset_Handler: enables the FPU (CP10/CP11 in CPACR) when the build uses
 *      one (also needed for Helium on the M55), copies .data from flash to RAM,
 *      zeroes .bss, paints the stack with a pattern, sets up newlib's
 *      semihosting file handles, runs the static constructors, fetches the
 *      command line from the host (SYS_GET_CMDLINE) and calls main(argc, argv);
 *   3. exit(): newlib flushes stdio, then _exit() (defined here) leaves QEMU
 *      with SYS_EXIT_EXTENDED so that main's return value becomes QEMU's exit
 *      status;
 *   4. the instruction counter behind the harness hooks tmlc_counter_start/stop
 *      (see targets/common/harness.cpp). SysTick runs free from boot on the
 *      processor clock (reload 2^24-1, its interrupt counting wraps). With
 *      QEMU's `-icount shift=0` every guest instruction advances virtual time
 *      by exactly 1 ns, so a tick of the TMLC_CPU_HZ clock is 1e9/TMLC_CPU_HZ
 *      instructions (40 on the 25 MHz MPS2 boards). A tick alone would give
 *      that resolution; instead a measurement starts at a tick edge and ends
 *      at the first edge after the stop, minus the iterations of a
 *      4-instruction spin loop spent waiting for it, which locates both ends
 *      to within 4 instructions. The hooks' own cost, measured at boot, is
 *      subtracted. The count is deterministic (QEMU's icount mode is), and
 *      tests/qemu/counter_test.cpp checks it against loops of known length.
 *      TMLC_CPU_HZ comes from the target description (targets/<name>/target.txt,
 *      key cpu_hz). newlib's heap (_sbrk below) is the linker script's .heap
 *      section;
 *   5. tmlc_stack_high_water: tmlc_counter_start repaints the stack below
 *      itself; after the run, the lowest word that lost the pattern, measured
 *      from the SP of tmlc_counter_start's caller, gives the bytes of stack
 *      the run used (a run using less than the hooks' own frames, about 72
 *      bytes, reads as that). A stack worn down to its bottom reads as the
 *      whole stack's size: an overflow.
 *
 * Faults print their name and the faulting PC through semihosting and exit
 * with status 3, so a crash in QEMU is a clear error, not a hang.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef TMLC_CPU_HZ
#error "TMLC_CPU_HZ (the SysTick processor clock of the QEMU machine) must be defined"
#endif

/* Symbols from the linker script (targets/cortex-m/sections.ld). */
extern uint32_t __data_load__[], __data_start__[], __data_end__[];
extern uint32_t __bss_start__[], __bss_end__[];
extern uint32_t __stack_bottom__[], __stack_top__[];
extern char end[], __heap_limit__[];

int main(int argc, char** argv);
void initialise_monitor_handles(void);
void __libc_init_array(void);

/* ---- semihosting ---------------------------------------------------------- */

enum {
  kSysWrite0 = 0x04,
  kSysGetCmdline = 0x15,
  kSysExit = 0x18,
  kSysExitExtended = 0x20,
  kAdpStoppedApplicationExit = 0x20026,
};

static int semihost(int op, void* arg) {
  register int r0 __asm__("r0") = op;
  register void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/* Leaves QEMU with `status` as its exit code (newlib's exit() ends here). */
void _exit(int status) {
  int block[2] = {kAdpStoppedApplicationExit, status};
  semihost(kSysExitExtended, block);
  /* A host without the extended call: plain SYS_EXIT (status 0 or 1). */
  semihost(kSysExit, (void*)(intptr_t)(status == 0 ? kAdpStoppedApplicationExit : 0x20023));
  for (;;) {
  }
}

/* newlib's malloc (stdio buffers of the harness) takes memory from the .heap
 * section only, so it never grows into the painted stack. */
void* _sbrk(ptrdiff_t incr) {
  static char* brk = end;
  if (brk + incr > __heap_limit__ || brk + incr < end) {
    errno = ENOMEM;
    return (void*)-1;
  }
  char* old = brk;
  brk += incr;
  return old;
}

/* The command line, split at spaces (the harness's paths have none). */
static char g_cmdline[512];
static char* g_argv[8];

static int fetchArgs(void) {
  struct {
    char* buf;
    int len;
  } block = {g_cmdline, (int)sizeof g_cmdline - 1};
  int argc = 0;
  if (semihost(kSysGetCmdline, &block) != 0) return 0;
  g_cmdline[sizeof g_cmdline - 1] = 0;
  char* p = g_cmdline;
  while (*p && argc < (int)(sizeof g_argv / sizeof g_argv[0]) - 1) {
    while (*p == ' ') *p++ = 0;
    if (!*p) break;
    g_argv[argc++] = p;
    while (*p && *p != ' ') ++p;
  }
  g_argv[argc] = 0;
  return argc;
}

/* ---- system control registers --------------------------------------------- */

#define REG(addr) (*(volatile uint32_t*)(addr))
#define SCB_CPACR REG(0xE000ED88u)
#define SCB_ICSR REG(0xE000ED04u)
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)

#define ICSR_PENDSTSET (1u << 26)
#define SYST_RELOAD 0x00FFFFFFu /* 24-bit counter */

/* ---- stack painting -------------------------------------------------------- */

#define STACK_PAINT 0xC5C5C5C5u

/* Paints from the bottom of the stack up to the caller's SP. In assembly: a C
 * version could sample the SP before its own (shrink-wrapped) prologue and
 * paint over its saved registers. Nothing below the SP is live (no interrupt
 * but SysTick's rare wrap). */
__attribute__((naked, noinline)) static void paintStack(void) {
  __asm__ volatile(
      ".syntax unified\n"
      "ldr r0, =__stack_bottom__\n"
      "ldr r1, =0xC5C5C5C5\n"
      "mov r2, sp\n"
      "1: cmp r0, r2\n"
      "bhs 2f\n"
      "str r1, [r0]\n"
      "adds r0, r0, #4\n"
      "b 1b\n"
      "2: bx lr\n"
      ".ltorg\n");
}

static uintptr_t g_runSp;  /* SP of tmlc_counter_start's caller */

unsigned long tmlc_stack_high_water(void) {
  if (!g_runSp) return 0;
  const uint32_t* p = __stack_bottom__;
  /* Started below the stack, or wore the paint down to its bottom: an
   * overflow. Report the whole stack so the caller can tell. */
  if (g_runSp <= (uintptr_t)p || *p != STACK_PAINT)
    return (unsigned long)((uintptr_t)__stack_top__ - (uintptr_t)__stack_bottom__);
  while (p < (const uint32_t*)g_runSp && *p == STACK_PAINT) ++p;
  return (unsigned long)(g_runSp - (uintptr_t)p);
}

/* ---- instruction counter --------------------------------------------------- */

static volatile uint32_t g_wraps;
static uint64_t g_startTicks;

void SysTick_Handler(void) { ++g_wraps; }

/* Starts SysTick free-running from the processor clock. Right after it is
 * enabled the counter reads 0 until the first tick loads the reload value, so
 * this waits for that tick: from then on readTicks() is exact. */
static void startSysTick(void) {
  SYST_CSR = 0;
  SYST_RVR = SYST_RELOAD;
  SYST_CVR = 0;
  g_wraps = 0;
  SYST_CSR = 7; /* processor clock, interrupt, enable */
  for (int i = 0; i < 100000 && SYST_CVR == 0; ++i) {
  }
}

/* Ticks since startSysTick; correct across a wrap whose interrupt is still
 * pending. */
static uint64_t readTicks(void) {
  uint32_t w, v;
  int pending;
  do {
    w = g_wraps;
    v = SYST_CVR;
    pending = (SCB_ICSR & ICSR_PENDSTSET) != 0;
  } while (w != g_wraps);
  if (pending && v > SYST_RELOAD / 2) ++w; /* wrapped, handler not run yet */
  return (uint64_t)w * (SYST_RELOAD + 1u) + (SYST_RELOAD - v);
}

/* Spins until SysTick's value changes (a tick edge) and returns how many
 * iterations that took. The loop is exactly kSpinInstructions instructions
 * long (written in assembly, ARMv6-M compatible), so the edge is located to
 * within one iteration. */
enum { kSpinInstructions = 4 };

static uint32_t spinToTick(void) {
  volatile uint32_t* cvr = &SYST_CVR;
  uint32_t v0 = *cvr, v, n = 0;
  __asm__ volatile(
      ".syntax unified\n" /* GCC's default for Thumb-1 inline asm is divided */
      "1: ldr %[v], [%[cvr]]\n"
      "   adds %[n], %[n], #1\n"
      "   cmp %[v], %[v0]\n"
      "   beq 1b\n"
      : [n] "+l"(n), [v] "=&l"(v)
      : [cvr] "l"(cvr), [v0] "l"(v0)
      : "cc", "memory");
  return n;
}

static uint64_t g_overhead; /* instructions of an empty measurement */

/* A measurement starts at a tick edge and ends at the next edge after the
 * stop, minus the instructions spun waiting for it: the resolution is one
 * spin iteration (kSpinInstructions), not one tick. */
static uint64_t rawStop(void) {
  uint32_t n = spinToTick();
  uint64_t ticks = readTicks() - g_startTicks;
  /* 1 instruction = 1 ns under -icount shift=0. */
  uint64_t elapsed = ticks * 1000000000ull / TMLC_CPU_HZ;
  uint64_t spun = (uint64_t)n * kSpinInstructions;
  return elapsed > spun ? elapsed - spun : 0;
}

/* tmlc_counter_start records its caller's SP (on entry, before any frame)
 * and continues in tmlc_counter_start_at, which repaints the stack below its
 * own frame: the run's use is measured from the caller's SP. */
__attribute__((used)) void tmlc_counter_start_at(uintptr_t callerSp) {
  g_runSp = callerSp;
  paintStack();
  spinToTick();
  g_startTicks = readTicks();
}

__attribute__((naked)) void tmlc_counter_start(void) {
  __asm__ volatile(
      "mov r0, sp\n"
      "ldr r1, =tmlc_counter_start_at\n"
      "bx r1\n"
      ".ltorg\n");
}

unsigned long long tmlc_counter_stop(void) {
  uint64_t raw = rawStop();
  return (unsigned long long)(raw > g_overhead ? raw - g_overhead : 0);
}

/* The cost of the hooks themselves: the least of a few empty measurements. */
static void calibrateCounter(void) {
  uint64_t best = ~(uint64_t)0;
  for (int i = 0; i < 4; ++i) {
    tmlc_counter_start();
    uint64_t raw = rawStop();
    if (raw < best) best = raw;
  }
  g_overhead = best;
  g_runSp = 0;
}

/* ---- faults ---------------------------------------------------------------- */

static void hexWord(char* out, uint32_t v) {
  for (int i = 7; i >= 0; --i) {
    uint32_t d = v & 15u;
    out[i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v >>= 4;
  }
}

static const char* const kFaultNames[] = {
    "hard fault",
    "memory management fault",
    "bus fault",
    "usage fault (undefined instruction, unaligned access or divide by zero)",
    "secure fault",
    "unexpected exception",
};

/* Called with the exception stack frame (r0-r3, r12, lr, pc, xpsr) and the
 * index of the fault's name. */
__attribute__((used)) void tmlc_report_fault(const uint32_t* frame, uint32_t which) {
  char msg[128] = "\nfatal: ";
  int n = 8;
  for (const char* s = kFaultNames[which]; *s && n < 100; ++s) msg[n++] = *s;
  for (const char* s = " at pc=0x"; *s; ++s) msg[n++] = *s;
  hexWord(msg + n, frame[6]);
  n += 8;
  msg[n++] = '\n';
  msg[n] = 0;
  semihost(kSysWrite0, msg);
  _exit(3);
}

/* Each handler passes the active stack (MSP or PSP: bit 2 of EXC_RETURN) and
 * its name's index. ARMv6-M compatible (no IT blocks). */
#define FAULT_HANDLER(fn, index)                 \
  __attribute__((naked, used)) void fn(void) {   \
    __asm__ volatile(                            \
        "mov r0, lr\n"                           \
        "movs r1, #4\n"                          \
        "tst r0, r1\n"                           \
        "bne 1f\n"                               \
        "mrs r0, msp\n"                          \
        "b 2f\n"                                 \
        "1: mrs r0, psp\n"                       \
        "2: movs r1, #" #index "\n"              \
        "ldr r2, =tmlc_report_fault\n"           \
        "bx r2\n"                                \
        ".ltorg\n");                             \
  }

FAULT_HANDLER(HardFault_Handler, 0)
FAULT_HANDLER(MemManage_Handler, 1)
FAULT_HANDLER(BusFault_Handler, 2)
FAULT_HANDLER(UsageFault_Handler, 3)
FAULT_HANDLER(SecureFault_Handler, 4)
FAULT_HANDLER(Unexpected_Handler, 5)

/* ---- reset ----------------------------------------------------------------- */

void Reset_Handler(void) {
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  SCB_CPACR |= (0xFu << 20); /* CP10, CP11: full access */
  __asm__ volatile("dsb\n isb" ::: "memory");
#endif
  for (uint32_t *s = __data_load__, *d = __data_start__; d < __data_end__;) *d++ = *s++;
  for (uint32_t* d = __bss_start__; d < __bss_end__;) *d++ = 0;
  paintStack();
  initialise_monitor_handles();
  __libc_init_array();
  startSysTick();
  calibrateCounter();
  int argc = fetchArgs();
  exit(main(argc, g_argv));
}

/* ---- vector table ---------------------------------------------------------- */

typedef void (*Vector)(void);

__attribute__((section(".vectors"), used)) const Vector g_vectors[16] = {
    (Vector)(uintptr_t)__stack_top__,
    Reset_Handler,
    Unexpected_Handler,  /* NMI */
    HardFault_Handler,
    MemManage_Handler,   /* reserved on ARMv6-M */
    BusFault_Handler,
    UsageFault_Handler,
    SecureFault_Handler, /* ARMv8-M mainline */
    0,
    0,
    0,
    Unexpected_Handler,  /* SVCall */
    Unexpected_Handler,  /* DebugMonitor */
    0,
    Unexpected_Handler,  /* PendSV */
    SysTick_Handler,
};
