//! Attribution maps painted over their images.
use crate::device::{Cpu, Device};
use crate::dims::Dim;
use crate::element::Float;
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use crate::vision::Image;
use plotters::style::colors::colormaps::{ColorMap, ViridisRGB};

/// `image` seen through the map `heat` in the viridis colours (dark blue for nothing, yellow for
/// the most), as Captum's "blended heat map": `heat` (any size; it is resized bilinearly to the
/// image's) is clipped below at 0 and scaled so that its 99th percentile of positive values is 1
/// (a few extreme pixels do not wash out the rest), and every pixel is
/// `(1 - opacity) * image + opacity * colour(heat)`.
///
/// For signed attributions, pass what should show: `.abs()` for any evidence, `.relu()` for the
/// evidence for the class. A grey image (`C = 1`) is drawn as RGB.
///
/// ```
/// use typed_torch::interpret::heatmap_overlay;
/// use typed_torch::vision::Image;
/// use typed_torch::{Tensor, D};
/// let image = Image::<1>::zeros_dyn(&[28, 28]).unwrap();
/// let heat = Tensor::<(D<7>, D<7>)>::rand();
/// let picture = heatmap_overlay(&image, &heat, 0.7).unwrap();
/// assert_eq!(picture.size(), vec![3, 28, 28]);
/// ```
pub fn heatmap_overlay<const C: usize, H, W, HH, HW, E, Dev>(
    image: &Image<C, H, W, u8, Cpu>,
    heat: &Tensor<(HH, HW), E, Dev>,
    opacity: f64,
) -> Result<Image<3, H, W, u8, Cpu>>
where
    H: Dim,
    W: Dim,
    HH: Dim,
    HW: Dim,
    E: Float,
    Dev: Device,
{
    if C != 1 && C != 3 {
        return Err(Error::Invalid(format!(
            "heatmap_overlay: images have 1 (grey) or 3 (RGB) channels, this one has {C}"
        )));
    }
    if !(0.0..=1.0).contains(&opacity) {
        return Err(Error::Invalid(format!(
            "heatmap_overlay: opacity {opacity} is not in [0, 1]"
        )));
    }
    let size = image.size();
    let (h, w) = (size[1], size[2]);
    let heat = heat
        .as_tch()
        .f_detach()?
        .f_to_device(tch::Device::Cpu)?
        .f_to_kind(tch::Kind::Double)?
        .f_view([1, 1, heat.size()[0] as i64, heat.size()[1] as i64])?
        .f_upsample_bilinear2d([h as i64, w as i64], false, None, None)?
        .f_clamp_min(0.0)?
        .f_view([-1])?;
    let mut values = Vec::<f64>::try_from(&heat)?;
    let scale = percentile_of_positive(&values, 0.99);
    for v in &mut values {
        *v = if scale > 0.0 {
            (*v / scale).min(1.0)
        } else {
            0.0
        };
    }
    let rgb = image
        .as_tch()
        .f_expand([3, h as i64, w as i64], false)?
        .f_contiguous()?;
    let pixels = Vec::<u8>::try_from(&rgb.f_view([-1])?)?;
    let mut out = vec![0u8; 3 * h * w];
    for (i, v) in values.iter().enumerate() {
        let colour = ViridisRGB.get_color(*v as f32);
        for (c, paint) in [colour.0, colour.1, colour.2].into_iter().enumerate() {
            let base = pixels[c * h * w + i] as f64;
            out[c * h * w + i] = (base * (1.0 - opacity) + paint as f64 * opacity).round() as u8;
        }
    }
    let x = tch::Tensor::from_slice(&out).f_view([3, h as i64, w as i64])?;
    Ok(Tensor::wrap(x))
}

/// The `q` quantile of the positive values, 0 when there are none.
fn percentile_of_positive(values: &[f64], q: f64) -> f64 {
    let mut positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    if positive.is_empty() {
        return 0.0;
    }
    positive.sort_by(f64::total_cmp);
    positive[((positive.len() - 1) as f64 * q).round() as usize]
}
