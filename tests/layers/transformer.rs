//! Transformer layers, stacks, the whole model and attention with key and value widths of their
//! own against `torch.nn` (tests/reference/transformer.py): outputs in training mode (dropout 0)
//! and eval mode, gradients with respect to the inputs and every parameter, f64 within 1e-10;
//! PyTorch's initialisation under a seed; run-time size errors.
use crate::common::{
    assert_close, assert_close_to, input, load_state, lock_generator, reference, share_generator,
};
use typed_torch::nn::{
    AttnMask, DecoderMasks, EncoderMasks, Init, KeyPaddingMask, LayerNorm, MultiheadAttention,
    Params, Transformer, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer,
    TransformerMasks,
};
use typed_torch::options::{Activation, BatchFirst, KDim, NormFirst, VDim};
use typed_torch::prelude::*;
use typed_torch::{Dyn, Error, Shape, Tensor, D};

const TOL: f64 = 1e-10;

/// Batch-first `(B, T, M)` and time-first `(T, B, M)` sequences of the reference sizes.
type TgtBf = (D<2>, D<5>, D<8>);
type SrcBf = (D<2>, D<4>, D<8>);
type TgtSf = (D<5>, D<2>, D<8>);
type SrcSf = (D<4>, D<2>, D<8>);

fn leaf<S: Shape>(case: &str, i: usize) -> Tensor<S, f64> {
    input::<S, f64>(case, i).deep_clone().requires_grad()
}

fn mask<T: typed_torch::Dim, S: typed_torch::Dim>(case: &str, which: &str) -> AttnMask<T, S, f64> {
    let m = reference(&format!("{case}.mask.{which}"));
    if m.kind() == tch::Kind::Bool {
        AttnMask::from_bool(&Tensor::from_tch(m).unwrap())
    } else {
        AttnMask::additive_from(Tensor::from_tch(m).unwrap())
    }
}

fn padding<B: typed_torch::Dim, S: typed_torch::Dim>(
    case: &str,
    which: &str,
) -> KeyPaddingMask<B, S, f64> {
    KeyPaddingMask::from_bool(
        &Tensor::from_tch(reference(&format!("{case}.mask.{which}"))).unwrap(),
    )
}

/// Checks the output, then backpropagates `sum(out * w)` and checks the inputs' and every
/// parameter's gradient.
fn check_training<S: Shape, M: Params>(
    case: &str,
    out: &Tensor<S, f64>,
    inputs: &[&tch::Tensor],
    model: &M,
) {
    assert_close(case, out, TOL);
    let w = reference(&format!("{case}.w"));
    (out.as_tch() * w).sum(tch::Kind::Double).backward();
    for (i, x) in inputs.iter().enumerate() {
        let grad = Tensor::<(Dyn, Dyn, Dyn), f64>::from_tch(x.grad()).unwrap();
        assert_close_to(case, &format!("grad{i}"), &grad, TOL);
    }
    let mut checked = 0;
    model.for_each_param(|name, p| {
        let expected = reference(&format!("{case}.pgrad.{name}"));
        let diff = (p.grad() - expected).abs().max().double_value(&[]);
        assert!(
            diff <= TOL,
            "{case}: gradient of {name} differs by {diff:e}"
        );
        checked += 1;
    });
    assert!(checked > 0);
}

fn check_eval<S: Shape>(case: &str, out: &Tensor<S, f64>) {
    let expected = reference(&format!("{case}.eval"));
    let diff = (out.as_tch() - expected).abs().max().double_value(&[]);
    assert!(diff <= TOL, "{case}: eval output differs by {diff:e}");
}

#[test]
fn encoder_layers_match_pytorch() {
    let _generator = share_generator();
    let c = "tf.enc_post_relu_bf";
    let mut layer = TransformerEncoderLayer::<8, Heads<2>, 16, BatchFirst, f64>::init()
        .unwrap()
        .dropout(0.0);
    load_state(&mut layer, &format!("{c}.param"));
    let x = leaf::<TgtBf>(c, 0);
    let masks = EncoderMasks {
        mask: Some(mask(c, "attn")),
        key_padding: Some(padding(c, "padding")),
    };
    let out = layer.forward_masked(x.clone(), &masks);
    check_training(c, &out, &[x.as_tch()], &layer);
    layer.set_train(false);
    check_eval(c, &no_grad(|| layer.forward_masked(x.detach(), &masks)));

    // Without masks, through `Module::forward`.
    let c = "tf.enc_plain_bf";
    let mut layer = TransformerEncoderLayer::<8, Heads<2>, 16, BatchFirst, f64>::init()
        .unwrap()
        .dropout(0.0);
    load_state(&mut layer, &format!("{c}.param"));
    let x = leaf::<TgtBf>(c, 0);
    let out = layer.forward(x.clone());
    check_training(c, &out, &[x.as_tch()], &layer);
    layer.set_train(false);
    check_eval(c, &no_grad(|| layer.forward(x.detach())));

    // Pre-norm, GELU, time-first, an additive mask.
    let c = "tf.enc_pre_gelu_sf";
    type Pre = TransformerEncoderLayer<8, Heads<2>, 16, (NormFirst, Activation<GELU>), f64>;
    let mut layer = Pre::init().unwrap().dropout(0.0);
    load_state(&mut layer, &format!("{c}.param"));
    let x = leaf::<TgtSf>(c, 0);
    let masks = EncoderMasks {
        mask: Some(mask(c, "attn")),
        key_padding: None,
    };
    let out = layer.forward_masked(x.clone(), &masks);
    check_training(c, &out, &[x.as_tch()], &layer);
    layer.set_train(false);
    check_eval(c, &no_grad(|| layer.forward_masked(x.detach(), &masks)));
}

