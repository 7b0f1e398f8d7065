//! Recognising one document of each seed shape (heading ladder, matrix
//! table, skill document). Goal: under 5 ms per seed.
//!
//!     cargo bench --bench recognise
//!
//! Reads ../shared/seeds; without it, the original example handbook in
//! content/ is used instead.

use criterion::{criterion_group, criterion_main, Criterion};
use rungs::diagnostics::Diagnostics;
use std::hint::black_box;
use std::path::PathBuf;

fn docs() -> Vec<rungs::source::SourceDoc> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let seeds = root.join("../shared/seeds");
    let path = if seeds.is_dir() { seeds } else { root };
    rungs::load(&rungs::BuildOptions {
        path,
        ..Default::default()
    })
    .expect("load")
    .docs
}

fn recognise(c: &mut Criterion) {
    let docs = docs();
    let mut group = c.benchmark_group("recognise");
    for doc in &docs {
        group.bench_function(doc.rel.as_ref(), |b| {
            b.iter(|| {
                let mut diags = Diagnostics::default();
                black_box(rungs::ladder::recognise_doc(black_box(doc), &mut diags))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, recognise);
criterion_main!(benches);
