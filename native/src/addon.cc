// addon.cc: Init only. Each kernel concept registers its own functions.
#include <dlfcn.h>
#include <napi.h>

#include "futex.h"
#include "segment.h"
#include "v8_bridge.h"
#include "waiters.h"

namespace shim {
void RegisterOsDoors(Napi::Env env, Napi::Object exports);
void RegisterMqueue(Napi::Env env, Napi::Object exports);
void RegisterAffinity(Napi::Env env, Napi::Object exports);
}  // namespace shim

namespace {

// Keep this .so loaded for the life of the process. V8 may free a segment's
// SharedArrayBuffer (and call our munmap deleter) after a worker's env, the
// last user of the addon, has unloaded it; without the pin that call jumps
// into unmapped code.
void PinThisLibrary() {
  Dl_info self;
  if (dladdr(reinterpret_cast<void*>(&PinThisLibrary), &self) != 0 && self.dli_fname != nullptr) {
    dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  }
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  PinThisLibrary();
  shim::RegisterWaiters(env, exports);  // first: sets the instance data the others use
  shim::RegisterBridge(env, exports);
  shim::RegisterSegment(env, exports);
  shim::RegisterFutex(env, exports);
  shim::RegisterFutexAsync(env, exports);
  shim::RegisterOsDoors(env, exports);
  shim::RegisterMqueue(env, exports);
  shim::RegisterAffinity(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(ipc_shim, Init)
