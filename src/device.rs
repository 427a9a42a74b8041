//! Devices as types: `Cpu` and `Cuda<I>`.
use crate::error::Error;

mod sealed {
    pub trait Sealed {}
}

/// Where a tensor lives. Ops take all operands on one device type, so mixing devices does not compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a device",
    label = "use `Cpu` or `Cuda<I>`"
)]
pub trait Device:
    sealed::Sealed + Copy + Default + Send + Sync + core::fmt::Debug + 'static
{
    /// The libtorch device.
    fn tch() -> tch::Device;
    /// Checks that this device exists on this machine.
    ///
    /// ```
    /// use typed_torch::{Cpu, Cuda, Device};
    /// assert!(Cpu::check().is_ok());
    /// if !tch::Cuda::is_available() {
    ///     assert!(Cuda::<0>::check().is_err());
    /// }
    /// ```
    fn check() -> Result<(), Error>;
}

/// The CPU.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cpu;

/// CUDA GPU number `I`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cuda<const I: usize>;

impl sealed::Sealed for Cpu {}
impl<const I: usize> sealed::Sealed for Cuda<I> {}

impl Device for Cpu {
    fn tch() -> tch::Device {
        tch::Device::Cpu
    }
    fn check() -> Result<(), Error> {
        Ok(())
    }
}

impl<const I: usize> Device for Cuda<I> {
    fn tch() -> tch::Device {
        tch::Device::Cuda(I)
    }
    fn check() -> Result<(), Error> {
        let found = if tch::Cuda::is_available() {
            tch::Cuda::device_count() as usize
        } else {
            0
        };
        if I < found {
            Ok(())
        } else {
            Err(Error::DeviceUnavailable {
                requested: format!("Cuda<{I}>"),
                cuda_devices: found,
            })
        }
    }
}
