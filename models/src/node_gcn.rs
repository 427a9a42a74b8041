//! A graph convolutional network for node classification with a 2-D embedding layer, after Kipf
//! and Welling's semi-supervised experiments and PyTorch Geometric's karate-club example.
use typed_torch::graph::Edges;
use typed_torch::nn::{GcnConv, Linear, Module};
use typed_torch::{Cpu, Device, Dyn, Float, Tensor, D};

/// Three GCN layers, `F -> 4 -> 4 -> 2` with `tanh` after each (the 2-D output is each node's
/// embedding, small enough to draw), then a linear classifier into `C` classes. Parameter names
/// match a `torch.nn.Module` with fields `conv1`, `conv2`, `conv3` (torch_geometric `GCNConv`s)
/// and `classifier`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::graph::Edges;
/// use typed_torch_models::node_gcn::NodeGcn;
/// let net = NodeGcn::<3, 2>::init().unwrap();
/// let edges = Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap().undirected();
/// let x = Tensor::<(Dyn, D<3>)>::ones_dyn(&[3]).unwrap();
/// let logits: Tensor<(Dyn, D<2>)> = net.forward((x.clone(), &edges));
/// let embedding: Tensor<(Dyn, D<2>)> = net.embed(x, &edges);
/// ```
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct NodeGcn<const F: usize, const C: usize, E: Float = f32, Dev: Device = Cpu> {
    /// `F -> 4`.
    pub conv1: GcnConv<F, 4, (), E, Dev>,
    /// `4 -> 4`.
    pub conv2: GcnConv<4, 4, (), E, Dev>,
    /// `4 -> 2`: the embedding.
    pub conv3: GcnConv<4, 2, (), E, Dev>,
    /// `2 -> C`.
    pub classifier: Linear<2, C, (), E, Dev>,
}

impl<const F: usize, const C: usize, E: Float, Dev: Device> NodeGcn<F, C, E, Dev> {
    /// Each node's 2-D embedding (the last GCN layer's output).
    pub fn embed(
        &self,
        x: Tensor<(Dyn, D<F>), E, Dev>,
        edges: &Edges<E, Dev>,
    ) -> Tensor<(Dyn, D<2>), E, Dev> {
        let h = self.conv1.forward((x, edges)).tanh();
        let h = self.conv2.forward((h, edges)).tanh();
        self.conv3.forward((h, edges)).tanh()
    }
}

impl<const F: usize, const C: usize, E: Float, Dev: Device>
    Module<(Tensor<(Dyn, D<F>), E, Dev>, &Edges<E, Dev>)> for NodeGcn<F, C, E, Dev>
{
    type Output = Tensor<(Dyn, D<C>), E, Dev>;
    fn forward(&self, (x, edges): (Tensor<(Dyn, D<F>), E, Dev>, &Edges<E, Dev>)) -> Self::Output {
        self.classifier.forward(self.embed(x, edges))
    }
}
