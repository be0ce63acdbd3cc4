// waiters.h: the futex wait loop shared by wait and waitAsync, and the
// per-thread records that let a harness end a wait from outside.
//
// A wait sleeps in FUTEX_WAIT_BITSET with a bit of its own, so that an abort
// can wake exactly that waiter (FUTEX_WAKE_BITSET with its bit) while notify
// (FUTEX_WAKE, all bits) wakes anyone. There are only 31 bits, so two waits in
// progress may share one (a spurious wake, which futex(2) allows); each wait
// also has an id that never repeats, and only the id says which wait is which. Not FUTEX_PRIVATE_FLAG: the waiter and
// the notifier may be in different processes; the kernel keys a shared futex
// by (inode, offset), so separate mappings of one segment meet.
#pragma once
#include <napi.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace shim {

// Who a wait is: `id` is unique in the process (never 0), `bit` its futex bit.
struct WaitTicket {
  uint64_t id;
  uint32_t bit;
};
WaitTicket NextWaitTicket();

enum class WaitOutcome { kWoken, kNotEqual, kTimedOut, kAborted, kCancelled, kLimit };

struct WaitSettings {
  int64_t sliceMs;  // IPC_SHIM_SLICE_MS: wake up this often to check for teardown (0: exact futex)
  int64_t limitMs;  // IPC_SHIM_WAIT_LIMIT_MS: a wait blocked longer fails with EDEADLK (0: no limit)
};
const WaitSettings& Settings();

// One per JS thread (main or worker), found by the worker's threadId.
class ThreadSlot {
 public:
  bool aborted() const { return aborted_.load(std::memory_order_acquire); }
  // Sets the abort flag, then wakes every wait in progress until none is left.
  void Abort();
  // Wakes the registered wait with this id until it has left (used to cancel async waits).
  void WakeUntilGone(uint64_t id);

 private:
  friend class WaitRegistration;
  friend Napi::Value ListWaits(const Napi::CallbackInfo& info);
  struct Entry { int32_t* addr; WaitTicket ticket; int32_t expected; };
  std::atomic<bool> aborted_{false};
  std::mutex mu_;
  std::vector<Entry> waits_;  // guarded by mu_
};

// Registers a wait for the time it is in progress (RAII).
class WaitRegistration {
 public:
  WaitRegistration(ThreadSlot& slot, int32_t* addr, WaitTicket ticket, int32_t expected);
  ~WaitRegistration();
 private:
  ThreadSlot& slot_;
  uint64_t id_;
};

int FutexWake(int32_t* addr, int count, uint32_t bits);

// Sleeps while *addr == expected, until notified, timed out, aborted, or until
// stillWanted() turns false (teardown). timeoutMs may be +Infinity.
WaitOutcome WaitLoop(int32_t* addr, int32_t expected, double timeoutMs, ThreadSlot& slot, WaitTicket ticket,
                     const std::function<bool()>& stillWanted);

// The calling env's slot (created at Init) and a check that the env can still run JS.
std::shared_ptr<ThreadSlot> SlotOf(Napi::Env env);
bool IsEnvAlive(Napi::Env env);

// listWaits() -> [{ threadId, segment, byteOffset, expected, value }]: every
// wait in progress in this process, for hang reports.
Napi::Value ListWaits(const Napi::CallbackInfo& info);

void RegisterWaiters(Napi::Env env, Napi::Object exports);

}  // namespace shim
