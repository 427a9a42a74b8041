//! The data pipeline: `TensorDataset`, `DataLoader` (seeded shuffling, drop-last, static batch
//! dims, prefetch), the batch transforms on small known tensors, the CSV reader on good and
//! malformed files, and a loader over the real MNIST sample.
use std::path::{Path, PathBuf};
use typed_torch::data::{
    Batch, CsvReader, DataLoader, DataRng, Dataset, Mnist, Normalize, RandomCrop,
    RandomHorizontalFlip, SeedableRng, TensorDataset, Transform,
};
use typed_torch::{Dyn, Error, Tensor, D};

type Images = Tensor<(Dyn, D<1>, D<3>, D<3>)>;
type Labels = Tensor<(Dyn,), i64>;

/// `n` samples: inputs `[i, 10 i]`, target `i`, so every batch says which samples it holds.
fn numbered(n: usize) -> TensorDataset<(Dyn, D<2>), f32, (Dyn,), i64> {
    let x: Vec<f32> = (0..n).flat_map(|i| [i as f32, 10.0 * i as f32]).collect();
    let y: Vec<i64> = (0..n as i64).collect();
    TensorDataset::new(
        Tensor::from_slice_dyn(&x, &[n]).unwrap(),
        Tensor::from_slice_dyn(&y, &[n]).unwrap(),
    )
    .unwrap()
}

/// `n` 3x3 single-channel images with distinct pixels (`100 i + pixel`), target `i`.
fn images(n: usize) -> TensorDataset<(Dyn, D<1>, D<3>, D<3>), f32, (Dyn,), i64> {
    let x: Vec<f32> = (0..n)
        .flat_map(|i| (0..9).map(move |p| (100 * i + p + 1) as f32))
        .collect();
    let y: Vec<i64> = (0..n as i64).collect();
    TensorDataset::new(
        Tensor::from_slice_dyn(&x, &[n]).unwrap(),
        Tensor::from_slice_dyn(&y, &[n]).unwrap(),
    )
    .unwrap()
}

fn collect<X, Y>(
    batches: impl Iterator<Item = typed_torch::Result<Batch<X, Y>>>,
    parts: impl Fn(&Batch<X, Y>) -> (Vec<f32>, Vec<i64>),
) -> Vec<(Vec<f32>, Vec<i64>)> {
    batches.map(|b| parts(&b.unwrap())).collect()
}

fn dyn_batches<S>(
    loader: &DataLoader<TensorDataset<S, f32, (Dyn,), i64>>,
    epoch: u64,
) -> Vec<(Vec<f32>, Vec<i64>)>
where
    S: typed_torch::ReplaceAxis<0, Dyn, Output = S> + typed_torch::RemoveAxis<0>,
{
    collect(loader.epoch(epoch), |b| {
        (b.inputs.to_vec(), b.targets.to_vec())
    })
}

fn targets(batches: &[(Vec<f32>, Vec<i64>)]) -> Vec<i64> {
    batches.iter().flat_map(|(_, y)| y.clone()).collect()
}

#[test]
fn every_sample_appears_once_per_epoch_with_its_own_inputs() {
    let loader = DataLoader::new(numbered(23), 5)
        .unwrap()
        .shuffle(true)
        .seed(3);
    for epoch in 0..4 {
        let batches = dyn_batches(&loader, epoch);
        assert_eq!(batches.len(), 5);
        let mut seen = targets(&batches);
        assert_ne!(
            seen,
            (0..23).collect::<Vec<_>>(),
            "epoch {epoch} not shuffled"
        );
        seen.sort();
        assert_eq!(seen, (0..23).collect::<Vec<_>>(), "epoch {epoch}");
        for (x, y) in &batches {
            let expect: Vec<f32> = y
                .iter()
                .flat_map(|&i| [i as f32, 10.0 * i as f32])
                .collect();
            assert_eq!(x, &expect, "inputs travel with their targets");
        }
    }
    // Without shuffling, dataset order.
    let plain = DataLoader::new(numbered(23), 5).unwrap();
    assert_eq!(
        targets(&dyn_batches(&plain, 7)),
        (0..23).collect::<Vec<_>>()
    );
}

