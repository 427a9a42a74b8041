//! Activation layers and `Embedding` against `torch.nn`.

use crate::common::{assert_close, assert_close_to, input, reference, share_generator};
use typed_torch::check_gradients;
use typed_torch::nn::{Embedding, LeakyReLU, LogSoftmax, Module, Params, Softmax, ELU};
use typed_torch::prelude::*;
use typed_torch::{Tensor, D};

type X = (D<3>, D<5>);

#[test]
fn activation_layers_match_torch() {
    let x = input::<X, f64>("misc.leaky", 0);
    assert_close(
        "misc.leaky",
        &LeakyReLU {
            negative_slope: 0.2,
        }
        .forward(x.clone()),
        1e-12,
    );
    assert_close(
        "misc.leaky_default",
        &LeakyReLU::default().forward(x.clone()),
        1e-12,
    );
    assert_close("misc.elu", &ELU { alpha: 0.5 }.forward(x.clone()), 1e-12);
    assert_close(
        "misc.elu_default",
        &ELU::default().forward(x.clone()),
        1e-12,
    );
    assert_close("misc.softmax", &Softmax::<1>.forward(x.clone()), 1e-12);
    assert_close("misc.log_softmax", &LogSoftmax::<0>.forward(x), 1e-12);
}

#[test]
fn embedding_with_padding_matches_torch_values_and_gradients() {
    let _generator = share_generator();
    let mut emb = Embedding::<7, 4, f64>::init()
        .unwrap()
        .padding_idx(2)
        .unwrap();
    assert!(Embedding::<7, 4, f64>::init()
        .unwrap()
        .padding_idx(7)
        .is_err());
    assert!(
        emb.weight.to_vec()[8..12].iter().all(|&v| v == 0.0),
        "padding row starts at zero"
    );
    assert_eq!(emb.param_names(), ["weight"]);
    typed_torch::no_grad(|| {
        emb.weight
            .as_tch()
            .shallow_clone()
            .copy_(&reference("misc.embedding.param.weight"))
    });
    emb.weight = emb.weight.detach().requires_grad();
    let ids = input::<(D<2>, D<3>), i64>("misc.embedding", 0);
    let out: Tensor<(D<2>, D<3>, D<4>), f64> = emb.forward(ids);
    assert_close("misc.embedding", &out, 1e-12);
    out.square().sum_all().backward();
    assert_close_to(
        "misc.embedding",
        "grad0",
        &emb.weight.grad().unwrap(),
        1e-12,
    );
}

#[test]
fn embedding_gradient_matches_finite_differences() {
    let _generator = share_generator();
    tch::manual_seed(4);
    let mut emb = Embedding::<5, 3, f64>::init().unwrap();
    // The checker perturbs the input too; for an index input that would change the indices, so
    // feed a float "input" that the loss uses only through a fixed index tensor.
    let ids = Tensor::<(D<4>,), i64>::from_array([0, 3, 3, 1]);
    let scale = Tensor::<(D<4>, D<1>), f64>::ones();
    let r = check_gradients(&mut emb, &scale, 1e-6, |m, s| {
        (m.forward(ids.clone()) * s).tanh().sum_all()
    });
    assert!(r.max_error < 1e-6, "{r:?}");
}
