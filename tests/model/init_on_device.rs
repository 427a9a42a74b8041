//! Models are created on their own device with PyTorch's initialisation: under one seed, every
//! layer draws exactly the values `torch.nn` draws (references: tests/reference/init.py), creation
//! on a device this machine lacks is an error naming it, and seeding makes creation repeatable.
use typed_torch::nn::{Conv1d, ConvTranspose2d, Gru, GruCell, Lstm, LstmCell, Rnn, RnnCell};
use typed_torch::options::{BatchFirst, Bidirectional, Nonlinearity, NumLayers, ProjSize};
use typed_torch::prelude::*;
use typed_torch_models::cnn::Cnn;

use crate::common::{lock_generator, reference};

/// The seed of tests/reference/init.py.
const SEED: i64 = 1234;

/// Creates `M` after seeding libtorch's generator as the reference did, and checks every tensor
/// of its `state_dict` against PyTorch's, bit for bit.
fn same_as_torch<M: Init + Params>(name: &str) {
    let model = {
        let _generator = lock_generator();
        tch::manual_seed(SEED);
        M::init().unwrap()
    };
    let mut checked = 0;
    model.for_each_tensor(|key, t| {
        let expected = reference(&format!("init.{name}.{key}"));
        assert_eq!(t.size(), expected.size(), "{name}.{key}: shape");
        assert!(
            t.equal(&expected),
            "{name}.{key}: values differ from PyTorch's initialisation"
        );
        checked += 1;
    });
    assert!(checked > 0, "{name}: nothing compared");
}

#[test]
fn every_layer_draws_pytorchs_initial_values() {
    same_as_torch::<Linear<784, 300>>("linear");
    same_as_torch::<Linear<20, 10, NoBias>>("linear_no_bias");
    same_as_torch::<Conv2d<3, 64, 7, (Stride<2>, Padding<3>)>>("conv2d");
    same_as_torch::<Conv2d<8, 16, 3, (Groups<4>, NoBias)>>("conv2d_groups");
    same_as_torch::<Conv1d<4, 8, 5>>("conv1d");
    same_as_torch::<ConvTranspose2d<8, 4, 3, (Stride<2>, Groups<2>)>>("conv_transpose2d");
    same_as_torch::<Embedding<50, 16>>("embedding");
    same_as_torch::<MultiheadAttention<16, Heads<4>>>("mha");
    same_as_torch::<BatchNorm2d<6>>("batch_norm2d");
    same_as_torch::<LayerNorm<12>>("layer_norm");
    same_as_torch::<Lstm<10, 20, (NumLayers<2>, Bidirectional, ProjSize<5>)>>("lstm");
    same_as_torch::<Gru<10, 20, (BatchFirst, NoBias)>>("gru");
    same_as_torch::<Rnn<10, 20, (NumLayers<3>, Nonlinearity<ReLU>)>>("rnn");
    same_as_torch::<LstmCell<10, 20>>("lstm_cell");
    same_as_torch::<GruCell<10, 20>>("gru_cell");
    same_as_torch::<RnnCell<10, 20, NoBias>>("rnn_cell");
}

#[test]
fn seeded_creation_is_repeatable() {
    let weights = || {
        let _generator = lock_generator();
        tch::manual_seed(7);
        let net = Cnn::<f64, Cpu>::init().unwrap();
        let mut all = Vec::new();
        net.for_each_param(|_, t| all.push(t.shallow_clone()));
        all
    };
    let (a, b) = (weights(), weights());
    assert_eq!(a.len(), 16); // five convolutions and three linear layers, weight and bias each
    assert!(a.iter().zip(&b).all(|(x, y)| x.equal(y)));
    // A created model trains: every parameter is a leaf that requires gradients.
    assert!(a.iter().all(|t| t.requires_grad() && t.is_leaf()));
}

#[test]
fn a_model_built_on_a_missing_gpu_is_an_error() {
    type OnGpu = Cnn<f32, Cuda<0>>;
    match OnGpu::init() {
        Err(err) if !tch::Cuda::is_available() => {
            assert!(
                matches!(err, typed_torch::Error::DeviceUnavailable { .. }),
                "{err:?}"
            );
            assert_eq!(
                err.to_string(),
                "device Cuda<0> is not available: this machine has 0 CUDA device(s)"
            );
        }
        Err(err) => panic!("a GPU is present, yet creating on it failed: {err}"),
        Ok(net) => {
            // With a GPU the model lives there from the start: no CPU copy was made.
            net.for_each_param(|name, t| assert!(t.device().is_cuda(), "{name} is not on the GPU"));
        }
    }
    if !tch::Cuda::is_available() {
        eprintln!("no CUDA device here: checked the error; the GPU path runs where one exists");
    }
}
