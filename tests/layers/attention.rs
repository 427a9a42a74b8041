//! `MultiheadAttention` against `torch.nn.MultiheadAttention(batch_first=True)`.

use crate::common::{assert_close, assert_close_to, input, load_state, share_generator};
use typed_torch::check_gradients;
use typed_torch::nn::{Module, MultiheadAttention, Params};
use typed_torch::prelude::*;
use typed_torch::{Cpu, Dyn, Tensor, D};

type Q = (D<2>, D<3>, D<8>);
type KV = (D<2>, D<4>, D<8>);

fn loaded() -> MultiheadAttention<8, Heads<2>, (), f64> {
    let mut mha = MultiheadAttention::<8, Heads<2>, (), f64>::init().unwrap();
    assert_eq!(
        mha.param_names(),
        [
            "in_proj_weight",
            "in_proj_bias",
            "out_proj.weight",
            "out_proj.bias"
        ]
    );
    load_state(&mut mha, "attn.param");
    mha
}

#[test]
fn attention_matches_torch_with_and_without_masks() {
    let _generator = share_generator();
    let mha = loaded();
    let (q, k, v) = (
        input::<Q, f64>("attn.plain", 0),
        input::<KV, f64>("attn.plain", 1),
        input::<KV, f64>("attn.plain", 2),
    );
    let (out, weights) = mha.attend(&q, &k, &v, None, None);
    assert_close("attn.plain", &out, 1e-12);
    assert_close_to("attn.plain", "grad0", &weights, 1e-12); // stored as the first extra tensor

    let mask = input::<(D<3>, D<4>), bool>("attn.masked", 3);
    let pad = input::<(D<2>, D<4>), bool>("attn.masked", 4);
    let (out, weights) = mha.attend(&q, &k, &v, Some(&mask), Some(&pad));
    assert_close("attn.masked", &out, 1e-12);
    assert_close_to("attn.masked", "grad0", &weights, 1e-12);

    for (case, with_mask, with_pad) in [
        ("attn.mask_only", true, false),
        ("attn.pad_only", false, true),
    ] {
        let m = with_mask.then(|| input::<(D<3>, D<4>), bool>(case, 3));
        let p = with_pad.then(|| input::<(D<2>, D<4>), bool>(case, 3));
        let (out, weights) = mha.attend(&q, &k, &v, m.as_ref(), p.as_ref());
        assert_close(case, &out, 1e-12);
        assert_close_to(case, "grad0", &weights, 1e-12);
    }

    // Cross-attention through `Module` on a (query, key, value) tuple, with run-time sizes.
    let y = mha.forward((
        input::<(Dyn, Dyn, D<8>), f64>("attn.plain", 0),
        input::<(Dyn, Dyn, D<8>), f64>("attn.plain", 1),
        input::<(Dyn, Dyn, D<8>), f64>("attn.plain", 2),
    ));
    assert_close("attn.plain", &y, 1e-12);

    let y: Tensor<Q, f64> = mha.forward(input::<Q, f64>("attn.self", 0));
    assert_close("attn.self", &y, 1e-12);

    use typed_torch::nn::ToKind;
    let narrow = mha.to_kind::<f32>();
    let y32: Tensor<Q> = narrow.forward(input::<Q, f64>("attn.self", 0).to_kind::<f32>());
    assert_close("attn.self", &y32.to_kind::<f64>(), 1e-5);
    let (out32, weights32) = narrow.attend(
        &q.to_kind::<f32>(),
        &k.to_kind::<f32>(),
        &v.to_kind::<f32>(),
        Some(&mask),
        Some(&pad),
    );
    assert_close("attn.masked", &out32.to_kind::<f64>(), 1e-5);
    assert_close_to("attn.masked", "grad0", &weights32.to_kind::<f64>(), 1e-5);
}

