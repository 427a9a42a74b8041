//! Layers against `torch.nn`: the same weights, loaded by their `state_dict` names, give the same
//! outputs.

use crate::common::{assert_close, input, load_state, lock_generator, share_generator};
use typed_torch::nn::{Linear, Module, Params, ReLU};
use typed_torch::prelude::*;
use typed_torch::{hlist, Dyn, Tensor, D};

#[test]
fn linear_stack_matches_torch_sequential() {
    let _generator = share_generator();
    let mut mlp = hlist![
        Linear::<4, 3, (), f64>::init().unwrap(),
        ReLU,
        Linear::<3, 2, NoBias, f64, typed_torch::Cpu>::init().unwrap()
    ];
    assert_eq!(mlp.param_names(), ["0.weight", "0.bias", "2.weight"]);
    assert_eq!(mlp.param_count(), 4 * 3 + 3 + 3 * 2);
    load_state(&mut mlp, "layers.mlp.param");

    let y: Tensor<(Dyn, D<2>), f64> = mlp.forward(input::<(Dyn, D<4>), f64>("layers.mlp", 0));
    assert_close("layers.mlp", &y, 1e-12);

    let x3 = input::<(Dyn, Dyn, D<4>), f64>("layers.mlp3d", 0);
    let y3: Tensor<(Dyn, Dyn, D<2>), f64> = mlp.forward(x3);
    assert_close("layers.mlp3d", &y3, 1e-12);
}

#[test]
fn linear_init_follows_pytorch_bounds_and_seed() {
    // Two models from one seed: no other test may draw in between.
    let _generator = lock_generator();
    tch::manual_seed(7);
    let a = Linear::<100, 50>::init().unwrap();
    tch::manual_seed(7);
    let b = Linear::<100, 50>::init().unwrap();
    assert_eq!(
        a.weight.to_vec(),
        b.weight.to_vec(),
        "same seed, same weights"
    );
    let w = a.weight.to_vec();
    let bound = 1.0 / 100f32.sqrt();
    assert!(w.iter().all(|v| v.abs() <= bound));
    // Uniform on [-b, b] has standard deviation b / sqrt(3).
    let mean = w.iter().sum::<f32>() / w.len() as f32;
    let std = (w.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / w.len() as f32).sqrt();
    assert!((std - bound / 3f32.sqrt()).abs() < 0.005, "std {std}");
    assert!(a.bias.to_vec().iter().all(|v| v.abs() <= bound));
}

#[test]
fn zero_grad_clears_every_parameter() {
    let _generator = share_generator();
    let mut mlp = hlist![
        Linear::<3, 2>::init().unwrap(),
        ReLU,
        Linear::<2, 1>::init().unwrap()
    ];
    mlp.for_each_param_mut(|_, t| {
        let _ = t.set_requires_grad(true);
    });
    let x = Tensor::<(D<4>, D<3>)>::randn();
    mlp.forward(x).sum_all().backward();
    let mut nonzero = 0;
    mlp.for_each_param(|_, t| {
        nonzero += (t.grad().abs().sum(tch::Kind::Float).double_value(&[]) > 0.0) as usize
    });
    assert!(nonzero >= 2, "backward reached the parameters");
    mlp.zero_grads_in_place();
    mlp.for_each_param(|name, t| {
        assert_eq!(
            t.grad().abs().sum(tch::Kind::Float).double_value(&[]),
            0.0,
            "{name}"
        )
    });
}

#[test]
fn gradient_checker_passes_linear_and_catches_a_wrong_gradient() {
    let _generator = share_generator();
    use typed_torch::check_gradients;
    tch::manual_seed(3);
    let mut layer = Linear::<3, 2, (), f64>::init().unwrap();
    let x = Tensor::<(D<4>, D<3>), f64>::randn();
    let report = check_gradients(&mut layer, &x, 1e-6, |m, x| {
        m.forward(x.clone()).tanh().square().sum_all()
    });
    assert!(report.max_error < 1e-7, "{report:?}");
    assert_eq!(report.checked, 4 * 3 + 2 * 3 + 2);

    // Cutting the graph through the weight makes autograd's weight gradient wrong.
    let report = check_gradients(&mut layer, &x, 1e-6, |m, x| {
        let w = m.weight.detach();
        x.matmul(&w.t()).square().sum_all()
    });
    assert!(
        report.max_error > 0.1,
        "a wrong gradient passed: {report:?}"
    );
    assert!(report.worst.starts_with("weight"), "{report:?}");
}

