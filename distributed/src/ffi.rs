//! The C functions of `shim/c10d.cpp`. Tensors are tch's `torch::Tensor*` handles, borrowed.
use std::ffi::{c_char, c_int, c_void};

extern "C" {
    pub fn tt_c10d_new_gloo(
        host: *const c_char,
        port: u16,
        bind_kind: c_int,
        bind: *const c_char,
        rank: c_int,
        size: c_int,
        timeout_ms: i64,
        threads: c_int,
        out: *mut *mut c_void,
        error: *mut c_char,
        error_len: c_int,
    ) -> c_int;
    #[cfg(typed_torch_nccl)]
    pub fn tt_c10d_new_nccl(
        host: *const c_char,
        port: u16,
        rank: c_int,
        size: c_int,
        timeout_ms: i64,
        out: *mut *mut c_void,
        error: *mut c_char,
        error_len: c_int,
    ) -> c_int;
    pub fn tt_c10d_free(group: *mut c_void);
    pub fn tt_c10d_all_reduce(
        group: *mut c_void,
        tensors: *const *mut c_void,
        n: c_int,
        op: c_int,
        timeout_ms: i64,
        error: *mut c_char,
        error_len: c_int,
    ) -> c_int;
    pub fn tt_c10d_broadcast(
        group: *mut c_void,
        tensors: *const *mut c_void,
        n: c_int,
        root: c_int,
        timeout_ms: i64,
        error: *mut c_char,
        error_len: c_int,
    ) -> c_int;
    pub fn tt_c10d_all_gather(
        group: *mut c_void,
        outputs: *const *mut c_void,
        n_outputs: c_int,
        input: *mut c_void,
        timeout_ms: i64,
        error: *mut c_char,
        error_len: c_int,
    ) -> c_int;
    pub fn tt_c10d_reduce_scatter(
        group: *mut c_void,
        output: *mut c_void,
        inputs: *const *mut c_void,
        n_inputs: c_int,
        op: c_int,
        timeout_ms: i64,
        error: *mut c_char,
        error_len: c_int,
    ) -> c_int;
    pub fn tt_c10d_set_grad(param: *mut c_void, grad: *mut c_void);
    pub fn tt_c10d_barrier(
        group: *mut c_void,
        timeout_ms: i64,
        error: *mut c_char,
        error_len: c_int,
    ) -> c_int;
}

/// A tch tensor as the shim's handle type.
pub fn handle(t: &tch::Tensor) -> *mut c_void {
    t.as_ptr() as *mut c_void
}

/// Calls `f` with an error buffer; `Err(message)` when it reports a failure.
pub fn call(f: impl FnOnce(*mut c_char, c_int) -> c_int) -> Result<(), String> {
    let mut buffer = vec![0 as c_char; 2048];
    let status = f(buffer.as_mut_ptr(), buffer.len() as c_int);
    if status == 0 {
        return Ok(());
    }
    // SAFETY: the shim always NUL-terminates within the buffer.
    let message = unsafe { std::ffi::CStr::from_ptr(buffer.as_ptr()) };
    Err(message.to_string_lossy().trim().to_string())
}
