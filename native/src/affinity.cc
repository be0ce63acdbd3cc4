// affinity.cc: which CPUs the calling thread may run on, for benchmarks that
// must not leave the answer to the scheduler (a round trip on one CPU and one
// across two CPUs differ tenfold).
//
//   setAffinity(cpus)  -> undefined   sched_setaffinity(2) of the calling thread only
//   getAffinity()      -> number[]    sched_getaffinity(2) of the calling thread, ascending
//
// EINVAL for an empty list, a CPU number outside [0, CPU_SETSIZE), or a set
// with no online CPU in it (the kernel's own EINVAL).
#include <sched.h>

#include "errors.h"

namespace shim {
namespace {

Napi::Value SetAffinity(const Napi::CallbackInfo& info) {
  Napi::Value arg = Arg(info, 0);
  if (!arg.IsArray()) ThrowTypeCode(info.Env(), "EINVAL", "setAffinity: cpus must be an array of CPU numbers");
  Napi::Array cpus = arg.As<Napi::Array>();
  if (cpus.Length() == 0) ThrowCode(info.Env(), "EINVAL", "setAffinity: cpus must name at least one CPU");
  cpu_set_t set;
  CPU_ZERO(&set);
  for (uint32_t i = 0; i < cpus.Length(); i++) {
    Napi::Value cpu = cpus.Get(i);
    double d = cpu.IsNumber() ? cpu.As<Napi::Number>().DoubleValue() : -1;
    if (d != static_cast<double>(static_cast<int>(d)) || d < 0 || d >= CPU_SETSIZE) {
      ThrowCode(info.Env(), "EINVAL", "setAffinity: cpus[" + std::to_string(i) + "] must be an integer in [0, " +
                std::to_string(CPU_SETSIZE) + ")");
    }
    CPU_SET(static_cast<int>(d), &set);
  }
  // pid 0: the calling thread, not the whole process (other threads keep their own sets).
  if (sched_setaffinity(0, sizeof set, &set) != 0) ThrowErrno(info.Env(), "sched_setaffinity", errno);
  return info.Env().Undefined();
}

Napi::Value GetAffinity(const Napi::CallbackInfo& info) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) ThrowErrno(info.Env(), "sched_getaffinity", errno);
  Napi::Array cpus = Napi::Array::New(info.Env());
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    if (CPU_ISSET(cpu, &set)) cpus.Set(cpus.Length(), Napi::Number::New(info.Env(), cpu));
  return cpus;
}

}  // namespace

void RegisterAffinity(Napi::Env env, Napi::Object exports) {
  exports.Set("setAffinity", Napi::Function::New(env, SetAffinity, "setAffinity"));
  exports.Set("getAffinity", Napi::Function::New(env, GetAffinity, "getAffinity"));
}

}  // namespace shim
