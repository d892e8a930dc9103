//! Shared helpers for the pack's tests: running the real PDF tools and the fictional test names.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

use grabpack_pack::PackFont;

/// Fictional names, one per script the pack must print correctly (every script of
/// `assets/fonts/scripts.json`; a test holds the two together), with the font each must be set in.
pub const TEST_NAMES: &[(&str, &str, PackFont)] = &[
    (
        "Polish and Czech (Latin with diacritics)",
        "Łukasz Dvořák",
        PackFont::Latin,
    ),
    ("Vietnamese", "Nguyễn Thị Minh Khai", PackFont::Latin),
    ("Greek", "Ελένη Παπαδοπούλου", PackFont::Latin),
    ("Cyrillic", "Дмитрий Иванов", PackFont::Latin),
    ("Arabic", "محمد عبدالله", PackFont::Arabic),
    ("Urdu", "عائشہ خان", PackFont::Arabic),
    ("Bengali", "রহিম চৌধুরী", PackFont::Bengali),
    ("Gurmukhi", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", PackFont::Gurmukhi),
    ("Gujarati", "પ્રિયા પટેલ", PackFont::Gujarati),
    ("Devanagari", "अनन्या शर्मा", PackFont::Devanagari),
    ("Tamil", "கவின் குமார்", PackFont::Tamil),
    ("Hebrew", "יוסף כהן", PackFont::Hebrew),
    ("Thai", "สมชาย ใจดี", PackFont::Thai),
    ("Tigrinya (Ethiopic)", "ሰላም ተስፋይ", PackFont::Ethiopic),
    ("Chinese", "王小明", PackFont::Chinese),
    ("Japanese", "さくら", PackFont::Chinese),
    (
        "Romanian and Turkish (Latin)",
        "Ștefan Öztürk",
        PackFont::Latin,
    ),
    ("Korean (Hangul)", "김민준", PackFont::Korean),
    ("Telugu", "శ్రీనివాస్ రెడ్డి", PackFont::Telugu),
    ("Malayalam", "അനു മാത്യു", PackFont::Malayalam),
    ("Kannada", "ಸುರೇಶ್ ಗೌಡ", PackFont::Kannada),
    ("Sinhala", "නිමල් පෙරේරා", PackFont::Sinhala),
    ("Odia", "ସୁଭଶ୍ରୀ ମହାନ୍ତି", PackFont::Odia),
    ("Dhivehi (Thaana)", "އަޙްމަދު ރަޝީދު", PackFont::Thaana),
    ("Lao", "ສົມພອນ ແກ້ວມະນີ", PackFont::Lao),
    ("Khmer", "សុខ ចាន់", PackFont::Khmer),
    ("Burmese (Myanmar)", "အောင်ကျော်မင်း", PackFont::Myanmar),
    ("Georgian", "ნინო ბერიძე", PackFont::Georgian),
    ("Armenian", "Արամ Պետրոսյան", PackFont::Armenian),
];

/// Known limit of poppler, not of the pack: pdftotext reassembles right-to-left text by glyph position
/// and puts Thaana's vowel marks (one on every consonant) in the wrong order. The PDF maps every glyph
/// to the right character and the read-out has the name exactly; for these scripts the extraction tests
/// ask only that every character comes out ([`assert_every_character_extracts`]).
pub const POPPLER_REORDERS_MARKS: &[&str] = &["Dhivehi (Thaana)"];

/// Every character of `name` is somewhere in the extracted `text`.
pub fn assert_every_character_extracts(script: &str, name: &str, text: &str) {
    for ch in name.chars().filter(|c| !c.is_whitespace()) {
        assert!(text.contains(ch), "{script}: {ch} not extracted:\n{text}");
    }
}

/// A real Japanese surname character (𠮷, the "tsuchi-yoshi" of some Yoshida families, CJK Extension B)
/// that no vendored font has: the pack must name it on the page rather than draw a silent "�".
pub const UNDRAWABLE_NAME: &str = "𠮷田 さくら";

/// Which Debian package provides each tool the tests run.
fn package_of(tool: &str) -> &'static str {
    match tool {
        "qpdf" => "qpdf",
        "hb-shape" => "libharfbuzz-bin",
        "pdftoppm" | "pdftotext" | "pdffonts" | "pdfinfo" | "pdfimages" => "poppler-utils",
        _ => "the package that provides it",
    }
}

/// Runs `tool` with `args`, feeding `stdin`; fails the test (never skips it) when the tool is missing.
pub fn run_tool(tool: &str, args: &[&str], stdin: &[u8]) -> (bool, Vec<u8>, String) {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("`{tool}` could not be run ({e}): install the Debian package `{}` (apt-get install {})", package_of(tool), package_of(tool))
        });
    {
        let mut input = child.stdin.take().unwrap();
        // A tool that does not read stdin closes it early; that is fine.
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes a (fictional) test PDF to a temporary file for tools that need to seek in it.
pub fn temp_pdf(pdf: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    file.write_all(pdf).unwrap();
    file.flush().unwrap();
    file
}

/// Runs `tool` with `args` and then the path of `pdf` written to a temporary file.
pub fn run_on_pdf(tool: &str, args: &[&str], pdf: &[u8]) -> (bool, Vec<u8>, String) {
    let file = temp_pdf(pdf);
    let path = file.path().to_str().unwrap().to_owned();
    let mut all: Vec<&str> = args.to_vec();
    all.push(&path);
    run_tool(tool, &all, b"")
}

/// `qpdf --check` passes, with no warnings.
pub fn assert_qpdf_accepts(pdf: &[u8]) {
    let (ok, stdout, stderr) = run_on_pdf("qpdf", &["--check"], pdf);
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(ok, "qpdf --check failed:\n{stdout}\n{stderr}");
    assert!(
        !stdout.contains("WARNING"),
        "qpdf --check warned:\n{stdout}"
    );
}

/// The text of a PDF as `pdftotext` extracts it, pages separated by form feeds.
pub fn pdftotext(pdf: &[u8], extra: &[&str]) -> String {
    let file = temp_pdf(pdf);
    let path = file.path().to_str().unwrap().to_owned();
    let mut args: Vec<&str> = extra.to_vec();
    args.extend(["-enc", "UTF-8", &path, "-"]);
    let (ok, stdout, stderr) = run_tool("pdftotext", &args, b"");
    assert!(ok, "pdftotext failed: {stderr}");
    String::from_utf8(stdout).unwrap()
}

/// Collapses every run of whitespace to one space.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pdfinfo`'s page count.
pub fn page_count(pdf: &[u8]) -> usize {
    let (ok, stdout, stderr) = run_on_pdf("pdfinfo", &[], pdf);
    assert!(ok, "pdfinfo failed: {stderr}");
    let text = String::from_utf8_lossy(&stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo printed no page count")
}

/// A JPEG of `w` x `h` pixels with a colour gradient (a stand-in for a photo).
pub fn test_jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 140])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .unwrap();
    out
}
