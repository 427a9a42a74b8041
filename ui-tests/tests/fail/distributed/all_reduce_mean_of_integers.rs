// Averaging over ranks needs floats: a mean of integer counts would be truncated.
use typed_torch::{Tensor, D};
use typed_torch_distributed::ProcessGroup;

fn main() -> typed_torch_distributed::Result<()> {
    let group: ProcessGroup = ProcessGroup::from_env()?;
    let mut counts = Tensor::<(D<10>,), i64>::zeros();
    group.all_reduce_mean(&mut counts)?;
    Ok(())
}
