//! Rules for the path integral of integrated gradients: points in `[0, 1]` and their weights.

/// How [`IntegratedGradients`](super::IntegratedGradients) approximates the integral from the
/// baseline (0) to the input (1): Captum's `method` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quadrature {
    /// Gauss-Legendre: exact for polynomials of degree `2n - 1` along the path, so it needs far
    /// fewer steps than the Riemann sums (Captum's default, `"gausslegendre"`).
    #[default]
    GaussLegendre,
    /// Left Riemann sum: points `0, 1/n, ..., (n-1)/n`, weights `1/n`.
    RiemannLeft,
    /// Right Riemann sum: points `1/n, ..., 1`, weights `1/n`.
    RiemannRight,
    /// Midpoint Riemann sum: points `(i + 1/2)/n`, weights `1/n`.
    RiemannMiddle,
    /// Captum's `"riemann_trapezoid"`: `n` evenly spaced points from 0 to 1, weights `1/n`
    /// halved at both ends.
    RiemannTrapezoid,
}

impl Quadrature {
    /// The `n` points along the path and their weights.
    pub fn points(self, n: usize) -> Vec<(f64, f64)> {
        let nf = n as f64;
        match self {
            Quadrature::GaussLegendre => gauss_legendre(n),
            Quadrature::RiemannLeft => (0..n).map(|i| (i as f64 / nf, 1.0 / nf)).collect(),
            Quadrature::RiemannRight => (0..n).map(|i| ((i + 1) as f64 / nf, 1.0 / nf)).collect(),
            Quadrature::RiemannMiddle => {
                (0..n).map(|i| ((i as f64 + 0.5) / nf, 1.0 / nf)).collect()
            }
            Quadrature::RiemannTrapezoid => (0..n)
                .map(|i| {
                    let end = i == 0 || i + 1 == n;
                    let at = if n == 1 { 0.0 } else { i as f64 / (nf - 1.0) };
                    (at, if end { 0.5 / nf } else { 1.0 / nf })
                })
                .collect(),
        }
    }

    /// The fewest points the rule takes (the trapezoid needs both ends).
    pub(crate) fn min_points(self) -> usize {
        match self {
            Quadrature::GaussLegendre => 1,
            _ => 2,
        }
    }
}

/// Gauss-Legendre nodes and weights mapped from `[-1, 1]` to `[0, 1]`, in increasing order.
///
/// Each node is a root of the Legendre polynomial `P_n`, found by Newton's method from the
/// classical estimate `cos(pi (i + 3/4) / (n + 1/2))`; the weight is `2 / ((1 - x^2) P_n'(x)^2)`.
fn gauss_legendre(n: usize) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(n);
    for i in 0..n {
        let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
        let mut derivative = 0.0;
        for _ in 0..100 {
            let (p, dp) = legendre(n, x);
            derivative = dp;
            let step = p / dp;
            x -= step;
            if step.abs() < 1e-16 {
                break;
            }
        }
        let (_, dp) = legendre(n, x);
        derivative = if dp != 0.0 { dp } else { derivative };
        let weight = 2.0 / ((1.0 - x * x) * derivative * derivative);
        points.push((0.5 * (1.0 + x), 0.5 * weight));
    }
    points.reverse();
    points
}

/// `P_n(x)` and `P_n'(x)` by the three-term recurrence.
fn legendre(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    if n == 0 {
        return (1.0, 0.0);
    }
    for k in 2..=n {
        let kf = k as f64;
        let p2 = ((2.0 * kf - 1.0) * x * p1 - (kf - 1.0) * p0) / kf;
        p0 = p1;
        p1 = p2;
    }
    let dp = n as f64 * (x * p1 - p0) / (x * x - 1.0);
    (p1, dp)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gauss-Legendre with n points integrates x^k exactly for k < 2n; weights sum to 1.
    #[test]
    fn gauss_legendre_is_exact_for_polynomials() {
        for n in [1, 2, 5, 50, 200] {
            let pts = gauss_legendre(n);
            for k in 0..(2 * n).min(40) {
                let integral: f64 = pts.iter().map(|(x, w)| w * x.powi(k as i32)).sum();
                let exact = 1.0 / (k as f64 + 1.0);
                assert!((integral - exact).abs() < 1e-13, "n {n}, x^{k}: {integral}");
            }
            assert!(pts.windows(2).all(|p| p[0].0 < p[1].0));
        }
    }
}
