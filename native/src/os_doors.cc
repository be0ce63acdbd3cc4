// os_doors.cc: the kernel's own IPC doors, for the lessons' demos and benchmarks.
//
//   pipe()                -> [readFd, writeFd]          pipe(2)
//   mkfifo(path, mode)    -> undefined                  mkfifo(3), EEXIST if present
//   openFifo(path, mode)  -> fd  ("r" or "w"; blocks until the other end opens, as open(2) does)
//   read(fd, maxBytes)    -> Uint8Array                 blocking read(2); empty at end of file
//   write(fd, bytes)      -> number of bytes written    blocking write(2); EPIPE without a reader
//   close(fd)             -> undefined
//   getpid(), gettid()    -> number
//   yieldThread()         -> undefined                  sched_yield(2)
//   sleepMicros(us)       -> undefined                  nanosleep(2), used by schedule perturbation
//   flock(fd, op, wait)   -> boolean                    flock(2), op "exclusive" | "shared" | "unlock";
//                            with wait false, false when another open file holds a conflicting lock
//   becomeSubreaper()     -> undefined                  prctl(PR_SET_CHILD_SUBREAPER): orphaned
//                            descendants are re-parented here, so a grader can find and end them
//   reapOrphan(pid)       -> boolean                    waitpid(pid, WNOHANG): true once the child
//                            has ended and its zombie is gone (Node reaps only children it started)
//
// EINTR is retried everywhere: a signal never surfaces as an error here.
#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <climits>
#include <string>

#include "errors.h"

namespace shim {
namespace {

int FdArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  return static_cast<int>(IntArg(info, i, fn, "fd", 0, INT_MAX));
}

Napi::Value Pipe(const Napi::CallbackInfo& info) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) ThrowErrno(info.Env(), "pipe", errno);
  Napi::Array result = Napi::Array::New(info.Env(), 2);
  result.Set(0u, fds[0]);
  result.Set(1u, fds[1]);
  return result;
}

Napi::Value MakeFifo(const Napi::CallbackInfo& info) {
  std::string path = StringArg(info, 0, "mkfifo", "path");
  int64_t mode = info.Length() > 1 && !info[1].IsUndefined() ? IntArg(info, 1, "mkfifo", "mode", 0, 0777) : 0600;
  if (mkfifo(path.c_str(), static_cast<mode_t>(mode)) != 0) ThrowErrno(info.Env(), "mkfifo " + path, errno);
  return info.Env().Undefined();
}

Napi::Value OpenFifo(const Napi::CallbackInfo& info) {
  std::string path = StringArg(info, 0, "openFifo", "path");
  std::string mode = StringArg(info, 1, "openFifo", "mode");
  if (mode != "r" && mode != "w") ThrowCode(info.Env(), "EINVAL", "openFifo: mode must be \"r\" or \"w\", got \"" + mode + "\"");
  int fd;
  do fd = open(path.c_str(), (mode == "r" ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) ThrowErrno(info.Env(), "open " + path, errno);
  return Napi::Number::New(info.Env(), fd);
}

Napi::Value Read(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0, "read");
  int64_t max = IntArg(info, 1, "read", "maxBytes", 1, 1 << 24);
  Napi::Uint8Array buffer = Napi::Uint8Array::New(info.Env(), static_cast<size_t>(max));
  ssize_t n;
  do n = read(fd, buffer.Data(), static_cast<size_t>(max));
  while (n < 0 && errno == EINTR);
  if (n < 0) ThrowErrno(info.Env(), "read fd " + std::to_string(fd), errno);
  return Napi::Uint8Array::New(info.Env(), static_cast<size_t>(n), buffer.ArrayBuffer(), 0);
}

