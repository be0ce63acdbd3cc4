// waiters.cc: the sliced, resumable futex wait, and the per-thread records
// (ThreadSlot) that let an abort wake exactly the waits of one thread.
#include "waiters.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "errors.h"

namespace shim {
namespace {

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  char* end = nullptr;
  long long value = std::strtoll(text, &end, 10);
  return (end && *end == '\0' && value >= 0) ? value : fallback;
}

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

long FutexWaitUntil(int32_t* addr, int32_t expected, int64_t untilNs, uint32_t bit) {
  timespec ts{static_cast<time_t>(untilNs / 1000000000), static_cast<long>(untilNs % 1000000000)};
  // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline: resuming after
  // EINTR or a slice needs no arithmetic on the remaining time.
  return syscall(SYS_futex, addr, FUTEX_WAIT_BITSET, expected, untilNs == INT64_MAX ? nullptr : &ts, nullptr, bit);
}


}  // namespace

const WaitSettings& Settings() {
  static const WaitSettings settings{EnvInt("IPC_SHIM_SLICE_MS", 50), EnvInt("IPC_SHIM_WAIT_LIMIT_MS", 0)};
  return settings;
}

WaitTicket NextWaitTicket() {
  static std::atomic<uint64_t> next{1};
  uint64_t id = next.fetch_add(1, std::memory_order_relaxed);
  return {id, 1u << (id % 31)};
}

int FutexWake(int32_t* addr, int count, uint32_t bits) {
  long woken = syscall(SYS_futex, addr, FUTEX_WAKE_BITSET, count, nullptr, nullptr, bits);
  return woken < 0 ? 0 : static_cast<int>(woken);
}

WaitRegistration::WaitRegistration(ThreadSlot& slot, int32_t* addr, WaitTicket ticket, int32_t expected)
    : slot_(slot), id_(ticket.id) {
  std::lock_guard<std::mutex> lock(slot_.mu_);
  slot_.waits_.push_back({addr, ticket, expected});
}

WaitRegistration::~WaitRegistration() {
  std::lock_guard<std::mutex> lock(slot_.mu_);
  auto& waits = slot_.waits_;
  // By id, not bit: erasing another wait that shares the bit would leave this
  // one's entry behind, and WakeUntilGone would spin on it for a second.
  waits.erase(std::find_if(waits.begin(), waits.end(), [&](const auto& e) { return e.ticket.id == id_; }));
}

void ThreadSlot::WakeUntilGone(uint64_t id) {
  // A waiter may have checked its flags but not yet entered the kernel, and a
  // wake sent then is lost; so wake again until the waiter deregisters. It
  // reaches the kernel within microseconds, so a few rounds suffice.
  for (int round = 0; round < 2000; round++) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      bool any = false;
      for (const auto& e : waits_) {
        if (id == 0 || e.ticket.id == id) {
          FutexWake(e.addr, INT_MAX, e.ticket.bit);
          any = true;
        }
      }
      if (!any) return;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

void ThreadSlot::Abort() {
  aborted_.store(true, std::memory_order_release);
  WakeUntilGone(0);
}

WaitOutcome WaitLoop(int32_t* addr, int32_t expected, double timeoutMs, ThreadSlot& slot, WaitTicket ticket,
                     const std::function<bool()>& stillWanted) {
  if (__atomic_load_n(addr, __ATOMIC_SEQ_CST) != expected) return WaitOutcome::kNotEqual;
  const WaitSettings& settings = Settings();
  const int64_t start = NowNs();
  const int64_t deadline = std::isfinite(timeoutMs) ? start + static_cast<int64_t>(timeoutMs * 1e6) : INT64_MAX;
  const int64_t limit = settings.limitMs > 0 ? start + settings.limitMs * 1000000 : INT64_MAX;
  WaitRegistration registration(slot, addr, ticket, expected);
  bool resumed = false;
  for (;;) {
    // Checked after registering: an abort that lands after this check wakes us (WakeUntilGone).
    if (slot.aborted()) return WaitOutcome::kAborted;
    if (!stillWanted()) return WaitOutcome::kCancelled;
    int64_t now = NowNs();
    if (now >= deadline) return WaitOutcome::kTimedOut;
    if (now >= limit) return WaitOutcome::kLimit;
    int64_t until = std::min(deadline, limit);
    if (settings.sliceMs > 0) until = std::min(until, now + settings.sliceMs * 1000000);
    if (FutexWaitUntil(addr, expected, until, ticket.bit) == 0) {
      if (slot.aborted()) return WaitOutcome::kAborted;
      if (!stillWanted()) return WaitOutcome::kCancelled;
      return WaitOutcome::kWoken;
    }
    switch (errno) {
      case EAGAIN:
        // On entry this is "not-equal". After a slice or a signal we cannot know
        // whether a notify came while we were out of the kernel, so report a
        // wake: futex(2) allows spurious wakeups, and correct callers re-check.
        return resumed ? WaitOutcome::kWoken : WaitOutcome::kNotEqual;
      case EINTR:
      case ETIMEDOUT:
        resumed = true;
        continue;
      default:
        return WaitOutcome::kWoken;
    }
  }
}

}  // namespace shim
