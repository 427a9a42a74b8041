//! Image decoding and transforms against PIL and torchvision.transforms.v2 on scikit-learn's two
//! sample photographs (tests/reference/vision.py): each transform runs on PIL's pixels on both
//! sides, so decoding and transforming are compared separately.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::python;
use typed_torch::data::{DataRng, SeedableRng};
use typed_torch::vision::{
    self, center_crop, imagenet_eval, resize, resized_crop, CenterCrop, CropBox, Grayscale,
    HorizontalFlip, Image, ImageTransform, Interpolation, RandomResizedCrop, Resize, ToFloat,
};
use typed_torch::{Dyn, Error, Tensor, D};

const PHOTOS: [&str; 2] = ["china", "flower"];

fn images_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/images")
}

/// torchvision's results, computed once per test binary.
fn reference() -> &'static HashMap<String, SendTensor> {
    static REFERENCE: OnceLock<HashMap<String, SendTensor>> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "vision-reference-{}.safetensors",
            std::process::id()
        ));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/vision.py");
        let status = std::process::Command::new(python())
            .arg(&script)
            .arg(images_dir())
            .arg(&out)
            .status()
            .unwrap_or_else(|e| panic!("could not run {}: {e}", python().display()));
        assert!(status.success(), "{} failed", script.display());
        tch::Tensor::read_safetensors(&out)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k, SendTensor(v)))
            .collect()
    })
}

/// A tensor read once and only ever shallow-cloned for reading.
struct SendTensor(tch::Tensor);
// SAFETY: the reference tensors are never written after loading; threads only read them through
// shallow clones, which libtorch's reference counting makes safe to share.
unsafe impl Send for SendTensor {}
unsafe impl Sync for SendTensor {}

fn torchvision(key: &str) -> tch::Tensor {
    reference()
        .get(key)
        .unwrap_or_else(|| panic!("{key}: not in tests/reference/vision.py's output"))
        .0
        .shallow_clone()
}

fn pil(photo: &str) -> Image<3> {
    Image::<3>::from_tch(torchvision(&format!("{photo}.pil"))).unwrap()
}

fn rng() -> DataRng {
    DataRng::seed_from_u64(0)
}

/// The largest absolute difference, after checking sizes and dtypes agree.
fn max_diff(ours: &tch::Tensor, theirs: &tch::Tensor, what: &str) -> f64 {
    assert_eq!(ours.size(), theirs.size(), "{what}: sizes differ");
    assert_eq!(ours.kind(), theirs.kind(), "{what}: dtypes differ");
    let d = ours.to_kind(tch::Kind::Double) - theirs.to_kind(tch::Kind::Double);
    d.abs().max().double_value(&[])
}

fn assert_same(ours: &tch::Tensor, photo: &str, case: &str) {
    let d = max_diff(ours, &torchvision(&format!("{photo}.{case}")), case);
    assert_eq!(
        d, 0.0,
        "{photo}: {case} differs from torchvision by up to {d}"
    );
}

fn assert_close(ours: &tch::Tensor, photo: &str, case: &str, tol: f64) {
    let d = max_diff(ours, &torchvision(&format!("{photo}.{case}")), case);
    assert!(
        d <= tol,
        "{photo}: {case} differs from torchvision by {d} > {tol}"
    );
}

/// The image crate's JPEG decoder against PIL's (libjpeg-turbo): both follow the standard, but
/// their inverse DCTs and chroma upsampling round differently, so pixels may differ by a few
/// levels (3 at most here, 0.05 on average, on both photos).
#[test]
fn decoding_matches_pil() {
    for photo in PHOTOS {
        let ours = vision::read_rgb(images_dir().join(format!("{photo}.jpg"))).unwrap();
        let theirs = pil(photo);
        assert_eq!(ours.size(), vec![3, 427, 640]);
        let diff = (ours.as_tch().to_kind(tch::Kind::Double)
            - theirs.as_tch().to_kind(tch::Kind::Double))
        .abs();
        let mean = diff.mean(tch::Kind::Double).double_value(&[]);
        let max = diff.max().double_value(&[]);
        println!(
            "{photo}: decoding differs from PIL by {mean:.3} levels on average, {max} at most"
        );
        assert!(mean < 0.2, "{photo}: mean difference {mean} levels");
        assert!(max <= 4.0, "{photo}: largest difference {max} levels");
    }
}

