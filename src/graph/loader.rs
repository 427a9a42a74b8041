//! Batches of graphs from a list of them, in seeded-shuffled order.
use super::batch::GraphBatch;
use super::data::Graph;
use crate::data::loader::shuffled_order;
use crate::device::Device;
use crate::element::Float;
use crate::error::{Error, Result};

/// Batches of graphs ([`GraphBatch`]es) from a list of them, one pass per call to
/// [`epoch`](GraphLoader::epoch): PyTorch Geometric's `DataLoader`. Shuffling is seeded like
/// [`DataLoader`](crate::data::DataLoader)'s: the same seed and epoch give the same order on every
/// run and machine.
///
/// ```
/// use typed_torch::graph::{Edges, Graph, GraphLoader};
/// use typed_torch::{Dyn, Tensor, D};
/// let graphs: Vec<Graph<1>> = (1..=5)
///     .map(|n| {
///         let x = Tensor::<(Dyn, D<1>)>::ones_dyn(&[n]).unwrap();
///         Graph::from_edges(x, Edges::from_pairs(&[], n).unwrap()).unwrap()
///     })
///     .collect();
/// let loader = GraphLoader::new(&graphs, 2).unwrap().shuffle(true).seed(3);
/// assert_eq!(loader.len(), 3);
/// let nodes: usize = loader.epoch(0).map(|b| b.unwrap().x().size()[0]).sum();
/// assert_eq!(nodes, 1 + 2 + 3 + 4 + 5);
/// ```
#[derive(Debug, Clone)]
pub struct GraphLoader<'a, const F: usize, E: Float, Dev: Device> {
    graphs: &'a [Graph<F, E, Dev>],
    batch_size: usize,
    shuffle: bool,
    seed: u64,
}

impl<'a, const F: usize, E: Float, Dev: Device> GraphLoader<'a, F, E, Dev> {
    /// Batches of `batch_size` graphs (the last may be smaller), in order until
    /// [`shuffle`](GraphLoader::shuffle).
    pub fn new(graphs: &'a [Graph<F, E, Dev>], batch_size: usize) -> Result<Self> {
        if batch_size == 0 {
            return Err(Error::Invalid("GraphLoader: batch size 0".into()));
        }
        Ok(GraphLoader {
            graphs,
            batch_size,
            shuffle: false,
            seed: 0,
        })
    }

    /// Whether each epoch visits the graphs in a new (seeded) order.
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }

    /// The shuffling seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The number of batches per epoch.
    pub fn len(&self) -> usize {
        self.graphs.len().div_ceil(self.batch_size)
    }

    /// Whether an epoch has no batches.
    pub fn is_empty(&self) -> bool {
        self.graphs.is_empty()
    }

    /// The graph order of epoch `epoch`.
    pub fn order(&self, epoch: u64) -> Vec<usize> {
        if self.shuffle {
            shuffled_order(self.graphs.len(), self.seed, epoch)
        } else {
            (0..self.graphs.len()).collect()
        }
    }

    /// The batches of epoch `epoch`.
    pub fn epoch(&self, epoch: u64) -> impl Iterator<Item = Result<GraphBatch<F, E, Dev>>> + '_ {
        let order = self.order(epoch);
        let chunks: Vec<Vec<usize>> = order
            .chunks(self.batch_size)
            .map(<[usize]>::to_vec)
            .collect();
        chunks.into_iter().map(move |chunk| {
            let graphs: Vec<&Graph<F, E, Dev>> = chunk.iter().map(|&i| &self.graphs[i]).collect();
            GraphBatch::from_refs(&graphs)
        })
    }
}
