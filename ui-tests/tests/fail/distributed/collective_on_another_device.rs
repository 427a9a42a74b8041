// A Gloo group (`ProcessGroup<Cpu>`, the default) moves CPU tensors; a GPU tensor needs a
// `ProcessGroup<Cuda<0>>` (NCCL).
use typed_torch::{Cuda, Tensor, D};
use typed_torch_distributed::{ProcessGroup, ReduceOp};

fn main() -> typed_torch_distributed::Result<()> {
    let group: ProcessGroup = ProcessGroup::from_env()?;
    let mut t = Tensor::<(D<3>,)>::zeros().to_device::<Cuda<0>>()?;
    group.all_reduce(&mut t, ReduceOp::Sum)?;
    Ok(())
}