#[test]
fn seeds_and_epochs_fix_the_order() {
    let make = |seed| {
        DataLoader::new(numbered(50), 8)
            .unwrap()
            .shuffle(true)
            .seed(seed)
    };
    let (a, b, c) = (make(11), make(11), make(12));
    assert_eq!(dyn_batches(&a, 0), dyn_batches(&b, 0));
    assert_eq!(dyn_batches(&a, 5), dyn_batches(&b, 5));
    // An epoch's order does not depend on which epochs ran before.
    let fresh = make(11);
    assert_eq!(dyn_batches(&fresh, 5), dyn_batches(&a, 5));
    assert_ne!(targets(&dyn_batches(&a, 0)), targets(&dyn_batches(&c, 0)));
    assert_ne!(targets(&dyn_batches(&a, 0)), targets(&dyn_batches(&a, 1)));
    assert_eq!(a.order(2), b.order(2));
    assert_ne!(a.order(2), a.order(3));
}

#[test]
fn same_seed_same_transformed_batches() {
    let make = |seed| {
        DataLoader::new(images(40), 6)
            .unwrap()
            .shuffle(true)
            .seed(seed)
            .transform((RandomCrop::new(1), RandomHorizontalFlip::new(0.5).unwrap()))
    };
    let (a, b, c) = (make(5), make(5), make(6));
    for epoch in 0..3 {
        assert_eq!(dyn_batches(&a, epoch), dyn_batches(&b, epoch));
    }
    // Same order but other random transforms: compare per sample, sorted by target.
    let by_sample = |l: &DataLoader<_>, epoch| {
        let mut rows: Vec<(i64, Vec<f32>)> = dyn_batches(l, epoch)
            .into_iter()
            .flat_map(|(x, y)| {
                y.into_iter()
                    .zip(x.chunks(9).map(<[f32]>::to_vec).collect::<Vec<_>>())
            })
            .collect();
        rows.sort_by_key(|r| r.0);
        rows
    };
    assert_ne!(by_sample(&a, 0), by_sample(&c, 0));
    assert_ne!(by_sample(&a, 0), by_sample(&a, 1));
}

#[test]
fn drop_last_and_batch_sizes() {
    let sizes = |loader: &DataLoader<_>| -> Vec<usize> {
        dyn_batches(loader, 0)
            .iter()
            .map(|(_, y)| y.len())
            .collect()
    };
    let keep = DataLoader::new(numbered(23), 5).unwrap();
    assert_eq!(keep.len(), 5);
    assert_eq!(sizes(&keep), [5, 5, 5, 5, 3]);
    let drop = DataLoader::new(numbered(23), 5).unwrap().drop_last(true);
    assert_eq!(drop.len(), 4);
    assert_eq!(sizes(&drop), [5, 5, 5, 5]);
    // An exact multiple loses nothing either way.
    let exact = DataLoader::new(numbered(20), 5).unwrap().drop_last(true);
    assert_eq!(sizes(&exact), [5, 5, 5, 5]);
    // Fewer samples than a batch.
    let small = DataLoader::new(numbered(3), 5).unwrap();
    assert_eq!(sizes(&small), [3]);
    let small = small.drop_last(true);
    assert!(small.is_empty());
    assert_eq!(small.epoch(0).count(), 0);
    assert!(DataLoader::new(numbered(3), 0).is_err());
}

#[test]
fn a_static_batch_dim_types_every_batch() {
    let loader = DataLoader::<_, D<5>>::fixed(numbered(23))
        .unwrap()
        .shuffle(true)
        .seed(1);
    assert_eq!(loader.len(), 4);
    let mut seen = Vec::new();
    for batch in loader.epoch(0) {
        let batch = batch.unwrap();
        let x: &Tensor<(D<5>, D<2>)> = &batch.inputs;
        let y: &Tensor<(D<5>,), i64> = &batch.targets;
        assert_eq!(x.size(), [5, 2]);
        seen.extend(y.to_vec());
    }
    assert_eq!(seen.len(), 20);
    // The same samples and order as the Dyn loader with drop_last.
    let dyn_loader = DataLoader::new(numbered(23), 5)
        .unwrap()
        .shuffle(true)
        .seed(1)
        .drop_last(true);
    assert_eq!(seen, targets(&dyn_batches(&dyn_loader, 0)));
    assert!(DataLoader::<_, D<0>>::fixed(numbered(3)).is_err());
}

