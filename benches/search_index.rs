//! Building the search index of a planned site and serialising it to the
//! files the build writes (`search/*.json` shards).
//!
//!     cargo bench --bench search_index
//!
//! Sites: the example handbook in content/, plus a generated 105-page
//! handbook when ../shared/bench/gen_handbook.py is there (see
//! benches/common/mod.rs). Setup (load, recognise, plan) is not timed.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn search_index(c: &mut Criterion) {
    let mut group = c.benchmark_group("search_index");
    for p in common::sites() {
        group.bench_function(format!("build/{}", p.name), |b| {
            b.iter(|| black_box(rungs::search_index(&p.handbook, &p.docs, &p.site)))
        });
        let index = rungs::search_index(&p.handbook, &p.docs, &p.site);
        group.bench_function(format!("files/{}", p.name), |b| {
            b.iter(|| black_box(black_box(&index).files()))
        });
    }
    group.finish();
}

criterion_group!(benches, search_index);
criterion_main!(benches);
