// harness.cpp: runs compiled models on reference inputs, on the host or on a
// Cortex-M board in QEMU (file I/O through semihosting).
//
// Usage: harness MANIFEST
// Each manifest line is "MODEL CASE_DIR [OUT_DIR]": the harness reads
// CASE_DIR/in_K.bin (raw bytes of input K), runs MODEL once, writes
// OUT_DIR/out_K.bin (OUT_DIR defaults to CASE_DIR) and prints
//   case MODEL CASE_DIR instructions=N
// where N comes from the target's counter (tmlc_counter_*, see the target's
// startup code; 0 on the host, which measures nothing).
//
// The models linked in are listed by the build in harness_models.inc as
// TMLC_HARNESS_MODEL(name) lines; TMLC_HARNESS_IO_BYTES sizes the one static
// I/O buffer (no heap).
#include <stdio.h>
#include <string.h>

#include "tmlc/model.h"

#define TMLC_HARNESS_MODEL(name) extern "C" const tmlc_model_info* name##_model(void);
#include "harness_models.inc"
#undef TMLC_HARNESS_MODEL

// Instruction counter hooks; targets override these (strong symbols).
extern "C" __attribute__((weak)) void tmlc_counter_start(void) {}
extern "C" __attribute__((weak)) unsigned long long tmlc_counter_stop(void) { return 0; }
extern "C" __attribute__((weak)) unsigned long tmlc_stack_high_water(void) { return 0; }

namespace {

const tmlc_model_info* (*const kModels[])(void) = {
#define TMLC_HARNESS_MODEL(name) name##_model,
#include "harness_models.inc"
#undef TMLC_HARNESS_MODEL
};

#ifndef TMLC_HARNESS_IO_BYTES
#define TMLC_HARNESS_IO_BYTES 65536
#endif
alignas(16) unsigned char g_io[TMLC_HARNESS_IO_BYTES];

// Text buffers are static, not on the stack: a Cortex-M0 has 2 KB of stack.
char g_line[512];
char g_model[128];
char g_dir[384];
char g_out[384];
char g_path[400];

const tmlc_model_info* findModel(const char* name) {
  for (auto get : kModels) {
    const tmlc_model_info* m = get();
    if (strcmp(m->name, name) == 0) return m;
  }
  return nullptr;
}

bool readFile(const char* path, unsigned char* dst, unsigned long bytes) {
  FILE* f = fopen(path, "rb");
  if (!f) return false;
  unsigned long got = bytes ? static_cast<unsigned long>(fread(dst, 1, bytes, f)) : 0;
  fclose(f);
  return got == bytes;
}

bool writeFile(const char* path, const unsigned char* src, unsigned long bytes) {
  FILE* f = fopen(path, "wb");
  if (!f) return false;
  unsigned long put = bytes ? static_cast<unsigned long>(fwrite(src, 1, bytes, f)) : 0;
  fclose(f);
  return put == bytes;
}

// newlib-nano's printf has no %llu: format the count by hand.
const char* formatU64(unsigned long long v, char* buf, unsigned size) {
  char* p = buf + size - 1;
  *p = 0;
  do {
    *--p = static_cast<char>('0' + v % 10u);
    v /= 10u;
  } while (v && p > buf);
  return p;
}

int runCase(const char* model, const char* dir, const char* outDir) {
  const tmlc_model_info* m = findModel(model);
  if (!m) {
    printf("error: model %s is not linked into this harness\n", model);
    return 1;
  }
  const void* ins[16];
  void* outs[16];
  if (m->num_inputs > 16 || m->num_outputs > 16) {
    printf("error: %s: too many inputs or outputs\n", model);
    return 1;
  }
  unsigned long off = 0;
  for (int k = 0; k < m->num_inputs; ++k) {
    unsigned long b = m->inputs[k].bytes;
    if (off + b > sizeof g_io) {
      printf("error: %s: inputs exceed the harness buffer\n", model);
      return 1;
    }
    snprintf(g_path, sizeof g_path, "%s/in_%d.bin", dir, k);
    if (!readFile(g_path, g_io + off, b)) {
      printf("error: cannot read %s (%lu bytes)\n", g_path, b);
      return 1;
    }
    ins[k] = g_io + off;
    off = (off + b + 15u) & ~15ul;
  }
  for (int k = 0; k < m->num_outputs; ++k) {
    unsigned long b = m->outputs[k].bytes;
    if (off + b > sizeof g_io) {
      printf("error: %s: outputs exceed the harness buffer\n", model);
      return 1;
    }
    memset(g_io + off, 0, b);
    outs[k] = g_io + off;
    off = (off + b + 15u) & ~15ul;
  }
  tmlc_counter_start();
  m->run(ins, outs);
  unsigned long long n = tmlc_counter_stop();
  unsigned long stack = tmlc_stack_high_water();  // before file I/O touches the stack
  for (int k = 0; k < m->num_outputs; ++k) {
    snprintf(g_path, sizeof g_path, "%s/out_%d.bin", outDir, k);
    if (!writeFile(g_path, static_cast<const unsigned char*>(outs[k]), m->outputs[k].bytes)) {
      printf("error: cannot write %s\n", g_path);
      return 1;
    }
  }
  char count[24];
  printf("case %s %s instructions=%s stack=%lu\n", model, dir, formatU64(n, count, sizeof count), stack);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    printf("usage: harness MANIFEST\n");
    return 2;
  }
  FILE* f = fopen(argv[1], "r");
  if (!f) {
    printf("error: cannot open manifest %s\n", argv[1]);
    return 2;
  }
  int failures = 0;
  while (fgets(g_line, sizeof g_line, f)) {
    int fields = sscanf(g_line, "%127s %383s %383s", g_model, g_dir, g_out);
    if (fields < 2) continue;
    failures += runCase(g_model, g_dir, fields == 3 ? g_out : g_dir);
  }
  fclose(f);
  printf("harness done failures=%d\n", failures);
  return failures ? 1 : 0;
}
