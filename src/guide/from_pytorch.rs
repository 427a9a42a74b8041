//! # Coming from PyTorch
//!
//! typed-torch runs PyTorch's own kernels (libtorch, through `tch`), keeps PyTorch's names for
//! parameters and arguments, and moves weights both ways through safetensors. What changes is
//! that shapes, dtypes and devices are in the types, so the compiler checks what PyTorch checks
//! at run time. This chapter is a cheat sheet, then the model zoo.
//!
//! ## Tensors
//!
//! | PyTorch | typed-torch |
//! | --- | --- |
//! | `torch.zeros(3, 4)` | `Tensor::<(D<3>, D<4>)>::zeros()` |
//! | `torch.zeros(n, 4)` (`n` known at run time) | `Tensor::<(Dyn, D<4>)>::zeros_dyn(&[n])?` |
//! | `torch.randn(3, 4, dtype=torch.float64)` | `Tensor::<(D<3>, D<4>), f64>::randn()` |
//! | `torch.tensor([[1., 2.], [3., 4.]])` | `Tensor::from_array([[1.0, 2.0], [3.0, 4.0]])` |
//! | `x.sum(1)`, `x.mean(0)`, `x.argmax(1)` | `x.sum::<1>()`, `x.mean::<0>()`, `x.argmax::<1>()` |
//! | `x.sum()`, `x.item()` | `x.sum_all()`, `x.item()` (rank 0 only) |
//! | `x.view(6, 2)`, `x.reshape(-1)` | `x.reshape::<(D<6>, D<2>)>()` (the element count is checked at compile time), `x.try_reshape::<(Dyn,)>()?` |
//! | `x.transpose(0, 1)`, `x.permute(2, 0, 1)` | `x.transpose::<0, 1>()`, `x.permute::<Axes3<2, 0, 1>>()` |
//! | `x.unsqueeze(1)`, `x.flatten(1)` | `x.unsqueeze::<1>()`, `x.flatten::<1, 3>()` |
//! | `torch.cat([a, b], 1)` | `a.cat::<1>(&b)` (trait `Cat`; static sizes add at compile time) |
//! | `a @ b`, `a + b` (broadcasting) | `a.matmul(&b)`, `&a + &b` (shapes broadcast at compile time) |
//! | `x.double()`, `x.cuda()` | `x.to_kind::<f64>()`, `x.to_device::<Cuda<0>>()?` |
//! | `x.requires_grad_()`, `loss.backward()`, `x.grad` | `x.requires_grad()`, `loss.backward()` (rank 0 only), `x.grad()` |
//! | `with torch.no_grad():` | `no_grad(\|\| ...)` |
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! let x = Tensor::<(D<2>, D<3>, D<4>), f64>::randn();
//! let y: Tensor<(D<4>, D<2>, D<3>), f64> = x.permute::<Axes3<2, 0, 1>>();
//! let flat: Tensor<(D<4>, D<6>), f64> = y.flatten::<1, 2>();
//! let w = Tensor::<(D<6>, D<5>), f64>::randn().requires_grad();
//! let loss = flat.matmul(&w).square().mean_all();
//! loss.backward();
//! let g: Tensor<(D<6>, D<5>), f64> = w.grad().unwrap();
//! ```
//!
//! ## Modules
//!
//! | PyTorch | typed-torch |
//! | --- | --- |
//! | `nn.Linear(784, 10)` | `Linear<784, 10>` |
//! | `nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)` | `Conv2d<3, 64, 7, (Stride<2>, Padding<3>, NoBias)>` |
//! | `nn.Sequential(a, b, c)` | `HList![A, B, C]` (parameters named `0.weight`, `1.weight`...) |
//! | `class Net(nn.Module)` with `forward` | a struct with `#[derive(Module)]` and `impl Module<Input>`, or `#[module(sequential)]` |
//! | `model(x)` | `model.forward(x)` |
//! | `model.train()`, `model.eval()` | `model.set_train(true)`, `model.set_train(false)` |
//! | `model.state_dict()` names | the same names (`for_each_param`, `param_table`) |
//! | `model.double()`, `model.cuda()` | `model.to_kind::<f64>()`, `model.to_device::<Cuda<0>>()?` |
//!
//! A mistake in a stack is a compile error that names the layer and the sizes:
//!
//! ```compile_fail
//! use typed_torch::prelude::*;
//! type Net = HList![Flatten, Linear<784, 100>, ReLU, Linear<200, 10>];
//! let net = Net::init().unwrap();
//! let _ = net.forward(Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap());
//! ```
//!
//! ## Training
//!
//! | PyTorch | typed-torch |
//! | --- | --- |
//! | `torch.optim.Adam(model.parameters(), lr=1e-3)` | `Adam::new(&mut model, AdamConfig { lr: 1e-3, ..Default::default() })?` |
//! | `opt.zero_grad(); loss.backward(); opt.step()` | `opt.zero_grad(); loss.backward(); opt.step(&mut model)?` |
//! | `CosineAnnealingLR(opt, T_max)` | `LrScheduler::new(&mut opt, CosineAnnealingLR::new(t_max))?`, `scheduler.step(&mut opt)?` |
//! | `F.cross_entropy(logits, labels)` | `cross_entropy(&logits, &labels, Mean)` |
//! | `DataLoader(dataset, batch_size=32, shuffle=True)` | `DataLoader::new(dataset, 32)?.shuffle(true)` |
//! | a hand-written epoch loop | [`ClassifierTrainer`](crate::train::ClassifierTrainer) (progress bars, curves, checkpoints, confusion matrix) |
//!
//! ```
//! use typed_torch::optim::{Adam, AdamConfig, Optimizer};
//! use typed_torch::prelude::*;
//!
//! type Net = HList![Linear<4, 16>, ReLU, Linear<16, 3>];
//! let mut net = Net::init().unwrap();
//! let mut opt = Adam::new(&mut net, AdamConfig::default()).unwrap();
//! let x = Tensor::<(D<8>, D<4>)>::randn();
//! let labels = Tensor::<(D<8>,), i64>::zeros();
//! for _ in 0..3 {
//!     let loss = cross_entropy(&net.forward(x.clone()), &labels, Mean);
//!     opt.zero_grad();
//!     loss.backward();
//!     opt.step(&mut net).unwrap();
//! }
//! ```
//!
//! ## Checkpoints
//!
//! A checkpoint is a safetensors file of the model's `state_dict`, under PyTorch's names, so it
//! goes both ways: `checkpoint::save(&model, path)?` writes one (atomically) that PyTorch reads
//! with `model.load_state_dict(safetensors.torch.load_file(path))`, and
//! `checkpoint::load(&mut model, path)?` reads what `safetensors.torch.save_file(model.state_dict(),
//! path)` wrote, strictly by default: every name, shape and dtype must fit, and a mismatch is an
//! error naming the tensor.
//!
//! ## The model zoo
//!
//! The `typed-torch-models` crate (`models/`) holds torchvision's classifiers, written with these
//! conventions, with torchvision's parameter names and initialisation. A test loads torchvision's
//! own models (random weights) into each, strictly, and compares logits and input gradients in
//! f64 in evaluation and training mode.
//!
//! | torchvision | typed-torch-models | parameters |
//! | --- | --- | ---: |
//! | `resnet18(num_classes=C)` | `vision::resnet::ResNet18<C>` | 11.7 M |
//! | `resnet34` | `vision::resnet::ResNet34<C>` | 21.8 M |
//! | `resnet50` | `vision::resnet::ResNet50<C>` | 25.6 M |
//! | `vgg11_bn` | `vision::vgg::Vgg11Bn<C>` | 132.9 M |
//! | `mobilenet_v2` | `vision::mobilenet::MobileNetV2<C>` | 3.5 M |
//! | (none: 28x28 digits) | `vision::resnet::SmallResNet<C>` | 0.17 M |
//!
//! The ImageNet models take `(B, D<3>, Dyn, Dyn)` images of any size; the channels of every
//! block are in its type (`BasicBlock<64, 128, 2, Downsample<64, 128, 2>>`).
//!
//! ```
//! use typed_torch::nn::{Init, Module, Params};
//! use typed_torch::{Dyn, Tensor, D};
//! use typed_torch_models::vision::resnet::ResNet18;
//!
//! let mut net = ResNet18::<10>::init().unwrap();
//! net.set_train(false);
//! let images = Tensor::<(Dyn, D<3>, Dyn, Dyn)>::zeros_dyn(&[1, 64, 64]).unwrap();
//! let logits: Tensor<(Dyn, D<10>)> = net.forward(images);
//! assert_eq!(net.param_count(), 11_181_642);
//! ```
//!
//! Pretrained weights are not downloaded by typed-torch. To bring torchvision's over, save them
//! once in Python, then load the file strictly:
//!
//! ```text
//! python -c "import torchvision, safetensors.torch as st; st.save_file(torchvision.models.resnet18(weights='DEFAULT').state_dict(), 'resnet18.safetensors')"
//! ```
//!
//! ```no_run
//! use typed_torch::checkpoint;
//! use typed_torch::nn::Init;
//! use typed_torch_models::vision::resnet::ResNet18;
//!
//! let mut net = ResNet18::<1000>::init()?;
//! checkpoint::load(&mut net, std::path::Path::new("resnet18.safetensors"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
