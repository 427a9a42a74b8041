//! A graph isomorphism network classifying digits drawn as graphs (a node per inked patch).
use typed_torch::graph::GraphBatch;
use typed_torch::nn::{global_mean_pool, BatchNorm1d, Dropout, GinConv, Linear, Module, ReLU};
use typed_torch::options::TrainEps;
use typed_torch::{Cpu, Device, Dyn, Float, HList, Tensor, D};

/// The width of every hidden layer.
pub const HIDDEN: usize = 64;

/// A GIN layer's inner MLP, `I -> O -> O` with a ReLU between.
pub type Mlp<const I: usize, const O: usize, E, Dev> =
    HList![Linear<I, O, (), E, Dev>, BatchNorm1d<O, (), E, Dev>, ReLU, Linear<O, O, (), E, Dev>];

/// The classifier of the pooled features, `HIDDEN -> HIDDEN -> 10`, with dropout.
pub type Head<E, Dev> =
    HList![Linear<HIDDEN, HIDDEN, (), E, Dev>, ReLU, Dropout, Linear<HIDDEN, 10, (), E, Dev>];

/// Three GIN layers with trainable `eps` (3 node features: position and brightness, then
/// [`HIDDEN`]), each followed by a ReLU; the node features of each graph summed
/// (`global_add_pool`, as the GIN paper pools), then an MLP with dropout into 10 classes.
/// Parameter names match a `torch.nn.Module` with fields `conv1`..`conv3` (torch_geometric
/// `GINConv`s over `nn.Sequential`s) and `head`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::graph::{Edges, Graph, GraphBatch};
/// use typed_torch_models::digit_gin::DigitGin;
/// let net = DigitGin::<f32, Cpu>::init().unwrap();
/// let graph = Graph::from_edges(
///     Tensor::<(Dyn, D<3>)>::ones_dyn(&[3]).unwrap(),
///     Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap(),
/// ).unwrap();
/// let batch = GraphBatch::new(&[graph.clone(), graph]).unwrap();
/// let logits: Tensor<(Dyn, D<10>)> = net.forward(&batch);
/// assert_eq!(logits.size(), [2, 10]);
/// ```
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct DigitGin<E: Float = f32, Dev: Device = Cpu> {
    /// `3 -> HIDDEN`.
    pub conv1: GinConv<Mlp<3, HIDDEN, E, Dev>, TrainEps, E, Dev>,
    /// `HIDDEN -> HIDDEN`.
    pub conv2: GinConv<Mlp<HIDDEN, HIDDEN, E, Dev>, TrainEps, E, Dev>,
    /// `HIDDEN -> HIDDEN`.
    pub conv3: GinConv<Mlp<HIDDEN, HIDDEN, E, Dev>, TrainEps, E, Dev>,
    /// The classifier of each graph's pooled features.
    pub head: Head<E, Dev>,
}

impl<E: Float, Dev: Device> Module<&GraphBatch<3, E, Dev>> for DigitGin<E, Dev> {
    type Output = Tensor<(Dyn, D<10>), E, Dev>;
    fn forward(&self, batch: &GraphBatch<3, E, Dev>) -> Self::Output {
        let edges = batch.edges();
        let h = self.conv1.forward((batch.x().clone(), edges)).relu();
        let h = self.conv2.forward((h, edges)).relu();
        let h = self.conv3.forward((h, edges)).relu();
        self.head.forward(global_mean_pool(&h, batch.batch()))
    }
}