#[test]
fn decoder_layers_match_pytorch() {
    let _generator = share_generator();
    let c = "tf.dec_post_bf";
    let mut layer = TransformerDecoderLayer::<8, Heads<2>, 16, BatchFirst, f64>::init()
        .unwrap()
        .dropout(0.0);
    load_state(&mut layer, &format!("{c}.param"));
    let (x, memory) = (leaf::<TgtBf>(c, 0), leaf::<SrcBf>(c, 1));
    let masks = DecoderMasks {
        tgt_mask: Some(mask(c, "tgt")),
        memory_key_padding: Some(padding(c, "memory_padding")),
        ..Default::default()
    };
    let out = layer.forward_masked(x.clone(), &memory, &masks);
    check_training(c, &out, &[x.as_tch(), memory.as_tch()], &layer);
    layer.set_train(false);
    check_eval(
        c,
        &no_grad(|| layer.forward_masked(x.detach(), &memory.detach(), &masks)),
    );

    let c = "tf.dec_pre_gelu_sf";
    type Pre = TransformerDecoderLayer<8, Heads<2>, 16, (NormFirst, Activation<GELU>), f64>;
    let mut layer = Pre::init().unwrap().dropout(0.0);
    load_state(&mut layer, &format!("{c}.param"));
    let (x, memory) = (leaf::<TgtSf>(c, 0), leaf::<SrcSf>(c, 1));
    let masks = DecoderMasks {
        tgt_mask: Some(mask(c, "tgt")),
        memory_mask: Some(mask(c, "memory")),
        tgt_key_padding: Some(padding(c, "tgt_padding")),
        memory_key_padding: None,
    };
    let out = layer.forward_masked(x.clone(), &memory, &masks);
    check_training(c, &out, &[x.as_tch(), memory.as_tch()], &layer);
    layer.set_train(false);
    check_eval(
        c,
        &no_grad(|| layer.forward_masked(x.detach(), &memory.detach(), &masks)),
    );
}

#[test]
fn stacks_and_the_whole_model_match_pytorch() {
    let _generator = share_generator();
    let c = "tf.encoder_stack";
    type Layer = TransformerEncoderLayer<8, Heads<2>, 16, BatchFirst, f64>;
    let mut stack = TransformerEncoder::<Layer, 2, LayerNorm<8, (), f64>>::init().unwrap();
    stack.layers = stack.layers.map(|l| l.dropout(0.0));
    load_state(&mut stack, &format!("{c}.param"));
    let x = leaf::<TgtBf>(c, 0);
    let masks = EncoderMasks {
        mask: Some(mask(c, "attn")),
        key_padding: None,
    };
    let out = stack.forward_masked(x.clone(), &masks);
    check_training(c, &out, &[x.as_tch()], &stack);
    stack.set_train(false);
    check_eval(c, &no_grad(|| stack.forward_masked(x.detach(), &masks)));

    // The whole model without masks, pre-norm, time-first, through `Module::forward`.
    let c = "tf.transformer_plain_sf";
    let mut model = Transformer::<8, Heads<2>, 1, 1, 16, NormFirst, f64>::init()
        .unwrap()
        .dropout(0.0);
    load_state(&mut model, &format!("{c}.param"));
    let (src, tgt) = (leaf::<SrcSf>(c, 0), leaf::<TgtSf>(c, 1));
    let out = model.forward((src.clone(), tgt.clone()));
    check_training(c, &out, &[src.as_tch(), tgt.as_tch()], &model);
    model.set_train(false);
    check_eval(c, &no_grad(|| model.forward((src.detach(), tgt.detach()))));

    let c = "tf.transformer";
    let mut model = Transformer::<8, Heads<2>, 2, 2, 16, BatchFirst, f64>::init()
        .unwrap()
        .dropout(0.0);
    load_state(&mut model, &format!("{c}.param"));
    let (src, tgt) = (leaf::<SrcBf>(c, 0), leaf::<TgtBf>(c, 1));
    let mut masks = TransformerMasks::default();
    masks.encoder.key_padding = Some(padding(c, "src_padding"));
    masks.decoder.tgt_mask = Some(mask(c, "tgt"));
    masks.decoder.memory_key_padding = Some(padding(c, "src_padding"));
    let out = model.forward_masked(src.clone(), tgt.clone(), &masks);
    check_training(c, &out, &[src.as_tch(), tgt.as_tch()], &model);
    model.set_train(false);
    check_eval(
        c,
        &no_grad(|| model.forward_masked(src.detach(), tgt.detach(), &masks)),
    );
}

