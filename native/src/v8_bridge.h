// v8_bridge.h: the one place the shim steps outside Node-API, into V8 itself.
//
// Node-API has no stable way to wrap memory we mapped in a SharedArrayBuffer,
// or to hold a SharedArrayBuffer's bytes alive from another thread. V8's API
// has both. Only v8_bridge.cc includes <v8.h>; the rest of the shim sees the
// plain types below.
#pragma once
#include <napi.h>

#include <cstddef>
#include <memory>

namespace shim {

// The bytes of a SharedArrayBuffer, mapped as long as `owner` (or a copy) lives.
struct SharedBytes {
  std::shared_ptr<void> owner;
  void* data = nullptr;
  size_t length = 0;
};

// A SharedArrayBuffer over `length` bytes at `data`. `release(data)` runs once
// the engine frees it, on whichever thread drops the last reference.
Napi::Value NewSharedArrayBuffer(Napi::Env env, void* data, size_t length, void (*release)(void*));

// The bytes behind `value`, or a thrown EINVAL TypeError if it is not a SharedArrayBuffer.
SharedBytes SharedBytesOf(Napi::Env env, napi_value value, const char* fn);

// Exports bridgeInfo() and checkBridge() (see v8_bridge.cc).
void RegisterBridge(Napi::Env env, Napi::Object exports);

}  // namespace shim
