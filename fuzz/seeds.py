#!/usr/bin/env python3
"""Writes the fuzz targets' starting corpora from the repository's own fixtures.

Why from fixtures: the fuzzer finds its way much deeper from real, valid inputs (a child export
that passes the form's rules, photos as phones and apps save them, the protocol document's
examples, the shipped police directory) than from nothing. Every input is fictional. Run from
the repository root: `python3 fuzz/seeds.py`; it writes fuzz/seeds/<target>/ (not committed:
the minimised corpora under fuzz/corpus/ are) for `cargo fuzz cmin` to merge.
"""

import base64
import hashlib
import io
import json
import os
import re

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "seeds")


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def doc_json_blocks(path):
    return re.findall(r"```json\n(.*?)```", read(path).decode(), re.S)


# --- photos: the CLI's test portrait (a generated cartoon), and small variants in each format.
portrait = read("crates/grabpack-cli/tests/fixtures/portrait.jpg")
write("photo_import", "portrait.jpg", portrait)
img = Image.open(io.BytesIO(portrait)).convert("RGB")
small = img.resize((24, 32))


def saved(im, fmt, **kw):
    b = io.BytesIO()
    im.save(b, fmt, **kw)
    return b.getvalue()


small_jpeg = saved(small, "JPEG", quality=70)
write("photo_import", "small.jpg", small_jpeg)
write("photo_import", "small-progressive.jpg", saved(small, "JPEG", progressive=True))
write("photo_import", "small-grey.jpg", saved(small.convert("L"), "JPEG"))
write("photo_import", "small-cmyk.jpg", saved(small.convert("CMYK"), "JPEG"))
write("photo_import", "small.png", saved(small, "PNG"))
write("photo_import", "small-rgba.png", saved(small.convert("RGBA"), "PNG"))
write("photo_import", "small-palette.png", saved(small.convert("P"), "PNG"))
write("photo_import", "small.webp", saved(small, "WEBP", quality=60))
write("photo_import", "small-lossless.webp", saved(small, "WEBP", lossless=True))
exif = Image.Exif()
exif[0x0112] = 6  # orientation: rotate 90
exif[0x0132] = "2026:11:01 10:00:00"
write("photo_import", "small-exif-rotated.jpg", saved(small, "JPEG", exif=exif.tobytes()))
xmp = b"\xff\xe1" + (len(b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta GPS='51.5,-0.1'/>") + 2).to_bytes(2, "big")
xmp += b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta GPS='51.5,-0.1'/>"
write("photo_import", "small-xmp-trailing.jpg", small_jpeg[:2] + xmp + small_jpeg[2:] + b"trailing motion video")
write("photo_import", "heic-brand.bin", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")

# --- child records: each child of the demo store (the UI fixture written from the Rust demo).
demo = json.loads(read("ui/tests/fixtures/demo.json"))
photo_b64 = base64.b64encode(small_jpeg).decode()
for i, (cid, child) in enumerate(sorted(demo["children"].items())):
    doc = {
        "format": "grabpack.child",
        "version": 1,
        "exported_at": "2026-11-28T10:00:00Z",
        "child": {"source_id": cid, "form": child["form"], "photos": []},
    }
    write("interchange_import", f"demo-child-{i}.json", json.dumps(doc, indent=2))
    if i == 0:
        doc["child"]["photos"] = [
            {"kind": "face", "taken_on": "2026-11-01", "added_at": "2026-11-02T09:00:00Z",
             "jpeg_base64": photo_b64},
            {"kind": "full_length", "added_at": "2026-11-02T09:00:00Z", "jpeg_base64": photo_b64},
        ]
        write("interchange_import", "demo-child-photos.json", json.dumps(doc))
write("interchange_import", "empty-form.json",
      '{"format":"grabpack.child","version":1,"exported_at":"2026-11-28T10:00:00Z","child":{"form":{}}}')
write("interchange_import", "newer-version.json", '{"format":"grabpack.child","version":2}')

# --- the intake: the protocol document's manifest in a multipart body around a small "PDF".
blocks = doc_json_blocks("docs/intake-protocol.md")
manifest = json.loads(blocks[0])
pdf = b"%PDF-1.7\n% fictional grab pack for fuzzing\n%%EOF\n"
manifest["pdf_sha256"] = hashlib.sha256(pdf).hexdigest()
manifest["pdf_bytes"] = len(pdf)
B = b"fuzz-boundary"


def part(name, ctype, body, filename=None):
    disp = b'Content-Disposition: form-data; name="' + name + b'"'
    if filename:
        disp += b'; filename="' + filename + b'"'
    return b"--" + B + b"\r\n" + disp + b"\r\nContent-Type: " + ctype + b"\r\n\r\n" + body + b"\r\n"


m = json.dumps(manifest).encode()
mp = part(b"manifest", b"application/json", m)
pp = part(b"pack", b"application/pdf", pdf, b"grab-pack.pdf")
end = b"--" + B + b"--\r\n"
for cut in (255, 7, 1):
    write("intake_upload", f"doc-example-cut{cut}.bin", bytes([cut]) + mp + pp + end)
write("intake_upload", "pack-first.bin", bytes([64]) + pp + mp + end)
write("intake_upload", "no-episode.bin",
      bytes([255]) + part(b"manifest", b"application/json",
                          json.dumps(dict(manifest, episode_id=None)).encode()) + pp + end)
write("intake_upload", "cut-short.bin", bytes([255]) + mp + pp[:40])

# --- the acknowledgement feed: the document's example, a refusal, an empty page.
ack_page = json.loads(blocks[2])
write("ack_feed", "doc-example.json", json.dumps(ack_page, indent=2))
refusal = dict(ack_page["acknowledgements"][0], cursor="18", status="not_accepted",
               police_reference=None, risk_grading=None, note=None,
               reason="Child already found by the time the pack arrived.", episode_id=None)
write("ack_feed", "refusal.json",
      json.dumps({"acknowledgements": [ack_page["acknowledgements"][0], refusal], "next_cursor": "18"}))
write("ack_feed", "empty.json", '{"acknowledgements":[],"next_cursor":"0"}')

# --- the police directory: the shipped file, and a short one (a force and one of its BCUs).
shipped = read("assets/police/directory.json")
write("police_directory", "shipped.json", shipped)
d = json.loads(shipped)
bcu = next(u for u in d["units"] if u.get("kind") == "bcu")
force = next(u for u in d["units"] if u["id"] == bcu.get("parent"))
write("police_directory", "force-and-bcu.json",
      json.dumps({"schema": d["schema"], "units": [force, bcu]}))