#[test]
fn attention_with_key_and_value_widths_matches_pytorch() {
    let _generator = share_generator();
    let c = "tf.mha_kv";
    let mut mha = MultiheadAttention::<8, Heads<2>, (KDim<5>, VDim<3>), f64>::init().unwrap();
    assert_eq!(
        mha.param_names(),
        [
            "q_proj_weight",
            "k_proj_weight",
            "v_proj_weight",
            "in_proj_bias",
            "out_proj.weight",
            "out_proj.bias"
        ]
    );
    load_state(&mut mha, &format!("{c}.param"));
    let (q, k, v) = (
        leaf::<TgtBf>(c, 0),
        leaf::<(D<2>, D<4>, D<5>)>(c, 1),
        leaf::<(D<2>, D<4>, D<3>)>(c, 2),
    );
    let (m, p) = (mask(c, "attn"), padding(c, "padding"));
    let out = mha.forward_masked(&q, &k, &v, Some(&m), Some(&p));
    check_training(c, &out, &[q.as_tch(), k.as_tch(), v.as_tch()], &mha);
    // With the weights asked for, the same output.
    let (with_weights, weights) = mha.attend_masked(&q, &k, &v, Some(&m), Some(&p));
    let diff = (with_weights - out).abs().sum_all().item();
    assert!(diff < 1e-12, "{diff}");
    assert_eq!(weights.size(), [2, 5, 4]);
}

/// Every parameter of `model` equals PyTorch's `tf.init.<what>.<name>`.
fn same_as_torch<M: Params>(what: &str, model: &M) {
    let mut names = 0;
    model.for_each_param(|name, t| {
        let expected = reference(&format!("tf.init.{what}.{name}"));
        let diff = (t - expected).abs().max().double_value(&[]);
        assert!(
            diff < 1e-6,
            "{what}: {name} differs from PyTorch's by {diff:e}"
        );
        names += 1;
    });
    assert!(names >= 6, "{what}: only {names} tensors");
}

#[test]
fn initialisation_draws_pytorchs_values() {
    let _generator = lock_generator();
    tch::manual_seed(161);
    let model = Transformer::<8, Heads<2>, 2, 1, 16, BatchFirst>::init().unwrap();
    same_as_torch("transformer", &model);
    tch::manual_seed(162);
    type Layer = TransformerEncoderLayer<8, Heads<2>, 16>;
    let stack = TransformerEncoder::<Layer, 2>::init().unwrap();
    same_as_torch("encoder", &stack);
    tch::manual_seed(163);
    let mha = MultiheadAttention::<8, Heads<2>, (KDim<5>, VDim<3>)>::init().unwrap();
    same_as_torch("mha_kv", &mha);
}

#[test]
fn dyn_sizes_that_do_not_fit_are_errors() {
    let _generator = share_generator();
    type Layer = TransformerEncoderLayer<8, Heads<2>, 16, BatchFirst, f64>;
    let layer = Layer::init().unwrap();
    let x = Tensor::<(Dyn, Dyn, D<8>), f64>::zeros_dyn(&[2, 5]).unwrap();
    // A causal mask for 4 steps on sequences of 5.
    let masks = EncoderMasks {
        mask: Some(AttnMask::causal_dyn(4)),
        key_padding: None,
    };
    let err = layer.try_forward_masked(x.clone(), &masks).unwrap_err();
    assert!(matches!(err, Error::Operands { .. }), "{err}");
    assert!(err.to_string().contains("a mask of sizes [5, 5]"), "{err}");
    // Padding for 3 sequences in a batch of 2.
    let masks = EncoderMasks {
        mask: None,
        key_padding: Some(KeyPaddingMask::from_lengths(&[5, 5, 2]).unwrap()),
    };
    let err = layer.try_forward_masked(x.clone(), &masks).unwrap_err();
    assert!(err.to_string().contains("[3, 5]"), "{err}");
    // The panicking form says the same.
    let panic = std::panic::catch_unwind(|| layer.forward_masked(x.clone(), &masks)).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("[3, 5]"), "{message}");
    // A decoder's memory from another batch.
    let dec = TransformerDecoderLayer::<8, Heads<2>, 16, BatchFirst, f64>::init().unwrap();
    let memory = Tensor::<(Dyn, Dyn, D<8>), f64>::zeros_dyn(&[3, 4]).unwrap();
    let err = dec
        .try_forward_masked(x, &memory, &DecoderMasks::none())
        .unwrap_err();
    assert!(err.to_string().contains("batch"), "{err}");
}
