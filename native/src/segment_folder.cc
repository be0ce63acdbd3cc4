// segment_folder.cc: segments as files in IPC_SHM_DIR, or in /dev/shm.
//
// In a folder, a segment is a plain file: open + ftruncate + mmap, unlink
// removes it. Space is reserved when the segment is created (fallocate), so a
// full folder (a size-limited tmpfs) fails the create with ENOSPC, instead of
// killing with SIGBUS whichever process first touches a page that does not fit.
#include "segment_folder.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "errors.h"

namespace shim {

int SegmentFolder::Open(const std::string& name, int flags) const {
  if (path_.empty()) return shm_open(name.c_str(), flags, 0600);
  std::string file = path_ + name;
  // O_NOFOLLOW: a segment name never leads out of the folder through a symlink.
  int fd = open(file.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0 || !(flags & O_CREAT) || geteuid() != 0) return fd;
  // A grader running as root creates segments that an unprivileged grading
  // uid must open too: a segment belongs to whoever owns its folder.
  struct stat folder;
  if (stat(path_.c_str(), &folder) == 0 && folder.st_uid != 0) {
    if (fchown(fd, folder.st_uid, folder.st_gid) != 0) {
      int err = errno;
      close(fd);
      unlink(file.c_str());
      errno = err;
      return -1;
    }
  }
  return fd;
}

int SegmentFolder::Size(int fd, int64_t length) const {
  if (ftruncate(fd, length) != 0) return errno;
  if (path_.empty()) return 0;
  int err;
  do {
    err = posix_fallocate(fd, 0, length);
  } while (err == EINTR);
  // A file system without fallocate still works, without the ENOSPC guarantee.
  return err == EOPNOTSUPP || err == EINVAL ? 0 : err;
}

int SegmentFolder::Unlink(const std::string& name) const {
  if (path_.empty()) return shm_unlink(name.c_str());
  return unlink((path_ + name).c_str());
}

SegmentFolder CurrentFolder(Napi::Env env, const char* fn) {
  const char* value = std::getenv("IPC_SHM_DIR");
  if (value == nullptr || *value == '\0') return SegmentFolder();
  std::string path = value;
  if (path[0] != '/') {
    ThrowCode(env, "EINVAL", std::string(fn) + ": IPC_SHM_DIR must be an absolute path, got \"" +
              path + "\"");
  }
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    ThrowCode(env, "ENOTDIR", std::string(fn) + ": IPC_SHM_DIR \"" + path +
              "\" is not a folder (create it, or unset IPC_SHM_DIR to use /dev/shm)");
  }
  return SegmentFolder(path);
}

}  // namespace shim
