// The NCCL backend of typed-torch's c10d shim, compiled only where libtorch_cuda and nccl.h are
// present (build.rs). Collectives go through the same functions as Gloo's (c10d.cpp): both are
// `c10d::Backend`s.
#include "common.hpp"

#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>

extern "C" {

// Rendezvous through a TCPStore and an NCCL backend on the current CUDA device.
int tt_c10d_new_nccl(const char *host, uint16_t port, int rank, int size, int64_t timeout_ms,
                     void **out, char *error, int error_len) {
  return tt::guarded(error, error_len, [&] {
    auto store = tt::rendezvous(host, port, rank, size, timeout_ms);
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = tt::ms(timeout_ms);
    auto backend = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, size, options);
    *out = new tt::Group{store, backend, tt::ms(timeout_ms)};
  });
}

}  // extern "C"
