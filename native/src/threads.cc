// threads.cc: the JS-facing side of the per-thread wait records.
//
//   registerThread(threadId)   names this env's slot so others can abort it
//   abortThread(threadId)      -> boolean: its waits (now and later) throw EABORTED
//   abortAllThreads()          every slot in the process (used on process exit)
//   listWaits()                -> every wait in progress here, for hang reports
//   waitSettings()             -> { sliceMs, limitMs }
#include <climits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "errors.h"
#include "segment.h"
#include "waiters.h"

namespace shim {
namespace {

struct EnvState {
  std::shared_ptr<ThreadSlot> slot = std::make_shared<ThreadSlot>();
  Napi::FunctionReference noop;  // calling it fails once Node is stopping this env
};

// Process-wide: the .so is loaded once per process and shared by its threads.
std::mutex g_registry_mu;
std::unordered_map<int64_t, std::weak_ptr<ThreadSlot>> g_registry;  // threadId -> slot

EnvState& StateOf(Napi::Env env) { return *env.GetInstanceData<EnvState>(); }

}  // namespace

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

}  // namespace

Napi::Value ListWaits(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<std::pair<int64_t, std::shared_ptr<ThreadSlot>>> slots;
  {
    std::lock_guard<std::mutex> lock(g_registry_mu);
    for (auto& [id, weak] : g_registry) if (auto slot = weak.lock()) slots.emplace_back(id, slot);
  }
  Napi::Array result = Napi::Array::New(env);
  uint32_t n = 0;
  for (auto& [id, slot] : slots) {
    // Holding mu_ keeps each registered wait (and so its mapping) alive while we read it.
    std::lock_guard<std::mutex> lock(slot->mu_);
    for (const auto& wait : slot->waits_) {
      std::string name;
      size_t byteOffset = 0;
      Napi::Object row = Napi::Object::New(env);
      row.Set("threadId", Napi::Number::New(env, static_cast<double>(id)));
      row.Set("segment", DescribeAddress(wait.addr, &name, &byteOffset) ? Napi::Value(Napi::String::New(env, name)) : env.Null());
      row.Set("byteOffset", Napi::Number::New(env, static_cast<double>(byteOffset)));
      row.Set("expected", Napi::Number::New(env, wait.expected));
      row.Set("value", Napi::Number::New(env, __atomic_load_n(wait.addr, __ATOMIC_SEQ_CST)));
      result.Set(n++, row);
    }
  }
  return result;
}

namespace {

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
  exports.Set("listWaits", Napi::Function::New(env, ListWaits, "listWaits"));
}

}  // namespace shim
