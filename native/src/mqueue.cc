// mqueue.cc: POSIX message queues (mq_overview(7)), for the message-queue lesson.
//
//   mqOpen(name, create, exclusive, maxMessages, messageSize) -> descriptor
//   mqSend(mqd, bytes, priority, timeoutMs)   -> true, or false when timed out (queue full)
//   mqReceive(mqd, timeoutMs)                 -> { data, priority }, or undefined when timed out
//   mqAttributes(mqd)                         -> { maxMessages, messageSize, currentMessages }
//   mqClose(mqd), mqUnlink(name)
//
// Receive returns the oldest message of the highest priority. timeoutMs may be
// Infinity (block) or 0 (try once). Limits: /proc/sys/fs/mqueue/msg_max and msgsize_max.
#include <fcntl.h>
#include <mqueue.h>
#include <time.h>

#include <climits>
#include <cmath>
#include <string>

#include "errors.h"

namespace shim {
namespace {

std::string MqName(const Napi::CallbackInfo& info, const char* fn) {
  std::string name = StringArg(info, 0, fn, "name");
  std::string bare = (!name.empty() && name[0] == '/') ? name.substr(1) : name;
  if (bare.empty() || bare.size() > 200 || bare.find('/') != std::string::npos) {
    ThrowCode(info.Env(), "EINVAL", std::string(fn) + ": bad queue name \"" + name + "\"");
  }
  return "/" + bare;
}

mqd_t MqdArg(const Napi::CallbackInfo& info, const char* fn) {
  return static_cast<mqd_t>(IntArg(info, 0, fn, "mqd", 0, INT_MAX));
}

// Absolute CLOCK_REALTIME deadline, as mq_timedsend(3) wants, or null for "block".
const timespec* Deadline(const Napi::CallbackInfo& info, size_t i, const char* fn, timespec* out) {
  double ms = NumberArg(info, i, fn, "timeoutMs");
  if (std::isnan(ms) || ms < 0) ThrowCode(info.Env(), "EINVAL", std::string(fn) + ": timeoutMs must be >= 0 or Infinity");
  if (std::isinf(ms)) return nullptr;
  clock_gettime(CLOCK_REALTIME, out);
  int64_t ns = out->tv_nsec + static_cast<int64_t>(ms * 1e6);
  out->tv_sec += ns / 1000000000;
  out->tv_nsec = ns % 1000000000;
  return out;
}

Napi::Value MqOpen(const Napi::CallbackInfo& info) {
  std::string name = MqName(info, "mqOpen");
  bool create = Arg(info, 1).ToBoolean();
  bool exclusive = Arg(info, 2).ToBoolean();
  int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0) | (exclusive ? O_EXCL : 0);
  mqd_t mqd;
  if (create) {
    mq_attr attr{};
    attr.mq_maxmsg = IntArg(info, 3, "mqOpen", "maxMessages", 1, 65536);
    attr.mq_msgsize = IntArg(info, 4, "mqOpen", "messageSize", 1, 16 << 20);
    mqd = mq_open(name.c_str(), flags, 0600, &attr);
  } else {
    mqd = mq_open(name.c_str(), flags);
  }
  if (mqd == static_cast<mqd_t>(-1)) ThrowErrno(info.Env(), "mq_open " + name, errno);
  return Napi::Number::New(info.Env(), mqd);
}

Napi::Value MqSend(const Napi::CallbackInfo& info) {
  mqd_t mqd = MqdArg(info, "mqSend");
  if (!Arg(info, 1).IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowTypeCode(info.Env(), "EINVAL", "mqSend: data must be a Uint8Array");
  }
  Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
  auto priority = static_cast<unsigned>(IntArg(info, 2, "mqSend", "priority", 0, 32767));
  timespec ts;
  const timespec* deadline = Deadline(info, 3, "mqSend", &ts);
  int rc;
  do rc = mq_timedsend(mqd, reinterpret_cast<const char*>(data.Data()), data.ByteLength(), priority, deadline);
  while (rc != 0 && errno == EINTR);
  if (rc != 0 && errno == ETIMEDOUT) return Napi::Boolean::New(info.Env(), false);
  if (rc != 0) ThrowErrno(info.Env(), "mq_send", errno);
  return Napi::Boolean::New(info.Env(), true);
}

Napi::Value MqReceive(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  mqd_t mqd = MqdArg(info, "mqReceive");
  mq_attr attr;
  if (mq_getattr(mqd, &attr) != 0) ThrowErrno(env, "mq_getattr", errno);
  timespec ts;
  const timespec* deadline = Deadline(info, 1, "mqReceive", &ts);
  Napi::Uint8Array buffer = Napi::Uint8Array::New(env, static_cast<size_t>(attr.mq_msgsize));
  unsigned priority = 0;
  ssize_t n;
  do n = mq_timedreceive(mqd, reinterpret_cast<char*>(buffer.Data()), buffer.ByteLength(), &priority, deadline);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == ETIMEDOUT) return env.Undefined();
  if (n < 0) ThrowErrno(env, "mq_receive", errno);
  Napi::Object result = Napi::Object::New(env);
  result.Set("data", Napi::Uint8Array::New(env, static_cast<size_t>(n), buffer.ArrayBuffer(), 0));
  result.Set("priority", Napi::Number::New(env, priority));
  return result;
}

Napi::Value MqAttributes(const Napi::CallbackInfo& info) {
  mq_attr attr;
  if (mq_getattr(MqdArg(info, "mqAttributes"), &attr) != 0) ThrowErrno(info.Env(), "mq_getattr", errno);
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("maxMessages", Napi::Number::New(info.Env(), static_cast<double>(attr.mq_maxmsg)));
  result.Set("messageSize", Napi::Number::New(info.Env(), static_cast<double>(attr.mq_msgsize)));
  result.Set("currentMessages", Napi::Number::New(info.Env(), static_cast<double>(attr.mq_curmsgs)));
  return result;
}

Napi::Value MqClose(const Napi::CallbackInfo& info) {
  if (mq_close(MqdArg(info, "mqClose")) != 0) ThrowErrno(info.Env(), "mq_close", errno);
  return info.Env().Undefined();
}

Napi::Value MqUnlink(const Napi::CallbackInfo& info) {
  std::string name = MqName(info, "mqUnlink");
  if (mq_unlink(name.c_str()) != 0) ThrowErrno(info.Env(), "mq_unlink " + name, errno);
  return info.Env().Undefined();
}

}  // namespace

void RegisterMqueue(Napi::Env env, Napi::Object exports) {
  exports.Set("mqOpen", Napi::Function::New(env, MqOpen, "mqOpen"));
  exports.Set("mqSend", Napi::Function::New(env, MqSend, "mqSend"));
  exports.Set("mqReceive", Napi::Function::New(env, MqReceive, "mqReceive"));
  exports.Set("mqAttributes", Napi::Function::New(env, MqAttributes, "mqAttributes"));
  exports.Set("mqClose", Napi::Function::New(env, MqClose, "mqClose"));
  exports.Set("mqUnlink", Napi::Function::New(env, MqUnlink, "mqUnlink"));
}

}  // namespace shim
