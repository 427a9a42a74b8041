// DistributedDataParallel keeps the model's input type: images must be flattened for a Linear.
use typed_torch::nn::{Init, Linear};
use typed_torch::{Dyn, Tensor, D};
use typed_torch_distributed::{DistributedDataParallel, ProcessGroup};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let group: ProcessGroup = ProcessGroup::from_env()?;
    let mut ddp = DistributedDataParallel::new(&group, Linear::<784, 10>::init()?)?;
    let images = Tensor::<(Dyn, D<28>, D<28>)>::zeros_dyn(&[32])?;
    let _logits = ddp.forward(images)?;
    Ok(())
}