Napi::Value Write(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0, "write");
  if (info.Length() < 2 || !info[1].IsTypedArray() ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowTypeCode(info.Env(), "EINVAL", "write: bytes must be a Uint8Array");
  }
  Napi::Uint8Array bytes = info[1].As<Napi::Uint8Array>();
  ssize_t n;
  do n = write(fd, bytes.Data(), bytes.ByteLength());
  while (n < 0 && errno == EINTR);
  if (n < 0) ThrowErrno(info.Env(), "write fd " + std::to_string(fd), errno);
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0, "close");
  if (close(fd) != 0 && errno != EINTR) ThrowErrno(info.Env(), "close fd " + std::to_string(fd), errno);
  return info.Env().Undefined();
}

Napi::Value GetPid(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), getpid()); }
Napi::Value GetTid(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(syscall(SYS_gettid)));
}

Napi::Value YieldThread(const Napi::CallbackInfo& info) {
  sched_yield();
  return info.Env().Undefined();
}

Napi::Value SleepMicros(const Napi::CallbackInfo& info) {
  int64_t us = IntArg(info, 0, "sleepMicros", "microseconds", 0, 10000000);
  timespec ts{static_cast<time_t>(us / 1000000), static_cast<long>((us % 1000000) * 1000)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
  return info.Env().Undefined();
}

// An advisory lock on the whole file, held by the open file description: every
// descriptor that shares it (dup, fork) holds it too, and it is released when
// the last of them closes, which includes the death of the process.
Napi::Value Flock(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0, "flock");
  std::string how = StringArg(info, 1, "flock", "operation");
  int op = how == "exclusive" ? LOCK_EX : how == "shared" ? LOCK_SH : how == "unlock" ? LOCK_UN : -1;
  if (op < 0)
    ThrowCode(info.Env(), "EINVAL",
              "flock: operation must be \"exclusive\", \"shared\" or \"unlock\", got \"" + how + "\"");
  bool wait = info.Length() < 3 || info[2].IsUndefined() || info[2].ToBoolean().Value();
  int rc;
  do rc = flock(fd, op | (wait ? 0 : LOCK_NB));
  while (rc != 0 && errno == EINTR);
  if (rc == 0) return Napi::Boolean::New(info.Env(), true);
  if (errno == EWOULDBLOCK) return Napi::Boolean::New(info.Env(), false);
  ThrowErrno(info.Env(), "flock fd " + std::to_string(fd), errno);
}

Napi::Value BecomeSubreaper(const Napi::CallbackInfo& info) {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) ThrowErrno(info.Env(), "prctl(PR_SET_CHILD_SUBREAPER)", errno);
  return info.Env().Undefined();
}

Napi::Value ReapOrphan(const Napi::CallbackInfo& info) {
  pid_t pid = static_cast<pid_t>(IntArg(info, 0, "reapOrphan", "pid", 1, INT_MAX));
  int status;
  pid_t got;
  while ((got = waitpid(pid, &status, WNOHANG)) < 0 && errno == EINTR) {}
  // ECHILD: not our child (any more); someone else reaped it.
  return Napi::Boolean::New(info.Env(), got == pid || (got < 0 && errno == ECHILD));
}

}  // namespace

void RegisterOsDoors(Napi::Env env, Napi::Object exports) {
  exports.Set("pipe", Napi::Function::New(env, Pipe, "pipe"));
  exports.Set("mkfifo", Napi::Function::New(env, MakeFifo, "mkfifo"));
  exports.Set("openFifo", Napi::Function::New(env, OpenFifo, "openFifo"));
  exports.Set("read", Napi::Function::New(env, Read, "read"));
  exports.Set("write", Napi::Function::New(env, Write, "write"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("getpid", Napi::Function::New(env, GetPid, "getpid"));
  exports.Set("gettid", Napi::Function::New(env, GetTid, "gettid"));
  exports.Set("yieldThread", Napi::Function::New(env, YieldThread, "yieldThread"));
  exports.Set("sleepMicros", Napi::Function::New(env, SleepMicros, "sleepMicros"));
  exports.Set("flock", Napi::Function::New(env, Flock, "flock"));
  exports.Set("becomeSubreaper", Napi::Function::New(env, BecomeSubreaper, "becomeSubreaper"));
  exports.Set("reapOrphan", Napi::Function::New(env, ReapOrphan, "reapOrphan"));
}

}  // namespace shim