#[test]
fn attention_without_bias_matches_torch() {
    let _generator = share_generator();
    let mut mha = MultiheadAttention::<8, Heads<2>, NoBias, f64, Cpu>::init().unwrap();
    assert_eq!(mha.param_names(), ["in_proj_weight", "out_proj.weight"]);
    load_state(&mut mha, "attn_nobias.param");
    let (q, k, v) = (
        input::<Q, f64>("attn.nobias", 0),
        input::<KV, f64>("attn.nobias", 1),
        input::<KV, f64>("attn.nobias", 2),
    );
    let mask = input::<(D<3>, D<4>), bool>("attn.nobias", 3);
    let pad = input::<(D<2>, D<4>), bool>("attn.nobias", 4);
    let (out, weights) = mha.attend(&q, &k, &v, Some(&mask), Some(&pad));
    assert_close("attn.nobias", &out, 1e-12);
    assert_close_to("attn.nobias", "grad0", &weights, 1e-12);
    let r = check_gradients(&mut mha, &q, 1e-6, |m, q| {
        let (out, weights) = m.attend(q, &k, &v, Some(&mask), Some(&pad));
        out.tanh().sum_all() + weights.sum_all()
    });
    assert!(r.max_error < 1e-6, "{r:?}");
}

#[test]
fn attention_init_is_torchs() {
    let _generator = share_generator();
    tch::manual_seed(3);
    let mha = MultiheadAttention::<16, Heads<4>, (), f64>::init().unwrap();
    let xavier = (6.0f64 / (16.0 + 48.0)).sqrt();
    let w = mha.in_proj_weight.to_vec();
    assert_eq!(w.len(), 48 * 16);
    assert!(w.iter().all(|x| x.abs() <= xavier));
    assert!(w.iter().map(|x| x.abs()).fold(0.0, f64::max) > 0.9 * xavier);
    let o = mha.out_proj.weight.to_vec();
    assert!(o.iter().all(|x| x.abs() <= 0.25)); // 1/sqrt(16)
    assert!(o.iter().map(|x| x.abs()).fold(0.0, f64::max) > 0.9 * 0.25);
    assert!(mha.in_proj_bias.to_vec().iter().all(|&b| b == 0.0));
    let out_bias = mha.out_proj.bias.to_vec();
    assert!(out_bias.iter().all(|&b| b == 0.0));
}

#[test]
fn attention_gradients_match_finite_differences() {
    let _generator = share_generator();
    tch::manual_seed(8);
    let mut mha = MultiheadAttention::<4, Heads<2>, (), f64>::init().unwrap();
    let x = Tensor::<(D<1>, D<3>, D<4>), f64>::randn();
    let r = check_gradients(&mut mha, &x, 1e-6, |m, x| {
        m.forward(x.clone()).tanh().sum_all()
    });
    println!("gradients mha: {r:?}");
    assert!(r.max_error < 1e-6, "{r:?}");
}

#[test]
fn masked_cross_attention_gradients_match_finite_differences() {
    let _generator = share_generator();
    // Gradients with respect to the query and every parameter, through both the output and the
    // averaged weights, with an attention mask and key padding (no query fully masked).
    tch::manual_seed(9);
    let mut mha = MultiheadAttention::<4, Heads<2>, (), f64>::init().unwrap();
    typed_torch::no_grad(|| {
        mha.for_each_param_mut(|_, t| {
            let _ = t.uniform_(-0.5, 0.5); // non-zero biases
        })
    });
    let q = Tensor::<(D<2>, D<3>, D<4>), f64>::randn();
    let k = Tensor::<(D<2>, D<5>, D<4>), f64>::randn();
    let v = Tensor::<(D<2>, D<5>, D<4>), f64>::randn();
    let (f, t) = (false, true);
    let mask = Tensor::<(D<3>, D<5>), bool>::from_slice(&[
        f, t, f, f, t, //
        f, f, t, t, f, //
        t, f, f, f, f,
    ])
    .unwrap();
    let pad = Tensor::<(D<2>, D<5>), bool>::from_slice(&[f, f, f, f, t, f, t, f, f, f]).unwrap();
    let r = check_gradients(&mut mha, &q, 1e-6, |m, q| {
        let (out, weights) = m.attend(q, &k, &v, Some(&mask), Some(&pad));
        out.tanh().sum_all() + (weights * 3.0).sin().sum_all()
    });
    println!("gradients mha: {r:?}");
    assert!(r.max_error < 1e-6, "{r:?}");
}
