//! The classification loop: cross-entropy on logits, accuracy, a progress bar per phase, an
//! evaluation after every epoch, curves and an atomic checkpoint per epoch.
use super::{correct, ConfusionMatrix, EpochMetrics, Run, RunOptions};
use crate::autograd::no_grad;
use crate::data::{Batch, DataLoader, Dataset, LoaderBatch, WithBatchDim};
use crate::device::Device;
use crate::dims::Dim;
use crate::element::Float;
use crate::error::Result;
use crate::loss::{cross_entropy, Mean};
use crate::nn::{Module, Params};
use crate::optim::{LrScheduler, Optimizer, Schedule};
use crate::tensor::Tensor;

/// A batch of inputs and class labels, as the loop consumes it.
pub trait ClassBatch {
    /// The inputs, batch first.
    type Inputs;
    /// The batch dim.
    type B: Dim;
    /// The device of the labels.
    type Dev: Device;
    /// The inputs and the labels.
    fn into_inputs_and_labels(self) -> (Self::Inputs, Tensor<(Self::B,), i64, Self::Dev>);
}

impl<X, B: Dim, Dev: Device> ClassBatch for Batch<X, Tensor<(B,), i64, Dev>> {
    type Inputs = X;
    type B = B;
    type Dev = Dev;
    fn into_inputs_and_labels(self) -> (X, Tensor<(B,), i64, Dev>) {
        self.into_parts()
    }
}

/// Trains a classifier `model` with `optimizer`: each epoch one pass over the training loader
/// (cross-entropy, backward, step, then the learning-rate schedule if any), then one over the test
/// loader without gradients; a [`Run`] shows the progress bars, prints a line per epoch and writes
/// the curves, the CSV history and the checkpoint.
///
/// ```no_run
/// use typed_torch::data::{DataLoader, Mnist, TensorDataset};
/// use typed_torch::optim::{Adam, AdamConfig};
/// use typed_torch::prelude::*;
/// use typed_torch::train::{ClassifierTrainer, RunOptions};
///
/// type Net = HList![Flatten, Linear<784, 100>, ReLU, Linear<100, 10>];
/// let mnist = Mnist::load(".typed-torch/mnist")?;
/// let scale = |x: Tensor<(Dyn, D<1>, D<28>, D<28>), u8>| x.to_kind::<f32>() / 255.0;
/// let train = DataLoader::new(TensorDataset::new(scale(mnist.train_images), mnist.train_labels)?, 32)?
///     .shuffle(true);
/// let test = DataLoader::new(TensorDataset::new(scale(mnist.test_images), mnist.test_labels)?, 1000)?;
/// let mut model = Net::init()?;
/// let mut opt = Adam::new(&mut model, AdamConfig::default())?;
/// let last = ClassifierTrainer::new("mlp", &mut model, &mut opt, RunOptions::default())?
///     .fit(&train, &test, 5)?;
/// println!("test accuracy {:.1}%", 100.0 * last.accuracy);
/// # Ok::<(), typed_torch::Error>(())
/// ```
pub struct ClassifierTrainer<'a, M, O> {
    model: &'a mut M,
    optimizer: &'a mut O,
    run: Run,
    after_step: Option<Box<dyn FnMut(&mut O) -> Result<()> + 'a>>,
    class_names: Vec<String>,
    confusion: Option<ConfusionMatrix>,
}

impl<'a, M: Params, O: Optimizer<M>> ClassifierTrainer<'a, M, O> {
    /// A loop over `model` and `optimizer` whose files are named `name` (see [`RunOptions`]).
    pub fn new(
        name: &str,
        model: &'a mut M,
        optimizer: &'a mut O,
        options: RunOptions,
    ) -> Result<Self> {
        Ok(ClassifierTrainer {
            model,
            optimizer,
            run: Run::new(name, options)?,
            after_step: None,
            class_names: vec![],
            confusion: None,
        })
    }

    /// Names the classes in the confusion matrix's picture and the per-class table (indices
    /// otherwise).
    pub fn class_names(mut self, names: &[&str]) -> Self {
        self.class_names = names.iter().map(|s| s.to_string()).collect();
        self
    }

    /// The confusion matrix of the last test pass (after [`fit`](Self::fit)).
    pub fn confusion(&self) -> Option<&ConfusionMatrix> {
        self.confusion.as_ref()
    }

    /// Where the confusion matrix's picture goes: `<out_dir>/<name>_confusion.png` (written only
    /// with the `plot` feature).
    pub fn confusion_path(&self) -> std::path::PathBuf {
        self.run
            .out_dir()
            .join(format!("{}_confusion.png", self.run.name()))
    }

