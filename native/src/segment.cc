// segment.cc: create, open and unlink POSIX shared memory by name.
//
//   createSegment(name, byteLength) -> SharedArrayBuffer   (EEXIST if it exists)
//   openSegment(name)               -> SharedArrayBuffer   (ENOENT if missing)
//   unlinkSegment(name)             -> undefined           (ENOENT if missing)
//
// Where segments live: /dev/shm (shm_open), or, when IPC_SHM_DIR is set, plain
// files in that folder (segment_folder.cc). A grader gives each grading a
// private folder; futexes still meet across processes, because the futex key
// of a shared file mapping is the file's inode and offset, not the address.
//
// Each call maps the object anew (mmap MAP_SHARED) and wraps the mapping in a
// SharedArrayBuffer (v8_bridge.cc), so JS Atomics on it are real cross-process
// atomics. The mapping lives exactly as long as the buffer: the engine calls
// UnmapSegment when the last reference (a JS view, or a pending async wait's
// SharedBytes) is gone. That callback stays callable after the addon is
// unloaded because addon.cc pins the .so.
#include "segment.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include "errors.h"
#include "segment_folder.h"
#include "v8_bridge.h"

namespace shim {
namespace {

std::string ShmName(const Napi::CallbackInfo& info, const char* fn) {
  std::string name = StringArg(info, 0, fn, "name");
  std::string bare = (!name.empty() && name[0] == '/') ? name.substr(1) : name;
  bool ok = !bare.empty() && bare.size() <= 200;
  for (char c : bare) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
  if (!ok || bare == "." || bare == "..") {
    ThrowCode(info.Env(), "EINVAL", std::string(fn) + ": bad segment name \"" + name +
              "\": use 1-200 characters from [A-Za-z0-9._-], with an optional leading /");
  }
  return "/" + bare;
}

// Every live mapping in the process, for DescribeAddress. Process-wide: V8
// may run UnmapSegment on any thread.
struct Mapping { size_t length; std::string name; };
std::mutex g_mappings_mu;
std::map<const char*, Mapping> g_mappings;  // base -> mapping

// The release callback of a segment's SharedArrayBuffer (v8_bridge.h).
void UnmapSegment(void* data) {
  size_t length = 0;
  {
    std::lock_guard<std::mutex> lock(g_mappings_mu);
    auto it = g_mappings.find(static_cast<const char*>(data));
    if (it == g_mappings.end()) return;
    length = it->second.length;
    g_mappings.erase(it);
  }
  munmap(data, length);
}

Napi::Value MapFd(Napi::Env env, int fd, size_t length, const std::string& name) {
  void* base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int err = errno;
  close(fd);
  if (base == MAP_FAILED) ThrowErrno(env, "mmap " + name, err);
  {
    std::lock_guard<std::mutex> lock(g_mappings_mu);
    g_mappings[static_cast<const char*>(base)] = Mapping{length, name.substr(1)};
  }
  return NewSharedArrayBuffer(env, base, length, UnmapSegment);
}

Napi::Value CreateSegment(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ShmName(info, "Segment.create");
  int64_t length = IntArg(info, 1, "Segment.create", "byteLength", 1, kMaxSegmentBytes);
  SegmentFolder folder = CurrentFolder(env, "Segment.create");
  int fd = folder.Open(name, O_RDWR | O_CREAT | O_EXCL);
  if (fd < 0) {
    int err = errno;
    if (err == EEXIST) ThrowCode(env, "EEXIST", "Segment.create: segment " + name + " already exists (unlink it, or open it)");
    ThrowErrno(env, "open segment " + name, err);
  }
  int err = folder.Size(fd, length);
  if (err != 0) {
    close(fd);
    folder.Unlink(name);
    ThrowErrno(env, "sizing segment " + name, err);
  }
  return MapFd(env, fd, static_cast<size_t>(length), name);
}

Napi::Value OpenSegment(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ShmName(info, "Segment.open");
  int fd = CurrentFolder(env, "Segment.open").Open(name, O_RDWR);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) ThrowCode(env, "ENOENT", "Segment.open: no segment named " + name + " (create it first)");
    ThrowErrno(env, "open segment " + name, err);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    ThrowErrno(env, "fstat " + name, err);
  }
  if (st.st_size <= 0) {
    close(fd);
    ThrowCode(env, "EINVAL", "Segment.open: segment " + name + " has size 0 (its creator has not sized it yet)");
  }
  return MapFd(env, fd, static_cast<size_t>(st.st_size), name);
}

Napi::Value UnlinkSegment(const Napi::CallbackInfo& info) {
  std::string name = ShmName(info, "Segment.unlink");
  if (CurrentFolder(info.Env(), "Segment.unlink").Unlink(name) != 0) {
    int err = errno;
    if (err == ENOENT) ThrowCode(info.Env(), "ENOENT", "Segment.unlink: no segment named " + name);
    ThrowErrno(info.Env(), "unlink segment " + name, err);
  }
  return info.Env().Undefined();
}

}  // namespace

bool DescribeAddress(const void* addr, std::string* name, size_t* byteOffset) {
  const char* p = static_cast<const char*>(addr);
  std::lock_guard<std::mutex> lock(g_mappings_mu);
  auto it = g_mappings.upper_bound(p);
  if (it == g_mappings.begin()) return false;
  --it;
  if (p >= it->first + it->second.length) return false;
  *name = it->second.name;
  *byteOffset = static_cast<size_t>(p - it->first);
  return true;
}

SharedBytes SharedBufferArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  return SharedBytesOf(info.Env(), Arg(info, i), fn);
}

int32_t* CellAt(const Napi::CallbackInfo& info, const SharedBytes& bytes, size_t argIndex, const char* fn) {
  int64_t cells = static_cast<int64_t>(bytes.length / 4);
  double d = NumberArg(info, argIndex, fn, "index");
  if (d != static_cast<double>(static_cast<int64_t>(d)) || d < 0 || d >= cells) {
    ThrowCode(info.Env(), "ERANGE", std::string(fn) + ": index " + FormatNumber(d) +
              " is outside the segment's cells [0, " + std::to_string(cells) + ")");
  }
  return static_cast<int32_t*>(bytes.data) + static_cast<int64_t>(d);
}

void RegisterSegment(Napi::Env env, Napi::Object exports) {
  exports.Set("createSegment", Napi::Function::New(env, CreateSegment, "createSegment"));
  exports.Set("openSegment", Napi::Function::New(env, OpenSegment, "openSegment"));
  exports.Set("unlinkSegment", Napi::Function::New(env, UnlinkSegment, "unlinkSegment"));
}

}  // namespace shim