#[test]
fn resizing_matches_torchvision() {
    for photo in PHOTOS {
        let x = pil(photo);
        let short = Resize::<256>::new().apply(x.share(), &mut rng()).unwrap();
        assert_same(short.as_tch(), photo, "resize256");
        let modes = [
            ("bilinear", Interpolation::Bilinear { antialias: false }),
            ("bicubic_aa", Interpolation::Bicubic { antialias: true }),
            ("nearest", Interpolation::Nearest),
        ];
        for (name, mode) in modes {
            let y = resize(&x, 100, 150, mode).unwrap();
            assert_same(y.as_tch(), photo, &format!("resize_100x150_{name}"));
        }
        let up = resize(&x, 500, 700, Interpolation::DEFAULT).unwrap();
        assert_same(up.as_tch(), photo, "upscale_500x700");
        let float = (ToFloat::<f32>::new(), Resize::<64>::new())
            .apply(x, &mut rng())
            .unwrap();
        assert_close(float.as_tch(), photo, "float_resize64", 1e-6);
    }
}

#[test]
fn crops_flips_and_grey_match_torchvision() {
    for photo in PHOTOS {
        let x = pil(photo);
        let crop: Tensor<(D<3>, D<224>, D<224>), u8> = (Resize::<256>::new(), CenterCrop::new())
            .apply(x.share(), &mut rng())
            .unwrap();
        assert_same(crop.as_tch(), photo, "center_crop224");
        // Larger than the photo: padded with zeros first, the odd row and column at the end.
        let padded: Image<3, D<431>, D<645>> = center_crop(&x).unwrap();
        assert_same(padded.as_tch(), photo, "center_crop_pad");
        let box_ = CropBox {
            top: 50,
            left: 100,
            height: 200,
            width: 300,
        };
        let cut: Image<3, D<224>, D<224>> = resized_crop(&x, box_, Interpolation::DEFAULT).unwrap();
        assert_same(cut.as_tch(), photo, "resized_crop");
        let flipped = HorizontalFlip.apply(x.share(), &mut rng()).unwrap();
        assert_same(flipped.as_tch(), photo, "hflip");
        let grey = Grayscale.apply(x, &mut rng()).unwrap();
        assert_same(grey.as_tch(), photo, "gray");
    }
}

#[test]
fn imagenet_preset_matches_torchvision() {
    for photo in PHOTOS {
        let x: Tensor<(D<3>, D<224>, D<224>)> = imagenet_eval::<256, 224>()
            .apply(pil(photo), &mut rng())
            .unwrap();
        assert_close(x.as_tch(), photo, "imagenet_eval", 1e-5);
    }
}

