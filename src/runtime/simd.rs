//! Vector instructions for the fused kernels, chosen once at run time.

/// Calls the kernel `f` (a function item marked `#[inline(always)]`) compiled for AVX2 where the
/// CPU has it (checked once, at run time), so the plain-Rust loops are vectorised 8 floats wide
/// instead of the baseline's 4. The arithmetic and its order are unchanged: Rust never contracts
/// `a * b + c` into an FMA.
#[inline(always)]
pub(crate) fn simd<A, B, F: FnOnce(A, B)>(f: F, a: A, b: B) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn avx2<A, B, F: FnOnce(A, B)>(f: F, a: A, b: B) {
            f(a, b)
        }
        static AVX2: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        if *AVX2.get_or_init(|| std::arch::is_x86_feature_detected!("avx2")) {
            // SAFETY: the CPU supports AVX2 (checked above).
            return unsafe { avx2(f, a, b) };
        }
    }
    f(a, b)
}
