// futex_async.cc: waitAsync, a futex wait that never blocks the event loop.
//
//   waitAsync(sab, index, expected, timeoutMs) -> Promise<"ok" | "not-equal" | "timed-out">
//
// Each pending wait sleeps on a std::thread of its own and reports back through
// a ThreadSafeFunction. Not Napi::AsyncWorker: its waits would occupy libuv's
// 4 pool threads (starving fs and dns) and block worker.terminate().
//
// Teardown invariant: the TSFN finalizer runs on the JS thread, both after the
// normal Release() and when Node tears the env down with the wait pending. It
// cancels the wait, wakes it, and joins the thread before freeing anything, so
// the thread never touches a freed TSFN or Deferred.
#include <atomic>
#include <thread>

#include "errors.h"
#include "futex.h"

namespace shim {
namespace {

struct PendingWait {
  WaitArgs args;
  std::shared_ptr<ThreadSlot> slot;
  WaitTicket ticket = NextWaitTicket();
  std::atomic<bool> cancelled{false};
  WaitOutcome outcome = WaitOutcome::kCancelled;
  Napi::Promise::Deferred deferred;
  Napi::ThreadSafeFunction tsfn;
  std::thread thread;

  PendingWait(WaitArgs a, std::shared_ptr<ThreadSlot> s, Napi::Env env)
      : args(std::move(a)), slot(std::move(s)), deferred(Napi::Promise::Deferred::New(env)) {}
};

// On the JS thread; env is null when the env is going away (nothing to settle then).
void Settle(Napi::Env env, Napi::Function, std::nullptr_t*, PendingWait* wait) {
  if (env == nullptr) return;
  if (wait->outcome == WaitOutcome::kAborted || wait->outcome == WaitOutcome::kLimit) {
    wait->deferred.Reject(OutcomeError(env, wait->outcome, "waitAsync").Value());
  } else {
    wait->deferred.Resolve(OutcomeString(env, wait->outcome));
  }
}

using SettleTsfn = Napi::TypedThreadSafeFunction<std::nullptr_t, PendingWait, Settle>;

Napi::Value WaitAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WaitArgs args = ReadWaitArgs(info, "waitAsync");
  auto* wait = new PendingWait(std::move(args), SlotOf(env), env);
  Napi::Promise promise = wait->deferred.Promise();

  auto tsfn = SettleTsfn::New(
      env, "ipc-shim waitAsync", 0, 1, static_cast<std::nullptr_t*>(nullptr),
      [wait](Napi::Env, void*, std::nullptr_t*) {
        wait->cancelled.store(true);
        wait->slot->WakeUntilGone(wait->ticket.id);  // partner: the stillWanted() check in WaitLoop
        wait->thread.join();
        delete wait;
      });

  wait->thread = std::thread([wait, tsfn]() mutable {
    wait->outcome = WaitLoop(wait->args.addr, wait->args.expected, wait->args.timeoutMs, *wait->slot, wait->ticket,
                             [wait] { return !wait->cancelled.load(); });
    if (wait->outcome != WaitOutcome::kCancelled) tsfn.BlockingCall(wait);
    tsfn.Release();
  });
  return promise;
}

}  // namespace

void RegisterFutexAsync(Napi::Env env, Napi::Object exports) {
  exports.Set("waitAsync", Napi::Function::New(env, WaitAsync, "waitAsync"));
}

}  // namespace shim
