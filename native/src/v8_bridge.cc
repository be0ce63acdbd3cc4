// v8_bridge.cc: SharedArrayBuffers over our own mappings, by Node-API where
// Node offers it and by V8's API otherwise, and the check that our view of V8
// matches the Node that loaded us.
//
//   bridgeInfo()  -> { v8, sharedArrayBuffers: "node-api" | "v8" }
//                    what this build was compiled against, and which path it uses
//   checkBridge() -> undefined, or throws EABI (binding.ts calls it on load)
//
// Why the check: a napi_value is, inside Node, a v8::Local<v8::Value> in the
// same bits (Node converts between them with a memcpy, as we do here). That
// holds only while our V8 headers describe the running V8: same version, and
// the same handle layout (indirect: a napi_value points at a slot holding the
// value; direct, V8_ENABLE_DIRECT_HANDLE: it is the value). A shim built with
// one Node and loaded by another would misread every handle and crash in the
// first wait. checkBridge compares versions, then probes the layout by
// comparing bits, never dereferencing a pointer it has not checked, so a
// mismatch is a JS error and not a crash.
#include "v8_bridge.h"

#include <dlfcn.h>
#include <sys/uio.h>
#include <unistd.h>
#include <v8-version.h>
#include <v8.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "errors.h"

namespace shim {
namespace {

static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value is a V8 handle");

v8::Local<v8::Value> ToLocal(napi_value value) {
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void*>(&local), &value, sizeof value);
  return local;
}

napi_value ToNapi(v8::Local<v8::Value> local) {
  napi_value value;
  std::memcpy(&value, &local, sizeof value);
  return value;
}

// node_api_create_external_sharedarraybuffer: experimental Node-API, exported
// by Node 22.? and later (24, 26). Looked up at run time so that the rest of
// the addon stays on stable Node-API (NAPI_EXPERIMENTAL would change it all).
using CreateExternalSab = napi_status (*)(napi_env, void*, size_t, void (*)(void*, void*), void*,
                                          napi_value*);
CreateExternalSab NodeApiSabConstructor() {
  static const auto create =
      reinterpret_cast<CreateExternalSab>(dlsym(RTLD_DEFAULT, "node_api_create_external_sharedarraybuffer"));
  return create;
}

struct Release {
  void (*release)(void*);
};

void ReleaseFromNodeApi(void* data, void* hint) {
  auto* owner = static_cast<Release*>(hint);
  owner->release(data);
  delete owner;
}

void ReleaseFromV8(void* data, size_t, void* hint) { ReleaseFromNodeApi(data, hint); }

// True when this build reads handles as direct values (V8_ENABLE_DIRECT_HANDLE).
// IPC_SHIM_PRETEND_HANDLES=direct|indirect flips the assumption, only so that
// a test can watch checkBridge catch a mismatch without a crash.
bool AssumesDirectHandles() {
#ifdef V8_ENABLE_DIRECT_HANDLE
  bool direct = true;
#else
  bool direct = false;
#endif
  const char* pretend = std::getenv("IPC_SHIM_PRETEND_HANDLES");
  if (pretend != nullptr && std::strcmp(pretend, "direct") == 0) direct = true;
  if (pretend != nullptr && std::strcmp(pretend, "indirect") == 0) direct = false;
  return direct;
}

// Reads a word at `address` without ever faulting: false if it is not readable.
bool SafeRead(uintptr_t address, uintptr_t* word) {
  iovec local{word, sizeof *word};
  iovec remote{reinterpret_cast<void*>(address), sizeof *word};
  return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(sizeof *word);
}

// The same small integer made by Node-API and by V8, compared bit by bit. A
// small integer (Smi) is stored in the handle itself under direct handles and
// in the slot the handle points at otherwise. Every read goes through SafeRead.
bool HandleLayoutMatches(napi_env env) {
  napi_value byNode;
  if (napi_create_int32(env, 0x2345, &byNode) != napi_ok) return false;
  v8::Local<v8::Value> byV8 = v8::Integer::New(v8::Isolate::GetCurrent(), 0x2345);
  uintptr_t nodeBits = reinterpret_cast<uintptr_t>(byNode);
  uintptr_t v8Bits;
  std::memcpy(&v8Bits, &byV8, sizeof v8Bits);
#ifdef V8_ENABLE_DIRECT_HANDLE
  uintptr_t smi = v8Bits;
#else
  uintptr_t smi;
  if (!SafeRead(v8Bits, &smi)) return false;
#endif
  uintptr_t pointedAt;
  bool nodeIsDirect = nodeBits == smi;
  bool nodeIsIndirect = !nodeIsDirect && SafeRead(nodeBits, &pointedAt) && pointedAt == smi;
  return AssumesDirectHandles() ? nodeIsDirect : nodeIsIndirect;
}

// "major.minor.build.patch" of the V8 headers this file was compiled with.
std::string BuiltForV8() {
  return std::to_string(V8_MAJOR_VERSION) + "." + std::to_string(V8_MINOR_VERSION) + "." +
         std::to_string(V8_BUILD_NUMBER) + "." + std::to_string(V8_PATCH_LEVEL);
}

Napi::Value BridgeInfo(const Napi::CallbackInfo& info) {
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("v8", BuiltForV8());
  result.Set("sharedArrayBuffers", NodeApiSabConstructor() != nullptr ? "node-api" : "v8");
  return result;
}

Napi::Value CheckBridge(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string running = v8::V8::GetVersion();  // "13.6.233.17-node.63"
  std::string built = BuiltForV8();
  if (running.compare(0, built.size(), built) != 0) {
    ThrowCode(env, "EABI", "the native shim was built for V8 " + built + ", but this Node runs V8 " +
              running + ": rebuild it with `npm run build:native` after switching Node");
  }
  if (!HandleLayoutMatches(env)) {
    ThrowCode(env, "EABI", "the native shim reads V8 handles differently from this Node (V8 " + running +
              "): rebuild it with `npm run build:native` against this Node's headers");
  }
  return env.Undefined();
}

}  // namespace

