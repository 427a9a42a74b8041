//! Feeds arbitrary bytes to the checkpoint loader: it must never panic, never change the model
//! or optimizer on a failed load, and a successful load must account for every model tensor.
#![no_main]
use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use typed_torch::checkpoint::{inspect_bytes, LoadOptions, Loader};
use typed_torch::nn::{BatchNorm1d, Linear, Params};
use typed_torch::optim::{Adam, AdamConfig, OptimizerState};
use typed_torch::tch;
use typed_torch::{hlist, HList};

type Net = HList![Linear<3, 4>, BatchNorm1d<4>];

struct Subject {
    net: Net,
    adam: Adam<Net>,
}

thread_local! {
    static SUBJECT: RefCell<Subject> = RefCell::new({
        tch::manual_seed(0);
        let mut net: Net = hlist![Linear::new(), BatchNorm1d::new()];
        let adam = Adam::new(&mut net, AdamConfig::default()).expect("an optimizer");
        Subject { net, adam }
    });
}

/// Every model tensor and optimizer buffer, as bits (NaN-safe comparison), and the step count.
fn snapshot(s: &Subject) -> (Vec<Vec<u8>>, u64) {
    let bytes = |t: &tch::Tensor| {
        let t = t.contiguous();
        let n = t.numel() * t.kind().elt_size_in_bytes();
        let mut v = vec![0u8; n];
        t.copy_data_u8(&mut v, t.numel());
        v
    };
    let mut out = Vec::new();
    s.net.visit_state("", &mut |_, t| out.push(bytes(t)));
    for (_, b) in s.adam.state_buffers() {
        out.push(bytes(b));
    }
    (out, s.adam.step_count())
}

/// Loads `data` with `options`, into the optimizer too if `with_optimizer`.
fn load(data: &[u8], options: LoadOptions, with_optimizer: bool) {
    SUBJECT.with(|cell| {
        let mut s = cell.borrow_mut();
        let before = snapshot(&s);
        let Subject { net, adam } = &mut *s;
        let loader = Loader::new(net).options(options);
        let loader = if with_optimizer {
            loader.optimizer(adam)
        } else {
            loader
        };
        match loader.load_bytes(data) {
            Ok(report) => assert_eq!(report.loaded.len() + report.missing.len(), 7),
            Err(e) => {
                let _ = e.to_string();
                assert!(
                    snapshot(&s) == before,
                    "a failed load changed the state: {e}"
                );
            }
        }
    });
}

fuzz_target!(|data: &[u8]| {
    let _ = inspect_bytes(data);
    load(data, LoadOptions::strict(), false);
    load(data, LoadOptions::non_strict().convert_dtypes(true), true);
});