#[test]
fn prefetch_gives_the_same_batches() {
    let make = || {
        DataLoader::new(images(37), 4)
            .unwrap()
            .shuffle(true)
            .seed(9)
            .transform((RandomCrop::new(1), RandomHorizontalFlip::new(0.5).unwrap()))
    };
    let inline = make();
    for depth in [1, 3] {
        let ahead = make().prefetch(depth);
        for epoch in 0..2 {
            assert_eq!(dyn_batches(&inline, epoch), dyn_batches(&ahead, epoch));
        }
    }
    // Stopping early joins the thread instead of leaving it blocked on a full channel.
    let ahead = make().prefetch(1);
    let first: Vec<_> = ahead.epoch(0).take(2).collect();
    assert_eq!(first.len(), 2);
    // Static batches through the thread too.
    let fixed = DataLoader::<_, D<4>>::fixed(images(37))
        .unwrap()
        .prefetch(2);
    assert_eq!(fixed.epoch(0).map(Result::unwrap).count(), 9);
}

/// A dataset whose batches fail from sample `bad` on, to see errors end an epoch.
#[derive(Clone)]
struct Failing {
    inner: TensorDataset<(Dyn, D<2>), f32, (Dyn,), i64>,
    bad: usize,
}

impl Dataset for Failing {
    type Item = <TensorDataset<(Dyn, D<2>), f32, (Dyn,), i64> as Dataset>::Item;
    type Inputs = Tensor<(Dyn, D<2>)>;
    type Targets = Labels;
    fn len(&self) -> usize {
        self.inner.len()
    }
    fn get(&self, index: usize) -> typed_torch::Result<Self::Item> {
        self.inner.get(index)
    }
    fn get_batch(&self, indices: &[usize]) -> typed_torch::Result<Batch<Self::Inputs, Labels>> {
        match indices.iter().find(|&&i| i >= self.bad) {
            Some(i) => Err(Error::Invalid(format!("sample {i} is unreadable"))),
            None => self.inner.get_batch(indices),
        }
    }
}

#[test]
fn an_error_ends_the_epoch() {
    let ds = Failing {
        inner: numbered(20),
        bad: 12,
    };
    let inline = DataLoader::new(ds.clone(), 5).unwrap();
    let ahead = DataLoader::new(ds, 5).unwrap().prefetch(2);
    for items in [
        inline.epoch(0).collect::<Vec<_>>(),
        ahead.epoch(0).collect::<Vec<_>>(),
    ] {
        assert_eq!(
            items.len(),
            3,
            "two good batches, then the error, then nothing"
        );
        assert!(items[0].is_ok() && items[1].is_ok());
        let err = items[2].as_ref().unwrap_err().to_string();
        assert!(err.contains("sample 12 is unreadable"), "{err}");
    }
}

#[test]
fn tensor_dataset_checks_its_inputs() {
    let ds = numbered(4);
    let (x, y) = ds.get(3).unwrap();
    assert_eq!((x.to_vec(), y.item()), (vec![3.0, 30.0], 3));
    assert!(ds.get(4).is_err());
    assert!(ds.get_batch(&[1, 4]).is_err());
    let b = ds.get_batch(&[3, 3, 0]).unwrap();
    assert_eq!(b.targets.to_vec(), [3, 3, 0]);
    let x = Tensor::<(Dyn, D<2>)>::zeros_dyn(&[4]).unwrap();
    let y = Tensor::<(Dyn,), i64>::zeros_dyn(&[5]).unwrap();
    assert!(TensorDataset::new(x, y).is_err());
}

fn rng() -> DataRng {
    DataRng::seed_from_u64(0)
}

