// segment_folder.h: where segments live, /dev/shm or the folder IPC_SHM_DIR names.
#pragma once
#include <napi.h>
#include <cstdint>
#include <string>

namespace shim {

// One folder of segments. `name` is always "/<bare>" (ShmName in segment.cc).
class SegmentFolder {
 public:
  // The POSIX shared-memory namespace (/dev/shm), reached with shm_open.
  SegmentFolder() = default;
  explicit SegmentFolder(std::string path) : path_(std::move(path)) {}

  // open(2) flags; returns an fd or -1 with errno set.
  int Open(const std::string& name, int flags) const;
  // Gives a new segment its size; returns 0 or an errno.
  int Size(int fd, int64_t length) const;
  // Returns 0 or -1 with errno set.
  int Unlink(const std::string& name) const;

 private:
  std::string path_;  // empty: /dev/shm through shm_open
};

// The folder IPC_SHM_DIR names now (read at every call, so a test can change
// it), or /dev/shm when it is unset or empty. Throws ENOTDIR when it names no
// folder, EINVAL when it is not an absolute path.
SegmentFolder CurrentFolder(Napi::Env env, const char* fn);

}  // namespace shim
