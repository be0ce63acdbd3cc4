// segment.h: POSIX shared memory segments, exposed to JS as SharedArrayBuffers.
#pragma once
#include <napi.h>
#include <cstdint>
#include <memory>
#include <string>

#include "v8_bridge.h"

namespace shim {

constexpr int64_t kMaxSegmentBytes = int64_t{1} << 30;  // 1 GiB

// The bytes of a SharedArrayBuffer argument, or a thrown EINVAL.
// Holding them keeps the mapping alive (its release munmaps).
SharedBytes SharedBufferArg(const Napi::CallbackInfo& info, size_t i, const char* fn);

// Address of 32-bit cell `index` in the buffer, or a thrown ERANGE.
int32_t* CellAt(const Napi::CallbackInfo& info, const SharedBytes& bytes, size_t argIndex, const char* fn);

// The segment name and byte offset of an address inside a mapping made here
// (for hang reports); false if it is in none.
bool DescribeAddress(const void* addr, std::string* name, size_t* byteOffset);

void RegisterSegment(Napi::Env env, Napi::Object exports);

}  // namespace shim