#[test]
fn normalize_matches_a_hand_computation() {
    // Two images, two channels of two pixels each.
    let data = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
    let x = Tensor::<(Dyn, D<2>, D<1>, D<2>)>::from_slice_dyn(&data, &[2]).unwrap();
    let (mean, std) = ([0.5, -1.0], [2.0, 0.25]);
    let y = Normalize::new(mean, std)
        .unwrap()
        .apply(x, &mut rng())
        .unwrap();
    let expect: Vec<f32> = data
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let c = (i / 2) % 2;
            ((v as f64 - mean[c]) / std[c]) as f32
        })
        .collect();
    assert_eq!(y.to_vec(), expect);
    // Also on (N, C) features.
    let f = Tensor::<(Dyn, D<2>), f64>::from_slice_dyn(&[1.0, 2.0], &[1]).unwrap();
    let g = Normalize::new([1.0, 0.0], [1.0, 4.0])
        .unwrap()
        .apply(f, &mut rng())
        .unwrap();
    assert_eq!(g.to_vec(), [0.0, 0.5]);
    assert!(Normalize::new([0.0], [0.0]).is_err());
    assert!(Normalize::new([f64::NAN], [1.0]).is_err());
}

fn pixels(x: &Images) -> Vec<Vec<f32>> {
    x.to_vec().chunks(9).map(<[f32]>::to_vec).collect()
}

/// Image `img` (3x3) shifted so that output pixel (r, c) is input pixel (r + dy, c + dx), zero
/// outside.
fn shifted(img: &[f32], dy: i64, dx: i64) -> Vec<f32> {
    (0..9)
        .map(|p| {
            let (r, c) = (p / 3 + dy, p % 3 + dx);
            if (0..3).contains(&r) && (0..3).contains(&c) {
                img[(r * 3 + c) as usize]
            } else {
                0.0
            }
        })
        .collect()
}

#[test]
fn flips_mirror_columns() {
    let x: Images = images(64).inputs().share();
    let originals = pixels(&x);
    let mirror =
        |img: &[f32]| -> Vec<f32> { (0..9).map(|p| img[(p / 3) * 3 + 2 - p % 3]).collect() };
    let all = RandomHorizontalFlip::new(1.0)
        .unwrap()
        .apply(x.share(), &mut rng())
        .unwrap();
    assert_eq!(pixels(&all)[0], [3., 2., 1., 6., 5., 4., 9., 8., 7.]);
    for (o, f) in originals.iter().zip(pixels(&all)) {
        assert_eq!(f, mirror(o));
    }
    let none = RandomHorizontalFlip::new(0.0)
        .unwrap()
        .apply(x.share(), &mut rng())
        .unwrap();
    assert_eq!(pixels(&none), originals);
    let half = RandomHorizontalFlip::new(0.5)
        .unwrap()
        .apply(x.share(), &mut rng())
        .unwrap();
    let flipped = originals
        .iter()
        .zip(pixels(&half))
        .filter(|(o, h)| {
            assert!(
                h == *o || *h == mirror(o),
                "neither the image nor its mirror"
            );
            *h != **o
        })
        .count();
    assert!((16..=48).contains(&flipped), "{flipped} of 64 flipped");
    assert!(RandomHorizontalFlip::new(1.5).is_err());
}

#[test]
fn crops_shift_images_with_zero_fill() {
    let x: Images = images(200).inputs().share();
    let originals = pixels(&x);
    let y = RandomCrop::new(1).apply(x.share(), &mut rng()).unwrap();
    assert_eq!(y.size(), [200, 1, 3, 3]);
    let mut shifts = std::collections::BTreeSet::new();
    for (o, c) in originals.iter().zip(pixels(&y)) {
        let shift = (-1..=1)
            .flat_map(|dy| (-1..=1).map(move |dx| (dy, dx)))
            .find(|&(dy, dx)| shifted(o, dy, dx) == c)
            .unwrap_or_else(|| panic!("{c:?} is no shift of {o:?}"));
        shifts.insert(shift);
    }
    assert_eq!(
        shifts.len(),
        9,
        "every shift in [-1, 1]^2 occurs: {shifts:?}"
    );
    // Padding 2: shifts of up to two pixels, most of a 3x3 image moved out.
    let far = RandomCrop::new(2).apply(x.share(), &mut rng()).unwrap();
    for (o, c) in originals.iter().zip(pixels(&far)) {
        assert!(
            (-2..=2).any(|dy| (-2..=2).any(|dx| shifted(o, dy, dx) == c)),
            "{c:?} is no shift of {o:?}"
        );
    }
    let same = RandomCrop::new(0).apply(x.share(), &mut rng()).unwrap();
    assert_eq!(pixels(&same), originals);
    // Integer images too; draws go image by image, so two images get the first two crops.
    let u: Tensor<(Dyn, D<1>, D<3>, D<3>), u8> = images(2).inputs().to_kind();
    let cu = RandomCrop::new(1).apply(u, &mut rng()).unwrap();
    let cf: Vec<u8> = y.to_vec()[..18].iter().map(|&v| v as u8).collect();
    assert_eq!(cu.to_vec(), cf, "same draws, same crops");
}

fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn csv_reads_good_tables() {
    let path = temp_file(
        "iris.csv",
        b"sepal, \"petal\" ,species,width\r\n1.5,2,1,0.25\r\n\r\n-3,4e1,0,1\r\n7,8,2.0,9\r\n",
    );
    let t = CsvReader::new(&path)
        .header(true)
        .label("species")
        .read::<D<3>, i64>()
        .unwrap();
    assert_eq!(t.rows(), 3);
    assert_eq!(
        t.features.to_vec(),
        [1.5, 2.0, 0.25, -3.0, 40.0, 1.0, 7.0, 8.0, 9.0]
    );
    assert_eq!(t.labels.to_vec(), [1, 0, 2]);
    assert_eq!(t.feature_names, ["sepal", "petal", "width"]);
    assert_eq!(t.label_name, "species");
    // Chosen features in a chosen order, a float label, a Dyn feature count.
    let t = CsvReader::new(&path)
        .header(true)
        .features(["width", "sepal"])
        .label(1)
        .read::<Dyn, f32>()
        .unwrap();
    assert_eq!(t.features.size(), [3, 2]);
    assert_eq!(t.features.to_vec(), [0.25, 1.5, 1.0, -3.0, 9.0, 7.0]);
    assert_eq!(t.labels.to_vec(), [2.0, 40.0, 8.0]);
    // No header, another delimiter, the last column as label by default; into a loader.
    let path = temp_file("plain.tsv", b"1\t2\t0\n3\t4\t1\n5\t6\t1\n");
    let t = CsvReader::new(&path)
        .delimiter('\t')
        .read::<D<2>, i64>()
        .unwrap();
    assert_eq!(t.feature_names, ["0", "1"]);
    let loader = DataLoader::new(t.into_dataset(), 2).unwrap();
    let batches = dyn_batches(&loader, 0);
    assert_eq!(batches[1], (vec![5.0, 6.0], vec![1]));
    // Quoted fields (RFC 4180): the delimiter, an escaped quote and a line break inside names,
    // quoted numbers.
    let path = temp_file(
        "quoted.csv",
        b"\"len, cm\",\"say \"\"hi\"\"\",\"two\nlines\"\n\"1.5\",2,\"1\"\n3,\"4\",0\n",
    );
    let t = CsvReader::new(&path)
        .header(true)
        .read::<D<2>, i64>()
        .unwrap();
    assert_eq!(t.feature_names, ["len, cm", "say \"hi\""]);
    assert_eq!(t.label_name, "two\nlines");
    assert_eq!(t.features.to_vec(), [1.5, 2.0, 3.0, 4.0]);
    assert_eq!(t.labels.to_vec(), [1, 0]);
}

#[track_caller]
fn csv_error(reader: CsvReader, needles: &[&str]) {
    let err = match reader.read::<Dyn, i64>() {
        Ok(_) => panic!("a malformed table was read"),
        Err(e) => e,
    };
    let msg = err.to_string();
    for needle in needles {
        assert!(msg.contains(needle), "`{msg}` does not say `{needle}`");
    }
}

