//! # Images and what a model sees in them
//!
//! Photographs in, a typed model's classes out, and pictures of the evidence: decoding,
//! torchvision's transforms with sizes in the type, attributions after Captum, and pictures of
//! a model and its mistakes.
//!
//! ## Reading and transforming images
//!
//! [`vision::read_rgb`](crate::vision::read_rgb) decodes a PNG or JPEG file into a
//! `(D<3>, Dyn, Dyn)` `u8` tensor ([`Image<3>`](crate::vision::Image)), channels first as
//! torchvision has them; `read_gray` gives `(D<1>, Dyn, Dyn)`. The transforms are
//! torchvision.transforms.v2's, and their output types carry what they fix:
//!
//! | torchvision.transforms.v2 | typed-torch `vision` | output |
//! | --- | --- | --- |
//! | `Resize(256)` | `Resize::<256>::new()` | `(D<C>, Dyn, Dyn)` |
//! | `Resize((H, W))` | `ResizeTo::<H, W>::new()` | `(D<C>, D<H>, D<W>)` |
//! | `CenterCrop((H, W))` | `CenterCrop::<H, W>::new()` | `(D<C>, D<H>, D<W>)` |
//! | `RandomResizedCrop((H, W))` | `RandomResizedCrop::<H, W>::new()` | `(D<C>, D<H>, D<W>)` |
//! | `RandomHorizontalFlip(p)` | `RandomHorizontalFlip::new(p)?` | unchanged |
//! | `Grayscale()` | `Grayscale` | `(D<1>, H, W)` |
//! | `ToDtype(torch.float32, scale=True)` | `ToFloat::<f32>::new()` | `f32` in `[0, 1]` |
//! | `Normalize(mean, std)` | `Normalize::new(mean, std)?` | unchanged |
//!
//! A tuple of transforms is a pipeline, applied left to right; the random ones draw from the
//! [`DataRng`](crate::data::DataRng) passed in, so a seed repeats them. The deterministic ones
//! give torchvision's pixels exactly (they call the same libtorch kernels; tested on
//! scikit-learn's two sample photographs), and the decoder agrees with PIL's within 3 levels.
//!
//! ```
//! use typed_torch::data::{DataRng, SeedableRng};
//! use typed_torch::vision::{
//!     imagenet_normalize, CenterCrop, Image, ImageTransform, RandomHorizontalFlip,
//!     RandomResizedCrop, Resize, ToFloat,
//! };
//! use typed_torch::{Tensor, D};
//!
//! let photo = Image::<3>::zeros_dyn(&[427, 640])?; // what read_rgb("photo.jpg") returns
//! let mut rng = DataRng::seed_from_u64(0);
//!
//! // Training: a random crop of 8% to 100% of the area, resized to 224 x 224, maybe mirrored.
//! let augment = (
//!     RandomResizedCrop::<224, 224>::new(),
//!     RandomHorizontalFlip::new(0.5)?,
//!     ToFloat::<f32>::new(),
//!     imagenet_normalize(),
//! );
//! let x: Tensor<(D<3>, D<224>, D<224>)> = augment.apply(photo.share(), &mut rng)?;
//!
//! // Evaluation: torchvision's preset, the same type at the end.
//! let eval = (Resize::<256>::new(), CenterCrop::<224, 224>::new(), ToFloat::<f32>::new(), imagenet_normalize());
//! let y: Tensor<(D<3>, D<224>, D<224>)> = eval.apply(photo, &mut rng)?;
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! A pipeline whose output does not fit the model is a compile error at the `forward`, and a
//! crop box outside the image, a file that is not an image or a damaged one are `Err`s naming
//! the box or the file.
//!
//! The `classify_image` example runs the zoo's ResNet-18 with torchvision's pretrained weights
//! (brought over as the [`from_pytorch`](super::from_pytorch) chapter says) on a photograph:
//!
//! ```text
//! cargo run --release --example classify_image -- --weights resnet18.safetensors --image photo.jpg
//! ```
//!
//! ## Attributions
//!
//! [`interpret`](crate::interpret) explains the score of one class per sample, for any function
//! from a batch to `(B, D<K>)` scores, usually `|x| model.forward(x)` in evaluation mode:
//!
//! | Captum | typed-torch `interpret` |
//! | --- | --- |
//! | `Saliency(model).attribute(x, target)` | `saliency(classify, &x, &targets)?` |
//! | `IntegratedGradients(model).attribute(x, baselines, target)` | `IntegratedGradients::default().attribute(classify, &x, &baseline, &targets)?` |
//! | `LayerGradCam(model, layer).attribute(x, target)` | `grad_cam(features, head, &x, &targets)?` |
//!
//! Grad-CAM needs the model split at the stage it looks at: `features` runs up to the stage's
//! `(B, C, H, W)` activations and `head` from there to the scores. The zoo's ResNets have both
//! halves as methods. The values equal Captum's in f64 (tested on the LeNet and ResNet-18);
//! integrated gradients' [`delta`](crate::interpret::Attribution::delta) says how far their sum
//! is from the change of score.
//!
//! ```
//! use typed_torch::interpret::{grad_cam, heatmap_overlay, saliency, IntegratedGradients};
//! use typed_torch::nn::{Init, Module, Params};
//! use typed_torch::vision::Image;
//! use typed_torch::{Dyn, Tensor, D};
//! use typed_torch_models::vision::resnet::ResNet18;
//!
//! let mut net = ResNet18::<10>::init()?;
//! net.set_train(false);
//! let x = Tensor::<(D<1>, D<3>, Dyn, Dyn)>::rand_dyn(&[64, 64])?;
//! let classify = |x| net.forward(x);
//!
//! let map = saliency(classify, &x, &[7])?; // (1, 3, 64, 64)
//! let ig = IntegratedGradients { steps: 8, ..Default::default() }
//!     .attribute(classify, &x, &Tensor::zeros_dyn(&[64, 64])?, &[7])?;
//! let cam = grad_cam(|x| net.features(x), |h| net.head(h), &x, &[7])?; // (1, 1, 2, 2)
//!
//! // A picture: the positive evidence over the image, resized to it.
//! let image = Image::<3>::zeros_dyn(&[64, 64])?;
//! let heat = Tensor::<(Dyn, Dyn)>::from_tch(cam.relu().as_tch().get(0).get(0))?;
//! let picture = heatmap_overlay(&image, &heat, 0.5)?; // save with vision::save_png
//! assert_eq!(picture.size(), vec![3, 64, 64]);
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! The `explain_mnist` example trains the LeNet (or loads `mnist_cnn`'s checkpoint with
//! `--checkpoint`) and draws all three for the first test digit of each class; its test checks
//! that the explanations are faithful: blacking out the 20 pixels integrated gradients ranks
//! highest lowers the score three times as much as blacking out 20 random pixels of the digit.
//!
//! ## Pictures of a model and its mistakes
//!
//! [`ModelSummary::save_svg`](crate::nn::ModelSummary::save_svg) draws a model from its types:
//! a box per layer with its output shape and parameters. Every classification example writes a
//! confusion matrix PNG and prints per-class precision and recall
//! ([`ConfusionMatrix`](crate::train::ConfusionMatrix); the
//! [`ClassifierTrainer`](crate::train::ClassifierTrainer) does it by itself).
//!
//! ```
//! use typed_torch::nn::{Init, Summary};
//! use typed_torch::{Tensor, D};
//! use typed_torch_models::lenet::LeNet;
//!
//! let net = LeNet::init()?;
//! let summary = Summary::<Tensor<(D<1>, D<1>, D<28>, D<28>)>>::summary(&net);
//! let path = std::env::temp_dir().join("typed-torch-guide-lenet.svg");
//! summary.save_svg(&path)?;
//! assert!(std::fs::read_to_string(&path).unwrap().contains("total: 61706 parameters"));
//! # Ok::<(), typed_torch::Error>(())
//! ```
