// errors.h: every misuse of the shim becomes a JS Error with a stable `code`.
//
// Codes follow POSIX errno names where one fits (EEXIST, ENOENT, EINVAL, ...),
// so learners meet the names they will see in C. Never throw into an env that
// is being torn down: that aborts the process (see IsEnvAlive in waiters.h).
#pragma once
#include <napi.h>
#include <cerrno>
#include <cstring>
#include <string>
#include <cstdio>

namespace shim {

[[noreturn]] inline void ThrowCode(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  throw error;
}

[[noreturn]] inline void ThrowTypeCode(Napi::Env env, const char* code, const std::string& message) {
  Napi::TypeError error = Napi::TypeError::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  throw error;
}

// Turns the current errno of a failed system call into an error named after it.
[[noreturn]] inline void ThrowErrno(Napi::Env env, const std::string& what, int err) {
  const char* name = strerrorname_np(err);
  ThrowCode(env, name ? name : "EIO", what + ": " + std::strerror(err));
}

inline std::string FormatNumber(double d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", d);
  return text;
}

// Argument readers: each names the function and the argument in its message.
inline Napi::Value Arg(const Napi::CallbackInfo& info, size_t i) {
  return i < info.Length() ? info[i] : info.Env().Undefined();
}

inline double NumberArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  Napi::Value v = Arg(info, i);
  if (!v.IsNumber()) ThrowTypeCode(info.Env(), "EINVAL", std::string(fn) + ": " + name + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

inline int64_t IntArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name,
                      int64_t min, int64_t max) {
  double d = NumberArg(info, i, fn, name);
  if (d != static_cast<double>(static_cast<int64_t>(d)) || d < min || d > max) {
    ThrowCode(info.Env(), "EINVAL", std::string(fn) + ": " + name + " must be an integer in [" +
              std::to_string(min) + ", " + std::to_string(max) + "], got " + FormatNumber(d));
  }
  return static_cast<int64_t>(d);
}

inline std::string StringArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  Napi::Value v = Arg(info, i);
  if (!v.IsString()) ThrowTypeCode(info.Env(), "EINVAL", std::string(fn) + ": " + name + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

}  // namespace shim
