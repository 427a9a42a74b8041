// A world size known when compiling becomes the gathered dim: two ranks give two rows.
use typed_torch::{Tensor, D};
use typed_torch_distributed::ProcessGroup;

fn main() -> typed_torch_distributed::Result<()> {
    let group: ProcessGroup = ProcessGroup::from_env()?;
    let local = Tensor::<(D<3>,)>::zeros();
    let _everyone: Tensor<(D<4>, D<3>)> = group.all_gather_static::<2, _, _>(&local)?;
    Ok(())
}