/// torchvision's algorithm, drawn from our generator: every box lies inside the image, covers a
/// fraction of its area within `scale` and has an aspect ratio within `ratio` (up to the rounding
/// of its sides to pixels); a seed repeats the draws; impossible ranges fall back to the centre.
#[test]
fn random_resized_crop_draws_boxes_in_range() {
    let (h, w) = (427usize, 640usize);
    let crop = RandomResizedCrop::<64, 64>::new()
        .with_ranges((0.25, 0.5), (0.5, 2.0))
        .unwrap();
    let mut rng = rng();
    let boxes: Vec<CropBox> = (0..500).map(|_| crop.draw(h, w, &mut rng)).collect();
    for b in &boxes {
        assert!(
            b.top + b.height <= h && b.left + b.width <= w,
            "{b:?} outside"
        );
        let area = (b.height * b.width) as f64 / (h * w) as f64;
        assert!((0.24..=0.51).contains(&area), "{b:?}: area fraction {area}");
        let ratio = b.width as f64 / b.height as f64;
        assert!(
            (0.49..=2.02).contains(&ratio),
            "{b:?}: aspect ratio {ratio}"
        );
    }
    let tops: std::collections::HashSet<usize> = boxes.iter().map(|b| b.top).collect();
    assert!(
        tops.len() > 50,
        "positions are not spread: {} tops",
        tops.len()
    );
    let mut again = DataRng::seed_from_u64(0);
    assert_eq!(crop.draw(h, w, &mut again), boxes[0]);

    // No box of twice the image's area fits: torchvision's fallback, the centred box of the
    // image's aspect ratio clamped into `ratio`.
    let never = RandomResizedCrop::<64, 64>::new()
        .with_ranges((2.0, 3.0), (0.5, 1.0))
        .unwrap();
    let b = never.draw(h, w, &mut again);
    assert_eq!(
        b,
        CropBox {
            top: 0,
            left: 106,
            height: 427,
            width: 427
        }
    );
    let x = never.apply(pil("china"), &mut again).unwrap();
    assert_eq!(x.size(), vec![3, 64, 64]);
}

#[test]
fn bad_files_and_boxes_are_errors() {
    let missing = images_dir().join("no-such-photo.jpg");
    match vision::read_rgb(&missing) {
        Err(Error::Io { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected an I/O error naming the file, got {other:?}"),
    }
    let dir = std::env::temp_dir().join(format!("typed-torch-vision-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = dir.join("notes.jpg");
    std::fs::write(&text, "not a picture").unwrap();
    let err = vision::read_rgb(&text).unwrap_err().to_string();
    assert!(
        err.contains("notes.jpg") && err.contains("not a PNG or JPEG"),
        "{err}"
    );
    let jpeg = std::fs::read(images_dir().join("china.jpg")).unwrap();
    let cut = dir.join("cut.jpg");
    std::fs::write(&cut, &jpeg[..jpeg.len() / 50]).unwrap();
    let err = vision::read_rgb(&cut).unwrap_err().to_string();
    assert!(err.contains("cut.jpg") && err.contains("damaged"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();

    let x = Image::<3>::zeros_dyn(&[10, 20]).unwrap();
    let outside = CropBox {
        top: 5,
        left: 0,
        height: 6,
        width: 20,
    };
    let err = resized_crop::<4, 4, Dyn, Dyn, u8, typed_torch::Cpu, 3>(
        &x,
        outside,
        Interpolation::DEFAULT,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("6x20 pixels at row 5, column 0 is not inside the 10x20 image"),
        "{err}"
    );
    let empty = Image::<3>::zeros_dyn(&[0, 20]).unwrap();
    let err = Resize::<8>::new().apply(empty, &mut rng()).unwrap_err();
    assert!(err.to_string().contains("no pixels"), "{err}");
}

/// PNG round trip: `save_png` then `read_rgb`/`read_gray` give back the same pixels.
#[test]
fn png_round_trip() {
    let x = pil("flower");
    let path = std::env::temp_dir().join(format!("typed-torch-png-{}.png", std::process::id()));
    vision::save_png(&x, &path).unwrap();
    let back = vision::read_rgb(&path).unwrap();
    assert_eq!(max_diff(back.as_tch(), x.as_tch(), "png"), 0.0);
    let grey = Grayscale.apply(x, &mut rng()).unwrap();
    vision::save_png(&grey, &path).unwrap();
    let back = vision::read_gray(&path).unwrap();
    assert_eq!(max_diff(back.as_tch(), grey.as_tch(), "grey png"), 0.0);
    std::fs::remove_file(&path).unwrap();
}