Napi::Value NewSharedArrayBuffer(Napi::Env env, void* data, size_t length, void (*release)(void*)) {
  auto* owner = new Release{release};
  if (CreateExternalSab create = NodeApiSabConstructor()) {
    napi_value result;
    // Refused where Node forbids external buffers (a V8 sandbox build): use V8's API then.
    if (create(env, data, length, ReleaseFromNodeApi, owner, &result) == napi_ok) return Napi::Value(env, result);
  }
  auto store = v8::SharedArrayBuffer::NewBackingStore(data, length, ReleaseFromV8, owner);
  return Napi::Value(env, ToNapi(v8::SharedArrayBuffer::New(v8::Isolate::GetCurrent(), std::move(store))));
}

SharedBytes SharedBytesOf(Napi::Env env, napi_value value, const char* fn) {
  v8::Local<v8::Value> local = ToLocal(value);
  if (local.IsEmpty() || !local->IsSharedArrayBuffer()) {
    ThrowTypeCode(env, "EINVAL", std::string(fn) + ": expected a segment's SharedArrayBuffer");
  }
  std::shared_ptr<v8::BackingStore> store = local.As<v8::SharedArrayBuffer>()->GetBackingStore();
  SharedBytes bytes;
  bytes.data = store->Data();
  bytes.length = store->ByteLength();
  bytes.owner = std::move(store);
  return bytes;
}

void RegisterBridge(Napi::Env env, Napi::Object exports) {
  exports.Set("bridgeInfo", Napi::Function::New(env, BridgeInfo, "bridgeInfo"));
  exports.Set("checkBridge", Napi::Function::New(env, CheckBridge, "checkBridge"));
}

}  // namespace shim
