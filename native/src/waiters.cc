// waiters.cc: per-thread abort records and the sliced, resumable futex wait.
//
//   registerThread(threadId)   names this env's slot so others can abort it
//   abortThread(threadId)      -> boolean: its waits (now and later) throw EABORTED
//   abortAllThreads()          every slot in the process (used on process exit)
//   waitSettings()             -> { sliceMs, limitMs }
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
#include <unordered_map>

#include "errors.h"

namespace shim {
namespace {

struct EnvState {
  std::shared_ptr<ThreadSlot> slot = std::make_shared<ThreadSlot>();
  Napi::FunctionReference noop;  // calling it fails once Node is stopping this env
};

// Process-wide: the .so is loaded once per process and shared by its threads.
std::mutex g_registry_mu;
std::unordered_map<int64_t, std::weak_ptr<ThreadSlot>> g_registry;  // threadId -> slot

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

EnvState& StateOf(Napi::Env env) { return *env.GetInstanceData<EnvState>(); }

}  // namespace

const WaitSettings& Settings() {
  static const WaitSettings settings{EnvInt("IPC_SHIM_SLICE_MS", 50), EnvInt("IPC_SHIM_WAIT_LIMIT_MS", 0)};
  return settings;
}

uint32_t NextWaitBit() {
  static std::atomic<uint32_t> next{0};
  return 1u << (next.fetch_add(1, std::memory_order_relaxed) % 31);
}

int FutexWake(int32_t* addr, int count, uint32_t bits) {
  long woken = syscall(SYS_futex, addr, FUTEX_WAKE_BITSET, count, nullptr, nullptr, bits);
  return woken < 0 ? 0 : static_cast<int>(woken);
}

WaitRegistration::WaitRegistration(ThreadSlot& slot, int32_t* addr, uint32_t bit) : slot_(slot), bit_(bit) {
  std::lock_guard<std::mutex> lock(slot_.mu_);
  slot_.waits_.push_back({addr, bit});
}

WaitRegistration::~WaitRegistration() {
  std::lock_guard<std::mutex> lock(slot_.mu_);
  auto& waits = slot_.waits_;
  waits.erase(std::find_if(waits.begin(), waits.end(), [&](const auto& e) { return e.bit == bit_; }));
}

void ThreadSlot::WakeUntilGone(uint32_t bit) {
  // A waiter may have checked its flags but not yet entered the kernel, and a
  // wake sent then is lost; so wake again until the waiter deregisters. It
  // reaches the kernel within microseconds, so a few rounds suffice.
  for (int round = 0; round < 2000; round++) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      bool any = false;
      for (const auto& e : waits_) {
        if (bit == 0 || e.bit == bit) { FutexWake(e.addr, INT_MAX, e.bit); any = true; }
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

WaitOutcome WaitLoop(int32_t* addr, int32_t expected, double timeoutMs, ThreadSlot& slot, uint32_t bit,
                     const std::function<bool()>& stillWanted) {
  if (__atomic_load_n(addr, __ATOMIC_SEQ_CST) != expected) return WaitOutcome::kNotEqual;
  const WaitSettings& settings = Settings();
  const int64_t start = NowNs();
  const int64_t deadline = std::isfinite(timeoutMs) ? start + static_cast<int64_t>(timeoutMs * 1e6) : INT64_MAX;
  const int64_t limit = settings.limitMs > 0 ? start + settings.limitMs * 1000000 : INT64_MAX;
  WaitRegistration registration(slot, addr, bit);
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
    if (FutexWaitUntil(addr, expected, until, bit) == 0) {
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

std::shared_ptr<ThreadSlot> SlotOf(Napi::Env env) { return StateOf(env).slot; }

bool IsEnvAlive(Napi::Env env) {
  napi_value result;
  napi_status status = napi_call_function(env, env.Undefined(), StateOf(env).noop.Value(), 0, nullptr, &result);
  if (status == napi_pending_exception) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
  }
  return status == napi_ok;
}

namespace {

Napi::Value RegisterThread(const Napi::CallbackInfo& info) {
  int64_t threadId = IntArg(info, 0, "registerThread", "threadId", 0, INT32_MAX);
  std::lock_guard<std::mutex> lock(g_registry_mu);
  g_registry[threadId] = SlotOf(info.Env());
  return info.Env().Undefined();
}

Napi::Value AbortThread(const Napi::CallbackInfo& info) {
  int64_t threadId = IntArg(info, 0, "abortThread", "threadId", 0, INT32_MAX);
  std::shared_ptr<ThreadSlot> slot;
  {
    std::lock_guard<std::mutex> lock(g_registry_mu);
    auto it = g_registry.find(threadId);
    if (it != g_registry.end()) slot = it->second.lock();
  }
  if (slot) slot->Abort();
  return Napi::Boolean::New(info.Env(), slot != nullptr);
}

Napi::Value AbortAllThreads(const Napi::CallbackInfo& info) {
  std::vector<std::shared_ptr<ThreadSlot>> slots;
  {
    std::lock_guard<std::mutex> lock(g_registry_mu);
    for (auto& [id, weak] : g_registry) if (auto slot = weak.lock()) slots.push_back(slot);
  }
  for (auto& slot : slots) slot->Abort();
  return Napi::Number::New(info.Env(), static_cast<double>(slots.size()));
}

Napi::Value GetWaitSettings(const Napi::CallbackInfo& info) {
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("sliceMs", Napi::Number::New(info.Env(), static_cast<double>(Settings().sliceMs)));
  result.Set("limitMs", Napi::Number::New(info.Env(), static_cast<double>(Settings().limitMs)));
  return result;
}

}  // namespace

void RegisterWaiters(Napi::Env env, Napi::Object exports) {
  auto* state = new EnvState();
  state->noop = Napi::Persistent(Napi::Function::New(env, [](const Napi::CallbackInfo&) {}));
  env.SetInstanceData<EnvState>(state);  // deleted by node-addon-api at env teardown
  exports.Set("registerThread", Napi::Function::New(env, RegisterThread, "registerThread"));
  exports.Set("abortThread", Napi::Function::New(env, AbortThread, "abortThread"));
  exports.Set("abortAllThreads", Napi::Function::New(env, AbortAllThreads, "abortAllThreads"));
  exports.Set("waitSettings", Napi::Function::New(env, GetWaitSettings, "waitSettings"));
}

}  // namespace shim
