// typed-torch's custom differentiable operations: an autograd node whose backward calls back into
// Rust. tch has no custom autograd function (tch-rs #437); this is the smallest shim that gives one.
//
// Tensors cross the boundary as `torch::Tensor*` heap handles, tch's own representation: a
// handle passed to Rust is Rust's to free (tch's `Tensor::from_ptr`), a handle Rust returns is
// ours to delete.
#include <torch/torch.h>

#include <string>
#include <vector>

extern "C" {
// Runs the Rust backward of `state` on `n_grads` output gradients (handles, possibly undefined
// tensors) and writes one handle per input to `out` (null for no gradient). Returns 0, or
// non-zero after writing a message to `error` (at most `error_len` bytes, NUL-terminated).
typedef int (*tt_backward_fn)(void *state, torch::Tensor **grads, int n_grads,
                              torch::Tensor **out, int n_out, char *error, int error_len);
// Frees the Rust state when the autograd graph that holds it goes away.
typedef void (*tt_drop_fn)(void *state);
}

namespace {

struct RustState : torch::CustomClassHolder {
  void *state;
  tt_backward_fn backward;
  tt_drop_fn drop;
  int n_inputs;
  std::vector<torch::Tensor> outputs;
  RustState(void *s, tt_backward_fn b, tt_drop_fn d, int n)
      : state(s), backward(b), drop(d), n_inputs(n) {}
  ~RustState() override { drop(state); }
};

struct RustFunction : public torch::autograd::Function<RustFunction> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext *ctx,
                                                at::TensorList inputs,
                                                c10::intrusive_ptr<RustState> state) {
    (void)inputs;
    ctx->saved_data["state"] = c10::IValue::make_capsule(state);
    // The outputs were computed by Rust without gradient; they only need the node attached.
    auto outputs = std::move(state->outputs);
    state->outputs.clear();
    return outputs;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                 torch::autograd::variable_list grads) {
    auto holder = ctx->saved_data["state"].toCapsule();
    auto *state = static_cast<RustState *>(holder.get());
    std::vector<torch::Tensor *> in;
    for (auto &g : grads) in.push_back(new torch::Tensor(g));
    std::vector<torch::Tensor *> out(state->n_inputs, nullptr);
    char error[1024] = {0};
    int failed = state->backward(state->state, in.data(), (int)in.size(), out.data(),
                                 state->n_inputs, error, (int)sizeof(error));
    torch::autograd::variable_list result;
    for (auto *p : out) {
      if (p) {
        result.push_back(*p);
        delete p;
      } else {
        result.push_back(torch::Tensor());
      }
    }
    if (failed) throw std::runtime_error(std::string("custom op backward: ") + error);
    // One entry per argument of `forward`: each input tensor, then none for the state.
    result.push_back(torch::Tensor());
    return result;
  }
};

}  // namespace

extern "C" {

// Attaches a node with the Rust backward `state` to `n_outputs` tensors computed from
// `n_inputs` inputs; writes the attached outputs' handles to `result`. Returns 0, or non-zero
// with a message in `error`.
int tt_custom_op(torch::Tensor **inputs, int n_inputs, torch::Tensor **outputs, int n_outputs,
                 void *state, tt_backward_fn backward, tt_drop_fn drop, torch::Tensor **result,
                 char *error, int error_len) {
  try {
    auto holder = c10::make_intrusive<RustState>(state, backward, drop, n_inputs);
    torch::autograd::variable_list in;
    for (int i = 0; i < n_inputs; ++i) in.push_back(*inputs[i]);
    for (int i = 0; i < n_outputs; ++i) holder->outputs.push_back(*outputs[i]);
    // A `TensorList` is what `Function::apply` takes as tensors; a vector would pass as opaque.
    auto attached = RustFunction::apply(at::TensorList(in), holder);
    for (int i = 0; i < n_outputs; ++i) result[i] = new torch::Tensor(attached[i]);
    return 0;
  } catch (const std::exception &e) {
    std::snprintf(error, error_len, "%s", e.what());
    return 1;
  }
}
}

extern "C" {
// Whether autograd records operations on this thread (tch does not expose the query).
int tt_grad_enabled() { return torch::GradMode::is_enabled() ? 1 : 0; }
}

extern "C" {
// `param.grad = grad` (tch has no setter): the compiled training step writes gradients in place,
// so a parameter whose gradient is none is given one to write into. The caller passes a tensor of
// the parameter's shape, dtype and device.
void tt_set_grad(torch::Tensor *param, torch::Tensor *grad) { param->mutable_grad() = *grad; }
}

extern "C" {
// `at::convolution_backward` (tch has no binding) for the compiled step's convolutions: the
// gradients of a non-transposed convolution for `grad_output`, with respect to the input, the
// weight and the bias as `want` asks (3 flags); writes a handle per gradient asked for to `out`.
// `bias_size` < 0: no bias. Returns 0, or non-zero with a message in `error`.
int tt_convolution_backward(torch::Tensor *grad_output, torch::Tensor *input,
                            torch::Tensor *weight, int64_t bias_size, const int64_t *stride,
                            const int64_t *padding, const int64_t *dilation, int dims,
                            int64_t groups, const int *want, torch::Tensor **out, char *error,
                            int error_len) {
  try {
    std::vector<int64_t> zeros(dims, 0);
    std::vector<int64_t> bias_sizes{bias_size};
    at::OptionalIntArrayRef bias = bias_size >= 0 ? at::OptionalIntArrayRef(bias_sizes)
                                                  : at::OptionalIntArrayRef(c10::nullopt);
    std::array<bool, 3> mask{want[0] != 0, want[1] != 0, want[2] != 0};
    auto grads = at::convolution_backward(
        *grad_output, *input, *weight, bias, at::IntArrayRef(stride, dims),
        at::IntArrayRef(padding, dims), at::IntArrayRef(dilation, dims), false, zeros, groups, mask);
    out[0] = mask[0] ? new torch::Tensor(std::get<0>(grads)) : nullptr;
    out[1] = mask[1] ? new torch::Tensor(std::get<1>(grads)) : nullptr;
    out[2] = mask[2] ? new torch::Tensor(std::get<2>(grads)) : nullptr;
    return 0;
  } catch (const std::exception &e) {
    std::snprintf(error, error_len, "%s", e.what());
    return 1;
  }
}
}