#[test]
fn csv_errors_name_the_file_the_line_and_the_problem() {
    let f = |name, text: &str| CsvReader::new(temp_file(name, text.as_bytes()));
    csv_error(
        f("ragged.csv", "1,2,3\n4,5,6\n7,8\n"),
        &["ragged.csv", "line 3", "2 fields, expected 3"],
    );
    csv_error(
        f("word.csv", "a,b,y\n1,2,0\n1,x2,1\n").header(true),
        &["word.csv", "line 3, column 1 `b`", "`x2` is not a number"],
    );
    csv_error(
        f("blank.csv", "1,,0\n"),
        &["blank.csv", "line 1, column 1", "empty field"],
    );
    csv_error(
        f("nan.csv", "1,2,0\n1,NaN,0\n"),
        &["nan.csv", "line 2", "not a finite number"],
    );
    csv_error(
        f("label.csv", "1,2,0\n1,2,0.5\n"),
        &["label.csv", "line 2, column 2", "not an integer label"],
    );
    csv_error(f("empty.csv", ""), &["empty.csv", "empty file"]);
    csv_error(f("one.csv", "1\n2\n"), &["one.csv", "no feature columns"]);
    csv_error(f("blanks.csv", "\n \r\n"), &["blanks.csv", "empty file"]);
    csv_error(
        f("header.csv", "a,b\n").header(true),
        &["header.csv", "no data rows"],
    );
    csv_error(
        f("noheader.csv", "a,b\n1,2\n"),
        &["noheader.csv", "line 1, column 0", "`a` is not a number"],
    );
    csv_error(
        f("name.csv", "a,b\n1,2\n").header(true).label("c"),
        &["name.csv", "no column named `c`", "a, b"],
    );
    csv_error(
        f("range.csv", "1,2\n").label(5),
        &["range.csv", "column 5 is out of range"],
    );
    csv_error(
        f("both.csv", "1,2,3\n").label(0).features([0, 1]),
        &["both.csv", "both the label and a feature"],
    );
    csv_error(
        f("delimiter.csv", "1,2;3\n").delimiter(';'),
        &["delimiter.csv", "line 1, column 0", "`1,2` is not a number"],
    );
    let bad_utf8 = CsvReader::new(temp_file("bytes.csv", b"1,2\n\xff,3\n"));
    csv_error(bad_utf8, &["bytes.csv", "not UTF-8", "line 2"]);
    // A record after a multi-line quoted field is numbered by the line it starts on.
    csv_error(
        f("multiline.csv", "\"a\nb\",c,y\n1,2,0\n1,z,1\n").header(true),
        &[
            "multiline.csv",
            "line 4, column 1 `c`",
            "`z` is not a number",
        ],
    );
    csv_error(
        f("unicode.csv", "1,2,0\n").delimiter('→'),
        &["unicode.csv", "one ASCII character", "→"],
    );
    // A static feature count that does not match the file.
    let err = f("typed.csv", "1,2,3\n")
        .read::<D<3>, i64>()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("typed.csv") && err.contains("2 feature columns selected"),
        "{err}"
    );
    // A missing file is an I/O error naming it.
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-table.csv");
    match CsvReader::new(&missing).read::<Dyn, i64>() {
        Err(e @ Error::Io { .. }) => assert!(e.to_string().contains("no-such-table.csv"), "{e}"),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn a_loader_over_the_real_mnist_sample() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/mnist");
    let m = Mnist::load(dir).expect("run scripts/setup.sh first");
    let images = m.train_images.to_kind::<f32>() / 255.0;
    let train = TensorDataset::new(images, m.train_labels.share()).unwrap();
    let loader = DataLoader::new(train, 64)
        .unwrap()
        .shuffle(true)
        .seed(2024)
        .transform((
            RandomCrop::new(2),
            Normalize::new([0.1307], [0.3081]).unwrap(),
        ))
        .prefetch(2);
    assert_eq!(loader.len(), 63); // 62 full batches and one of 32
    let all_labels = m.train_labels.to_vec();
    for epoch in 0..2 {
        let (mut samples, mut labels) = (0, Vec::new());
        for batch in loader.epoch(epoch) {
            let batch = batch.unwrap();
            let x: &Tensor<(Dyn, D<1>, D<28>, D<28>)> = &batch.inputs;
            samples += x.size()[0];
            labels.extend(batch.targets.to_vec());
        }
        assert_eq!(samples, 4000, "epoch {epoch}");
        // The batches hold the samples of the epoch's order, each once.
        let order = loader.order(epoch);
        let expect: Vec<i64> = order.iter().map(|&i| all_labels[i]).collect();
        assert_eq!(labels, expect, "epoch {epoch}");
        let mut sorted = order;
        sorted.sort();
        assert_eq!(sorted, (0..4000).collect::<Vec<_>>());
    }
    // Normalized: roughly zero mean, unit std over a batch.
    let batch = loader.epoch(0).next().unwrap().unwrap();
    let v = batch.inputs.to_vec();
    let mean = v.iter().sum::<f32>() / v.len() as f32;
    assert!(mean.abs() < 0.3, "mean {mean}");
}
