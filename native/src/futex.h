// futex.h: sleep and wake on a 32-bit cell of a shared segment.
#pragma once
#include <napi.h>

#include "segment.h"
#include "waiters.h"

namespace shim {

// Reads (sab, index, expected, timeoutMs) as wait and waitAsync take them.
struct WaitArgs {
  SharedBytes bytes;  // keeps the mapping alive while we wait
  int32_t* addr;
  int32_t expected;
  double timeoutMs;
};
WaitArgs ReadWaitArgs(const Napi::CallbackInfo& info, const char* fn);

// The JS value of an outcome: "ok" | "not-equal" | "timed-out", or an Error for the rest.
Napi::Value OutcomeString(Napi::Env env, WaitOutcome outcome);
Napi::Error OutcomeError(Napi::Env env, WaitOutcome outcome, const char* fn);

void RegisterFutex(Napi::Env env, Napi::Object exports);
void RegisterFutexAsync(Napi::Env env, Napi::Object exports);

}  // namespace shim
