// futex.cc: the blocking wait and the notify, with JS Atomics.wait's results.
//
//   wait(sab, index, expected, timeoutMs) -> "ok" | "not-equal" | "timed-out"
//   notify(sab, index, count)             -> number of waiters woken
//
// wait throws EABORTED when a harness aborts this thread (abortThread) and
// EDEADLK past IPC_SHIM_WAIT_LIMIT_MS. When Node is stopping this env
// (worker.terminate, process.exit) it returns undefined without throwing:
// throwing into a dying env aborts the whole process.
#include "futex.h"

#include <linux/futex.h>

#include <climits>
#include <cmath>
#include <string>

#include "errors.h"
#include "segment.h"

namespace shim {

WaitArgs ReadWaitArgs(const Napi::CallbackInfo& info, const char* fn) {
  WaitArgs args;
  args.bytes = SharedBufferArg(info, 0, fn);
  args.addr = CellAt(info, args.bytes, 1, fn);
  double expected = NumberArg(info, 2, fn, "expected");
  // Same conversion as Atomics.wait: ToInt32 of the expected value.
  args.expected = std::isfinite(expected) ? static_cast<int32_t>(static_cast<uint32_t>(
                      static_cast<int64_t>(std::fmod(std::trunc(expected), 4294967296.0)))) : 0;
  args.timeoutMs = NumberArg(info, 3, fn, "timeoutMs");
  if (std::isnan(args.timeoutMs) || args.timeoutMs < 0) {
    ThrowCode(info.Env(), "EINVAL", std::string(fn) + ": timeoutMs must be >= 0 or Infinity, got " +
              FormatNumber(args.timeoutMs));
  }
  return args;
}

Napi::Value OutcomeString(Napi::Env env, WaitOutcome outcome) {
  switch (outcome) {
    case WaitOutcome::kWoken: return Napi::String::New(env, "ok");
    case WaitOutcome::kNotEqual: return Napi::String::New(env, "not-equal");
    default: return Napi::String::New(env, "timed-out");
  }
}

Napi::Error OutcomeError(Napi::Env env, WaitOutcome outcome, const char* fn) {
  const bool aborted = outcome == WaitOutcome::kAborted;
  std::string message = aborted
      ? std::string(fn) + ": aborted from outside (a harness is stopping this thread)"
      : std::string(fn) + ": blocked longer than IPC_SHIM_WAIT_LIMIT_MS=" + std::to_string(Settings().limitMs) +
            " ms (a deadlock, or a wakeup that never came?)";
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, aborted ? "EABORTED" : "EDEADLK"));
  return error;
}

namespace {

Napi::Value Wait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WaitArgs args = ReadWaitArgs(info, "wait");
  std::shared_ptr<ThreadSlot> slot = SlotOf(env);
  const bool sliced = Settings().sliceMs > 0;
  WaitOutcome outcome = WaitLoop(args.addr, args.expected, args.timeoutMs, *slot, NextWaitTicket(),
                                 [&] { return !sliced || IsEnvAlive(env); });
  switch (outcome) {
    case WaitOutcome::kCancelled: return env.Undefined();
    case WaitOutcome::kAborted:
    case WaitOutcome::kLimit: throw OutcomeError(env, outcome, "wait");
    default: return OutcomeString(env, outcome);
  }
}

Napi::Value Notify(const Napi::CallbackInfo& info) {
  SharedBytes bytes = SharedBufferArg(info, 0, "notify");
  int32_t* addr = CellAt(info, bytes, 1, "notify");
  double count = NumberArg(info, 2, "notify", "count");
  if (std::isnan(count) || count < 0) {
    ThrowCode(info.Env(), "EINVAL", "notify: count must be >= 0 or Infinity, got " + FormatNumber(count));
  }
  int n = count >= INT_MAX ? INT_MAX : static_cast<int>(count);
  int woken = n == 0 ? 0 : FutexWake(addr, n, FUTEX_BITSET_MATCH_ANY);
  return Napi::Number::New(info.Env(), woken);
}

}  // namespace

void RegisterFutex(Napi::Env env, Napi::Object exports) {
  exports.Set("wait", Napi::Function::New(env, Wait, "wait"));
  exports.Set("notify", Napi::Function::New(env, Notify, "notify"));
}

}  // namespace shim
