//! # Coming from PyTorch
//!
//! typed-torch runs PyTorch's own kernels (libtorch, through `tch`), keeps PyTorch's names for
//! parameters and arguments, and moves weights both ways through safetensors. What changes is
//! that shapes, dtypes and devices are in the types, so the compiler checks what PyTorch checks
//! at run time. This chapter is a cheat sheet, then the model zoo, then the converter that turns
//! a PyTorch module into typed Rust.
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
//!
//! ## The converter
//!
//! `scripts/torch2typed.py` turns a PyTorch `nn.Module` into typed-torch source and a weights
//! file. It traces the module with `torch.fx` (layers typed-torch has whole, like
//! `nn.TransformerEncoderLayer`, stay one call), runs the trace on an example input to learn the
//! size of every intermediate tensor (`torch.fx.passes.shape_prop.ShapeProp`), and writes
//! a model whose types hold all those sizes. Run it with the set-up's Python:
//!
//! ```text
//! .typed-torch/python scripts/torch2typed.py torchvision.models:resnet18 \
//!     --kwargs '{"num_classes": 10}' --input 1,3,224,224 --name ResNet18 --out src/
//! .typed-torch/python scripts/torch2typed.py path/to/model.py:Net --input 1,8,4,4 --name Net --out src/
//! ```
//!
//! `SPEC` is `package.module:Attr` or `file.py:Attr`, where `Attr` is a module, or a class or
//! function that returns one (called with `--kwargs`). `--input` is the example input's shape,
//! batch first; `--dtype float64` converts the module first (the weights are saved in the
//! module's dtype, and a strict load also checks dtypes), `--input-dtype int64` is for token
//! ids. It writes `src/resnet18.rs` and `src/resnet18.safetensors` (the module's `state_dict`);
//! from Python, `convert(module, example_input, name)` returns the source and the state_dict.
//!
//! The generated model:
//!
//! * every size is static (`D<64>`, `Conv2d<64, 128, 3, (Stride<2>, Padding<1>, NoBias)>`)
//!   except the batch, dim 0 of the input, which is a type parameter `B` (any [`Dim`](crate::Dim), `Dyn`
//!   included); the dtype and device are parameters `E = f32` and `Dev = Cpu`;
//! * an `nn.Sequential` of mapped layers with PyTorch's default settings is an `HList!` alias,
//!   like the zoo's `LeNet` (`models/src/lenet.rs`);
//! * anything else is a `#[derive(Module)]` struct with one field per layer, named after
//!   PyTorch's module (`layer1.0.conv1` is the field `layer1_0_conv1` with
//!   `#[module(rename = "layer1.0.conv1")]`, so its tensors are `layer1.0.conv1.weight`...),
//!   an `Init` that applies PyTorch's run-time settings where they differ from typed-torch's
//!   defaults (`eps`, `momentum`, dropout rates, `padding_idx`), and a `Module` impl whose
//!   `forward` follows the traced graph node by node, each `let` annotated with the shape
//!   PyTorch computed (so the compiler re-checks every one of them);
//! * the names are the `state_dict`'s, so the weights file loads strictly:
//!   `checkpoint::load(&mut net, path)?`.
//!
//! For this module, traced on `--input 1,8,4,4`:
//!
//! ```text
//! class Net(nn.Module):
//!     def __init__(self):
//!         super().__init__()
//!         self.conv = nn.Conv2d(8, 8, 3, padding=1, bias=False)
//!         self.bn = nn.BatchNorm2d(8, eps=1e-3)
//!         self.head = nn.Sequential(nn.Flatten(), nn.Linear(8 * 4 * 4, 10))
//!
//!     def forward(self, x):
//!         h = torch.relu(self.bn(self.conv(x)) + x)
//!         return self.head(h)
//! ```
//!
//! it writes (after a header comment):
//!
//! ```
//! use typed_torch::nn::{BatchNorm2d, Conv2d, Flatten, Init, Linear, Module};
//! use typed_torch::options::{NoBias, Padding};
//! use typed_torch::{Cpu, Device, Dim, Float, Result, Tensor, D};
//!
//! /// Takes `Tensor<(B, D<8>, D<4>, D<4>), E, Dev>` and gives `Tensor<(B, D<10>), E, Dev>`.
//! #[derive(Debug, Clone, typed_torch::nn::Module)]
//! #[module(manual_init)]
//! pub struct Net<E: Float = f32, Dev: Device = Cpu> {
//!     /// `conv`: `Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)`.
//!     pub conv: Conv2d<8, 8, 3, (Padding<1>, NoBias), E, Dev>,
//!     /// `bn`: `BatchNorm2d(8, eps=0.001, momentum=0.1, affine=True, bias=True, track_running_stats=True)`.
//!     pub bn: BatchNorm2d<8, (), E, Dev>,
//!     /// `head.0`: `Flatten(start_dim=1, end_dim=-1)`.
//!     #[module(rename = "head.0")]
//!     pub head_0: Flatten,
//!     /// `head.1`: `Linear(in_features=128, out_features=10, bias=True)`.
//!     #[module(rename = "head.1")]
//!     pub head_1: Linear<128, 10, (), E, Dev>,
//! }
//!
//! // Every layer as typed-torch makes it, then PyTorch's settings where they differ.
//! impl<E: Float, Dev: Device> Init for Net<E, Dev> {
//!     fn init() -> Result<Self> {
//!         let mut model = Net {
//!             conv: Init::init()?,
//!             bn: Init::init()?,
//!             head_0: Init::init()?,
//!             head_1: Init::init()?,
//!         };
//!         model.bn = model.bn.eps(0.001);
//!         Ok(model)
//!     }
//! }
//!
//! impl<B: Dim, E: Float, Dev: Device> Module<Tensor<(B, D<8>, D<4>, D<4>), E, Dev>> for Net<E, Dev> {
//!     type Output = Tensor<(B, D<10>), E, Dev>;
//!
//!     fn forward(&self, x: Tensor<(B, D<8>, D<4>, D<4>), E, Dev>) -> Self::Output {
//!         let conv: Tensor<(B, D<8>, D<4>, D<4>), E, Dev> = self.conv.forward(x.clone());
//!         let bn: Tensor<(B, D<8>, D<4>, D<4>), E, Dev> = self.bn.forward(conv);
//!         let add: Tensor<(B, D<8>, D<4>, D<4>), E, Dev> = &bn + &x;
//!         let relu: Tensor<(B, D<8>, D<4>, D<4>), E, Dev> = add.relu();
//!         let head_0: Tensor<(B, D<128>), E, Dev> = self.head_0.forward(relu);
//!         self.head_1.forward(head_0)
//!     }
//! }
//! # use typed_torch::nn::{Params, StaticParamCount};
//! # use typed_torch::Dyn;
//! # let mut net = Net::<f64>::init().unwrap();
//! # net.set_train(false);
//! # assert_eq!(net.param_names(), ["conv.weight", "bn.weight", "bn.bias", "head.1.weight", "head.1.bias"]);
//! # assert_eq!(<Net as StaticParamCount>::PARAM_COUNT, 8 * 8 * 9 + 2 * 8 + 128 * 10 + 10);
//! # let y: Tensor<(Dyn, D<10>), f64> = net.forward(Tensor::<(Dyn, D<8>, D<4>, D<4>), f64>::zeros_dyn(&[2]).unwrap());
//! ```
//!
//! and `nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), ...)` (the
//! zoo's LeNet) becomes
//!
//! ```
//! # use typed_torch::nn::{Conv2d, Flatten, Linear, MaxPool2d, ReLU};
//! # use typed_torch::options::Padding;
//! # use typed_torch::{Cpu, HList};
//! /// Takes `Tensor<(B, D<1>, D<28>, D<28>), E, Dev>` and gives `Tensor<(B, D<10>), E, Dev>`.
//! pub type LeNet<E = f32, Dev = Cpu> = HList![
//!     Conv2d<1, 6, 5, Padding<2>, E, Dev>,
//!     ReLU,
//!     MaxPool2d<2>,
//!     Conv2d<6, 16, 5, (), E, Dev>,
//!     ReLU,
//!     MaxPool2d<2>,
//!     Flatten,
//!     Linear<400, 120, (), E, Dev>,
//!     ReLU,
//!     Linear<120, 84, (), E, Dev>,
//!     ReLU,
//!     Linear<84, 10, (), E, Dev>,
//! ];
//! # use typed_torch::nn::{Init, Module};
//! # use typed_torch::{Dyn, Tensor, D};
//! # let y: Tensor<(Dyn, D<10>)> = LeNet::init().unwrap().forward(Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap());
//! ```
//!
//! What it maps:
//!
//! | PyTorch | typed-torch |
//! | --- | --- |
//! | `nn.Conv2d` (stride, padding including `"same"` with odd kernels, dilation, groups, bias) | `Conv2d<IN, OUT, K, (Stride<S>, Padding<P>, Dilation<D>, Groups<G>, NoBias)>` |
//! | `nn.BatchNorm1d`, `nn.BatchNorm2d` (`eps`, `momentum`, `affine`) | `BatchNorm1d<C>`, `BatchNorm2d<C>` |
//! | `nn.Linear`, `nn.LayerNorm` (last dim), `nn.Embedding` (`padding_idx`) | `Linear<I, O>`, `LayerNorm<F>`, `Embedding<V, F>` |
//! | `nn.MaxPool2d`, `nn.AvgPool2d` (floor mode, padding counted), `nn.AdaptiveAvgPool2d`, `nn.Flatten()` | `MaxPool2d<K, ..>`, `AvgPool2d<K, ..>`, `AdaptiveAvgPool2d<OH, OW>`, `Flatten` |
//! | `nn.ReLU`, `ReLU6`, `GELU`, `Sigmoid`, `Tanh`, `SiLU`, `LeakyReLU`, `ELU`, `Softmax(dim)`, `LogSoftmax(dim)`, `Identity`, `Dropout(p)` | the layers of the same names |
//! | `nn.TransformerEncoderLayer` (`batch_first`, `norm_first`, `"relu"`/`"gelu"`, `dropout`, `layer_norm_eps`), `nn.TransformerEncoder` (with or without a final `LayerNorm`) | `TransformerEncoderLayer<M, Heads<H>, FF, (BatchFirst, NormFirst, Activation<GELU>)>`, `TransformerEncoder<Layer, N, Norm>` |
//! | `a + b`, `a - b`, `a * b`, `torch.add`/`sub`/`mul` (tensors, or a tensor and a number) | `&a + &b`..., `a.add_scalar(c)`, `a.mul_scalar(c)` |
//! | `torch.relu`, `F.relu`, `F.relu6`, `F.gelu`, `torch.sigmoid`, `torch.tanh`, `F.silu` and the methods | `x.relu()`, `x.relu6()`, `x.gelu()`, `x.gelu_tanh()`, ... |
//! | `torch.flatten(x, s, e)`, `x.mean(dim, keepdim)`, `x.mean()`, `F.adaptive_avg_pool2d`, `x.contiguous()` | `x.flatten::<S, E>()`, `x.mean::<AX>()`, `x.mean_keepdim::<AX>()`, `x.mean_all()`, `x.adaptive_avg_pool2d::<OH, OW>()`, `x` |
//! | `torch.cat([a, b, c], dim)` | `a.cat::<AX>(&b).cat::<AX>(&c)` (torchvision's `densenet121` converts whole) |
//!
//! What it refuses, listing each case with the node's name, what it calls and the source line
//! (fx's stack trace), then exiting with status 1 without writing anything:
//!
//! * every other module, function and method (`nn.LSTM`, `torch.fft.rfft`, `x.view(...)`,
//!   `x.size(0)`, indexing, torchvision's `stochastic_depth`), and tensors read directly as
//!   attributes (`self.cls_token`);
//! * settings the typed layers do not have: kernels, strides or paddings that differ between
//!   the axes, `ceil_mode=True` (SqueezeNet's pooling), `padding_mode` other than zeros, `count_include_pad=False`,
//!   `track_running_stats=False`, `momentum=None`, Transformer layers without biases, with
//!   `kdim`/`vdim` or with differing dropout rates, GELU's tanh form as a module;
//! * forwards with more than one input or anything but one tensor as output, sizes that depend
//!   on the batch without being the batch (`torch.flatten(x)` from dim 0), control flow on
//!   tensor values (fx cannot trace it), in-place ops (`F.relu(h, inplace=True)`) on a value
//!   that is used again, and `state_dict` entries of modules `forward` never calls.
//!
//! ```text
//! torch2typed: cannot convert Net: 3 problems
//!   - lstm: module `lstm` (torch.nn.modules.rnn.LSTM)
//!       at tests/reference/convert.py:112 in forward: out, _ = self.lstm(self.proj(x))
//!       no typed-torch layer for torch.nn.modules.rnn.LSTM
//!   - getitem: function _operator.getitem
//!       at tests/reference/convert.py:112 in forward: out, _ = self.lstm(self.proj(x))
//!       no typed-torch equivalent
//!   ...
//! nothing was written
//! ```
//!
//! `tests/own_crate/converter.rs` converts LeNet (through the command line), a Transformer
//! encoder classifier, torchvision's `resnet18` and `mobilenet_v2` and two small models covering
//! the rest of the table, builds them in a crate of their own, loads each weights file strictly
//! and compares with PyTorch in f64: the CNNs are bitwise equal, the Transformer within 5e-16.
//! The generated ResNet-18 and the zoo's `vision::resnet::ResNet18` load
//! the same file and give the same logits.
