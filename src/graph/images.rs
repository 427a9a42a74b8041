//! Graphs from images, as the MNISTSuperpixels benchmark makes them: a node per inked patch with
//! its position and brightness, edges to its nearest neighbours in the plane.
use super::data::Graph;
use super::edges::Edges;
use crate::device::Cpu;
use crate::dims::{Dyn, D};
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// How [`image_graphs`] turns a grayscale image into a graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageGraphConfig {
    /// The side of the square patches the image is cut into (each patch is a candidate node).
    pub patch: usize,
    /// A patch is a node when its mean brightness (in `[0, 1]`) exceeds this.
    pub threshold: f64,
    /// Each node receives an edge from each of its `k` nearest nodes (fewer in a smaller graph).
    pub k: usize,
}

impl Default for ImageGraphConfig {
    /// 2x2 patches, brightness above 0.1, 8 neighbours: about 50 to 100 nodes for an MNIST digit.
    fn default() -> Self {
        ImageGraphConfig {
            patch: 2,
            threshold: 0.1,
            k: 8,
        }
    }
}

/// One graph per image of `images` (`(N, 1, H, W)`, bytes): a node for each `patch x patch` patch
/// brighter than `threshold`, with 3 features (its centre's column and row scaled to `[0, 1]`,
/// its mean brightness), and an edge into each node from its `k` nearest nodes (Euclidean, ties
/// to the lower index), PyTorch Geometric's `knn_graph` flow. Each graph carries its image's
/// label. An image with no bright patch keeps its brightest patch, so no graph is empty.
///
/// ```
/// use typed_torch::graph::{image_graphs, ImageGraphConfig};
/// use typed_torch::{Dyn, Tensor, D};
/// let mut pixels = vec![0u8; 2 * 16];
/// pixels[0] = 255; // image 0: one bright corner
/// pixels[16..].fill(200); // image 1: all bright
/// let images = Tensor::<(Dyn, D<1>, D<4>, D<4>), u8>::from_slice_dyn(&pixels, &[2]).unwrap();
/// let labels = Tensor::<(Dyn,), i64>::from_slice_dyn(&[3, 7], &[2]).unwrap();
/// let config = ImageGraphConfig { patch: 2, threshold: 0.1, k: 2 };
/// let graphs = image_graphs(&images, &labels, config).unwrap();
/// assert_eq!((graphs[0].num_nodes(), graphs[0].num_edges()), (1, 0));
/// assert_eq!((graphs[1].num_nodes(), graphs[1].num_edges()), (4, 8));
/// assert_eq!(graphs[1].labels().unwrap().to_vec(), [7]);
/// ```
pub fn image_graphs<const H: usize, const W: usize>(
    images: &Tensor<(Dyn, D<1>, D<H>, D<W>), u8, Cpu>,
    labels: &Tensor<(Dyn,), i64, Cpu>,
    config: ImageGraphConfig,
) -> Result<Vec<Graph<3, f32, Cpu>>> {
    let count = images.size()[0];
    if labels.size()[0] != count {
        return Err(Error::Invalid(format!(
            "image graphs: {} labels for {count} images",
            labels.size()[0]
        )));
    }
    let p = config.patch;
    if p == 0 || !H.is_multiple_of(p) || !W.is_multiple_of(p) {
        return Err(Error::Invalid(format!(
            "image graphs: patches of {p} do not tile {H}x{W} images"
        )));
    }
    let (rows, cols) = (H / p, W / p);
    // (N, rows * cols) mean brightness per patch, in [0, 1].
    let patches = (images.as_tch().to_kind(tch::Kind::Float) / 255.0)
        .avg_pool2d(
            [p as i64, p as i64],
            [p as i64, p as i64],
            [0, 0],
            false,
            true,
            None::<i64>,
        )
        .view([count as i64, (rows * cols) as i64]);
    let cell = tch::Tensor::arange((rows * cols) as i64, (tch::Kind::Int64, tch::Device::Cpu));
    let column = (cell.remainder(cols as i64).to_kind(tch::Kind::Float) + 0.5) / cols as f64;
    let row = (cell
        .divide_scalar_mode(cols as i64, "floor")
        .to_kind(tch::Kind::Float)
        + 0.5)
        / rows as f64;
    let positions = tch::Tensor::stack(&[&column, &row], 1);
    let label_values = labels.to_vec();
    (0..count)
        .map(|i| {
            let brightness = patches.get(i as i64);
            let mut keep = brightness.gt(config.threshold).nonzero().squeeze_dim(1);
            if keep.size()[0] == 0 {
                keep = brightness.argmax(0, true);
            }
            let xy = positions.index_select(0, &keep);
            let x = tch::Tensor::cat(&[&xy, &brightness.index_select(0, &keep).unsqueeze(1)], 1);
            let nodes = keep.size()[0];
            let edges = knn_edges(&xy, config.k.min(nodes.saturating_sub(1) as usize));
            let graph = Graph::from_edges(
                Tensor::<(Dyn, D<3>), f32, Cpu>::wrap(x),
                Edges::new(Tensor::wrap(edges), nodes as usize)?,
            )?;
            graph.with_labels(Tensor::wrap(tch::Tensor::from_slice(&[label_values[i]])))
        })
        .collect()
}

/// Edges into each point from its `k` nearest other points, `(2, n k)`.
fn knn_edges(points: &tch::Tensor, k: usize) -> tch::Tensor {
    let n = points.size()[0];
    if k == 0 {
        return tch::Tensor::zeros([2, 0], (tch::Kind::Int64, tch::Device::Cpu));
    }
    let distances = (points.unsqueeze(1) - points.unsqueeze(0))
        .square()
        .sum_dim_intlist(-1, false, None);
    // A point is not its own neighbour.
    let distances = distances + tch::Tensor::eye(n, (tch::Kind::Float, tch::Device::Cpu)) * 1e9;
    // A stable sort keeps ties in index order, so graphs do not depend on the sort's whims.
    let (_, order) = distances.sort_stable(true, 1, false);
    let sources = order.narrow(1, 0, k as i64).reshape([-1]);
    let targets = tch::Tensor::arange(n, (tch::Kind::Int64, tch::Device::Cpu))
        .repeat_interleave_self_int(k as i64, 0, None);
    tch::Tensor::stack(&[&sources, &targets], 0)
}