/// A struct model with the attributes of the PyTorch module `StructMlp` in the reference script.
#[derive(Module, Clone)]
struct StructMlp {
    fc1: Linear<4, 3, (), f64>,
    blocks: typed_torch::HList![Linear<3, 3, (), f64>, typed_torch::nn::Tanh],
    fc2: Linear<3, 2, (), f64>,
    #[module(skip)]
    _label: &'static str,
}

impl Module<Tensor<(Dyn, D<4>), f64>> for StructMlp {
    type Output = Tensor<(Dyn, D<2>), f64>;
    fn forward(&self, x: Tensor<(Dyn, D<4>), f64>) -> Self::Output {
        self.fc2
            .forward(self.blocks.forward(self.fc1.forward(x).relu()))
    }
}

#[test]
fn derived_struct_model_matches_torch_module_by_attribute_names() {
    let _generator = share_generator();
    let mut model = StructMlp {
        fc1: Linear::init().unwrap(),
        blocks: hlist![Linear::init().unwrap(), typed_torch::nn::Tanh],
        fc2: Linear::init().unwrap(),
        _label: "mlp",
    };
    assert_eq!(
        model.param_names(),
        [
            "fc1.weight",
            "fc1.bias",
            "blocks.0.weight",
            "blocks.0.bias",
            "fc2.weight",
            "fc2.bias"
        ]
    );
    load_state(&mut model, "layers.struct_mlp.param");
    let y = model.forward(input::<(Dyn, D<4>), f64>("layers.struct_mlp", 0));
    assert_close("layers.struct_mlp", &y, 1e-12);
}

/// A struct model generic over its dtype and device, converted as a whole.
#[derive(Module)]
struct Net<E: typed_torch::Float, Dev: typed_torch::Device> {
    fc: Linear<3, 2, (), E, Dev>,
    stack: typed_torch::HList![Linear<2, 2, (), E, Dev>, ReLU],
    #[module(skip)]
    steps: usize,
}

#[test]
fn derived_conversions_change_the_model_type() {
    let _generator = share_generator();
    use typed_torch::nn::{ToDevice, ToKind};
    use typed_torch::{Cpu, Cuda};
    let net: Net<f32, Cpu> = Net {
        fc: Linear::init().unwrap(),
        stack: hlist![Linear::init().unwrap(), ReLU],
        steps: 7,
    };
    let wide: Net<f64, Cpu> = net.to_kind::<f64>();
    assert_eq!(wide.steps, 7);
    assert_eq!(wide.fc.weight.as_tch().kind(), tch::Kind::Double);
    let back: Net<f64, Cpu> = wide.to_device::<Cpu>().unwrap();
    assert_eq!(back.param_names(), net.param_names());
    assert_eq!(
        back.fc.weight.to_vec(),
        net.fc
            .weight
            .to_vec()
            .iter()
            .map(|&v| v as f64)
            .collect::<Vec<_>>()
    );
    match net.to_device::<Cuda<0>>() {
        Ok(on_gpu) => assert_eq!(on_gpu.fc.weight.as_tch().device(), tch::Device::Cuda(0)),
        Err(e) => {
            eprintln!("no GPU here, CUDA move skipped: {e}");
            assert!(!tch::Cuda::is_available());
        }
    }
}

#[test]
fn summary_lists_layers_shapes_and_counts_from_the_types() {
    let _generator = share_generator();
    use typed_torch::nn::Summary;
    let mlp = hlist![
        Linear::<784, 300>::init().unwrap(),
        ReLU,
        Linear::<300, 100>::init().unwrap(),
        ReLU,
        Linear::<100, 10>::init().unwrap()
    ];
    let s = Summary::<Tensor<(Dyn, D<784>)>>::summary(&mlp);
    println!("{s}");
    let outputs: Vec<&str> = s.rows.iter().map(|r| r.output.as_str()).collect();
    assert_eq!(
        outputs,
        [
            "(Dyn, D<300>) f32",
            "(Dyn, D<300>) f32",
            "(Dyn, D<100>) f32",
            "(Dyn, D<100>) f32",
            "(Dyn, D<10>) f32"
        ]
    );
    assert_eq!(s.rows[0].layer, "Linear<784, 300>");
    assert_eq!(s.rows[1].params, 0);
    assert_eq!(
        s.total_params(),
        784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10
    );
    assert!(s.to_string().contains("total 266610"), "{s}");
}
