//! Renders the demo child's pack (or the extreme child's, with `extreme`) and writes it to the path given.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/common/demo.rs"]
mod demo;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: render_demo OUT.pdf [extreme]");
    let input = if std::env::args().nth(2).as_deref() == Some("extreme") {
        demo::extreme_input(20_000, 60, 40, 0)
    } else {
        demo::demo_missing(3)
    };
    let started = std::time::Instant::now();
    let pack = grabpack_pack::render_pack(&input).unwrap();
    eprintln!(
        "{} bytes, {} pages, {:?}",
        pack.pdf.len(),
        pack.page_count,
        started.elapsed()
    );
    std::fs::write(path, pack.pdf).unwrap();
    print!("{}", grabpack_pack::readout(&input));
}
