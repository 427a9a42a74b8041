// typed-torch's bridge to PyTorch's c10d engine: a TCPStore rendezvous, a Gloo (or NCCL) backend
// and the collectives typed-torch uses. tch exposes none of c10d (tch-rs #936); every transport
// here is libtorch's own, this file only adapts calling conventions.
//
// Conventions: tensors cross as `torch::Tensor*` (tch's handles), borrowed, never freed here. Every
// function returns 0 on success, or non-zero after writing a message (NUL-terminated, at most
// `error_len` bytes) to `error`; no C++ exception crosses into Rust.
#include "common.hpp"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>

namespace {

using tt::Group;
using tt::guarded;
using tt::ms;

// Waits for `work` for at most the timeout: a dead or missing peer becomes an exception, never a
// hang. At the group's own timeout the backend enforces it (Gloo's context, NCCL's watchdog were
// given it), so the wait is the untimed one `torch.distributed` uses; a different per-call limit
// (`ProcessGroup::with_timeout`) needs the timed wait.
void finish(Group *g, const c10::intrusive_ptr<c10d::Work> &work, int64_t timeout_ms) {
  auto limit = timeout_ms > 0 ? ms(timeout_ms) : g->timeout;
  if (limit == g->timeout) {
    work->wait();
    return;
  }
  if (!work->wait(limit)) {
    throw std::runtime_error("the collective did not complete within " +
                             std::to_string(limit.count()) + " ms");
  }
}

std::vector<at::Tensor> borrow(torch::Tensor **tensors, int n) {
  std::vector<at::Tensor> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) out.push_back(*tensors[i]);
  return out;
}

c10d::ReduceOp reduce_op(int op) {
  switch (op) {
    case 0: return c10d::ReduceOp(c10d::ReduceOp::SUM);
    case 1: return c10d::ReduceOp(c10d::ReduceOp::PRODUCT);
    case 2: return c10d::ReduceOp(c10d::ReduceOp::MIN);
    case 3: return c10d::ReduceOp(c10d::ReduceOp::MAX);
    default: throw std::invalid_argument("unknown reduce op " + std::to_string(op));
  }
}

}  // namespace

extern "C" {

// Rendezvous through a TCPStore (served by rank 0 on `host:port`) and a Gloo backend listening
// where `bind_kind`/`bind` say (where peers reach this process). `*out` receives the group.
int tt_c10d_new_gloo(const char *host, uint16_t port, int bind_kind, const char *bind, int rank, int size,
                     int64_t timeout_ms, int threads, void **out, char *error, int error_len) {
  return guarded(error, error_len, [&] {
    auto store = tt::rendezvous(host, port, rank, size, timeout_ms);
    auto options = c10d::ProcessGroupGloo::Options::create(ms(timeout_ms));
    // 0: the address `bind` (hostname or IP), 1: the interface `bind` (GLOO_SOCKET_IFNAME),
    // 2: this machine's hostname, falling back to loopback (Gloo's default).
    if (bind_kind == 0) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(bind));
    } else if (bind_kind == 1) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(bind));
    } else {
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    if (threads > 0) options->threads = threads;
    auto backend = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, options);
    *out = new Group{store, backend, ms(timeout_ms)};
  });
}

void tt_c10d_free(void *group) { delete static_cast<Group *>(group); }

int tt_c10d_all_reduce(void *group, torch::Tensor **tensors, int n, int op, int64_t timeout_ms,
                       char *error, int error_len) {
  auto *g = static_cast<Group *>(group);
  return guarded(error, error_len, [&] {
    auto list = borrow(tensors, n);
    c10d::AllreduceOptions opts;
    opts.reduceOp = reduce_op(op);
    finish(g, g->backend->allreduce(list, opts), timeout_ms);
  });
}

int tt_c10d_broadcast(void *group, torch::Tensor **tensors, int n, int root, int64_t timeout_ms,
                      char *error, int error_len) {
  auto *g = static_cast<Group *>(group);
  return guarded(error, error_len, [&] {
    auto list = borrow(tensors, n);
    c10d::BroadcastOptions opts;
    opts.rootRank = root;
    finish(g, g->backend->broadcast(list, opts), timeout_ms);
  });
}

// `outputs` holds one tensor per rank, each shaped like `input`.
int tt_c10d_all_gather(void *group, torch::Tensor **outputs, int n_outputs, torch::Tensor *input,
                       int64_t timeout_ms, char *error, int error_len) {
  auto *g = static_cast<Group *>(group);
  return guarded(error, error_len, [&] {
    std::vector<std::vector<at::Tensor>> out{borrow(outputs, n_outputs)};
    std::vector<at::Tensor> in{*input};
    finish(g, g->backend->allgather(out, in), timeout_ms);
  });
}

// `inputs` holds one tensor per rank; rank r's `output` receives the reduction of every rank's
// `inputs[r]`.
int tt_c10d_reduce_scatter(void *group, torch::Tensor *output, torch::Tensor **inputs,
                           int n_inputs, int op, int64_t timeout_ms, char *error,
                           int error_len) {
  auto *g = static_cast<Group *>(group);
  return guarded(error, error_len, [&] {
    std::vector<at::Tensor> out{*output};
    std::vector<std::vector<at::Tensor>> in{borrow(inputs, n_inputs)};
    c10d::ReduceScatterOptions opts;
    opts.reduceOp = reduce_op(op);
    finish(g, g->backend->reduce_scatter(out, in, opts), timeout_ms);
  });
}

int tt_c10d_barrier(void *group, int64_t timeout_ms, char *error, int error_len) {
  auto *g = static_cast<Group *>(group);
  return guarded(error, error_len, [&] {
    c10d::BarrierOptions opts;
    finish(g, g->backend->barrier(opts), timeout_ms);
  });
}

// Gives `param` the gradient `grad` (DDP's averaged gradient for a parameter that had none on
// this rank); tch can read a gradient but not set one.
void tt_c10d_set_grad(torch::Tensor *param, torch::Tensor *grad) { param->mutable_grad() = *grad; }

}  // extern "C"
