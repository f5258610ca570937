#ifndef SHOMEI_LIBFUZZER_DRIVER_H
#define SHOMEI_LIBFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, linked in by `-sanitize=fuzzer`. SwiftPM gives every executable a Swift
/// entry point (it links `main` to `<module>_main`), so libFuzzer's own `main` is never used:
/// the fuzz target's `main` calls this instead.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