    /// Steps `scheduler` after every optimizer step.
    pub fn schedule<S: Schedule + 'a>(mut self, scheduler: &'a mut LrScheduler<S>) -> Self {
        self.after_step = Some(Box::new(move |opt: &mut O| scheduler.step(opt)));
        self
    }

    /// The run's bookkeeping (history, file paths).
    pub fn run(&self) -> &Run {
        &self.run
    }

    /// Trains for epochs `1..=epochs` and returns the last epoch's test metrics.
    pub fn fit<Tr, Te, LTr, LTe, C, E>(
        &mut self,
        train: &DataLoader<Tr, LTr>,
        test: &DataLoader<Te, LTe>,
        epochs: usize,
    ) -> Result<EpochMetrics>
    where
        Tr: Dataset,
        Te: Dataset,
        LTr: Dim,
        LTe: Dim,
        C: Dim,
        E: Float,
        Batch<Tr::Inputs, Tr::Targets>: WithBatchDim<LTr>,
        Batch<Te::Inputs, Te::Targets>: WithBatchDim<LTe>,
        LoaderBatch<Tr, LTr>: ClassBatch,
        LoaderBatch<Te, LTe>: ClassBatch,
        M: Module<
                <LoaderBatch<Tr, LTr> as ClassBatch>::Inputs,
                Output = Tensor<
                    (<LoaderBatch<Tr, LTr> as ClassBatch>::B, C),
                    E,
                    <LoaderBatch<Tr, LTr> as ClassBatch>::Dev,
                >,
            > + Module<
                <LoaderBatch<Te, LTe> as ClassBatch>::Inputs,
                Output = Tensor<
                    (<LoaderBatch<Te, LTe> as ClassBatch>::B, C),
                    E,
                    <LoaderBatch<Te, LTe> as ClassBatch>::Dev,
                >,
            >,
    {
        let mut last = EpochMetrics::default();
        for epoch in 1..=epochs {
            self.model.set_train(true);
            let mut meter = self.run.phase("train", epoch, train.len());
            for batch in train.epoch(epoch as u64) {
                let (inputs, labels) = batch?.into_inputs_and_labels();
                let logits = Module::<<LoaderBatch<Tr, LTr> as ClassBatch>::Inputs>::forward(
                    &*self.model,
                    inputs,
                );
                let loss = cross_entropy(&logits, &labels, Mean);
                self.optimizer.zero_grad();
                loss.backward();
                self.optimizer.step(self.model)?;
                if let Some(after_step) = &mut self.after_step {
                    after_step(self.optimizer)?;
                }
                meter.update(
                    loss.as_tch().double_value(&[]),
                    correct(&logits, &labels),
                    labels.size()[0],
                );
            }
            let train_metrics = meter.finish();

            self.model.set_train(false);
            let mut meter = self.run.phase("test", epoch, test.len());
            let mut confusion: Option<ConfusionMatrix> = None;
            no_grad(|| -> Result<()> {
                for batch in test.epoch(0) {
                    let (inputs, labels) = batch?.into_inputs_and_labels();
                    let logits = Module::<<LoaderBatch<Te, LTe> as ClassBatch>::Inputs>::forward(
                        &*self.model,
                        inputs,
                    );
                    let loss = cross_entropy(&logits, &labels, Mean);
                    meter.update(
                        loss.as_tch().double_value(&[]),
                        correct(&logits, &labels),
                        labels.size()[0],
                    );
                    confusion
                        .get_or_insert_with(|| ConfusionMatrix::new(logits.size()[1]))
                        .update(&logits, &labels)?;
                }
                Ok(())
            })?;
            last = meter.finish();
            self.run.end_epoch(epoch, train_metrics, last, self.model)?;
            #[cfg(feature = "plot")]
            if let Some(confusion) = &confusion {
                let names: Vec<&str> = self.class_names.iter().map(String::as_str).collect();
                let title = format!("{}: test confusion, epoch {epoch}", self.run.name());
                confusion.save_png(&self.confusion_path(), &names, &title)?;
            }
            self.confusion = confusion;
        }
        if self.run.verbose() {
            let name = self.run.name();
            println!(
                "{name}: test accuracy {:.2}% after {epochs} epochs, wall time {:.1}s",
                100.0 * last.accuracy,
                self.run.elapsed_seconds()
            );
            #[cfg(feature = "plot")]
            {
                let (png, svg) = self.run.plot_paths();
                println!(
                    "curves:     {}\n            {}",
                    png.display(),
                    svg.display()
                );
            }
            println!("checkpoint: {}", self.run.checkpoint_path().display());
            if let Some(confusion) = &self.confusion {
                #[cfg(feature = "plot")]
                println!("confusion:  {}", self.confusion_path().display());
                let names: Vec<&str> = self.class_names.iter().map(String::as_str).collect();
                print!("{}", confusion.report(&names));
            }
        }
        Ok(last)
    }
}
