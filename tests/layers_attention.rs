//! `MultiheadAttention` against `torch.nn.MultiheadAttention(batch_first=True)`.
mod common;

use common::{assert_close, assert_close_to, input, load_state};
use typed_torch::nn::{check_gradients, Module, MultiheadAttention, Params};
use typed_torch::{Tensor, D};

type Q = (D<2>, D<3>, D<8>);
type KV = (D<2>, D<4>, D<8>);

fn loaded() -> MultiheadAttention<8, 2, f64> {
    let mut mha = MultiheadAttention::<8, 2, f64>::new();
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

    let y: Tensor<Q, f64> = mha.forward(input::<Q, f64>("attn.self", 0));
    assert_close("attn.self", &y, 1e-12);

    use typed_torch::nn::ToKind;
    let narrow = mha.to_kind::<f32>();
    let y32: Tensor<Q> = narrow.forward(input::<Q, f64>("attn.self", 0).to_kind::<f32>());
    assert_close("attn.self", &y32.to_kind::<f64>(), 1e-5);
}

#[test]
fn attention_gradients_match_finite_differences() {
    tch::manual_seed(8);
    let mut mha = MultiheadAttention::<4, 2, f64>::new();
    let x = Tensor::<(D<1>, D<3>, D<4>), f64>::randn();
    let r = check_gradients(&mut mha, &x, 1e-6, |m, x| {
        m.forward(x.clone()).tanh().sum_all()
    });
    assert!(r.max_error < 1e-6, "{r:?}");
}
