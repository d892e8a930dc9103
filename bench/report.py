#!/usr/bin/env python3
"""The one benchmark table: each figure, its aim, the measured median and worst, and the load.

Why a script and not a test: benchmarks print figures, tests never assert on time. This reads what
the benchmarks already wrote (criterion's raw samples under target/criterion, the app benchmark's
table on disk) so the figures in the table are the measurements themselves, not re-typed numbers.

Usage: report.py TARGET_DIR APP_TABLE LOADS_FILE COMMIT [PROFILE]
PROFILE is "release" (default) or "dev" (the test command's build, hot crates at opt-level 2).
"""

import json
import os
import statistics
import sys
from datetime import datetime, timezone

# (figure, aim in ms, where it comes from). "criterion:<full id>" reads target/criterion;
# "app:<row prefix>" reads the app benchmark's table (five runs on the real window).
FIGURES = [
    ("Readiness dashboard, 1,000 children x 10 revisions x 3 photos", 20.0,
     "criterion:dashboard/readiness_1000_children"),
    ("Unlock with the recovery key (no KDF; the raw-key path)", 5.0,
     "criterion:unlock/recovery_key_raw_key_path"),
    ("Import of a 12-megapixel JPEG into the store", 250.0,
     "criterion:photo/import_12mp_jpeg_into_store"),
    ("Render the grab pack, full profile, 3 photos", 15.0,
     "criterion:render_pack/demo child, 3 photos"),
    ("App cold start to an interactive unlock screen (app process start to the screen mounted)", 500.0,
     "app:cold start: app process start"),
    ("  the same from asking WebDriver for a session (incl. starting WebKitWebDriver: an upper bound)",
     500.0, "app:cold start to interactive unlock screen"),
    ("  of which page navigation to the unlock screen mounted", 500.0,
     "app:cold start: page navigation"),
    ("Unlock (passphrase) to the dashboard's first screenful, 1,000 children", 150.0,
     "app:unlock (passphrase) to the dashboard"),
    ("  of which the unlock command (Argon2id of the passphrase, SQLCipher open)", 150.0,
     "app:of which the unlock command"),
    ("  of which the dashboard's first screenful of cards asked for and carried (readiness of all 1,000)",
     150.0, "app:of which the dashboard command"),
    ("    of which the dashboard screen mounted, before it asks", 150.0,
     "app:of which the dashboard screen mounted"),
    ("  of which drawing the first screenful after the data", 150.0,
     "app:of which drawing the first screenful"),
    ("Missing tap to read-out and pack on screen", 80.0,
     "app:tap on Missing to read-out and pack on screen"),
    ("  of which the dashboard taken down and the Missing screen mounted", 80.0,
     "app:of which the dashboard taken down"),
    ("  of which the preview command (pack rendered, read-out) and its answer", 80.0,
     "app:of which the preview command"),
]


def criterion_samples(target, full_id):
    """Per-iteration times (ms) of every sample criterion kept for this benchmark."""
    root = os.path.join(target, "criterion")
    for dirpath, _dirs, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json"), encoding="utf-8") as f:
            if json.load(f).get("full_id") != full_id:
                continue
        with open(os.path.join(dirpath, "sample.json"), encoding="utf-8") as f:
            sample = json.load(f)
        return [t / n / 1e6 for t, n in zip(sample["times"], sample["iters"])]
    return None


def app_rows(path):
    """The app benchmark's rows: name -> (min, median, max) in ms."""
    rows = {}
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 4:
                continue
            try:
                rows[cells[0]] = tuple(float(c) for c in cells[1:])
            except ValueError:
                continue
    return rows


def main():
    target, app_table, loads_file, commit = sys.argv[1:5]
    profile = sys.argv[5] if len(sys.argv) > 5 else "release"
    build = ("release build" if profile == "release" else
             "dev profile: the test command's build, dependencies and the hot crates at opt-level 2")
    app = app_rows(app_table)
    loads = {}
    if os.path.exists(loads_file):
        with open(loads_file, encoding="utf-8") as f:
            for line in f:
                name, _, load = line.rstrip("\n").partition("\t")
                loads[name] = load
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Measured {when} at commit {commit} on {os.cpu_count()} cores ({build}).")
    print()
    print("| figure | aim | median | worst | met | load while it ran (1-min avg, start -> end) |")
    print("|---|---:|---:|---:|:---:|---|")
    missing = 0
    for name, aim, source in FIGURES:
        kind, _, key = source.partition(":")
        median = worst = None
        if kind == "criterion":
            samples = criterion_samples(target, key)
            if samples:
                median, worst = statistics.median(samples), max(samples)
            load = loads.get(key.split("/")[0], "?")
        else:
            for row, (_lo, med, hi) in app.items():
                if row.startswith(key):
                    median, worst = med, hi
                    break
            load = loads.get("app", "?")
        if median is None:
            # A part row is a breakdown; only a figure itself missing fails the report.
            missing += 0 if name.startswith("  ") else 1
            print(f"| {name} | < {aim:g} ms | not measured | | | |")
            continue
        if name.startswith("  "):
            # A part of the figure above: its aim is that figure's, so it is not judged alone.
            print(f"| {name} | (part of the row above) | {median:.1f} ms | {worst:.1f} ms | - | {load} |")
            continue
        met = "yes" if median < aim else "no"
        print(f"| {name} | < {aim:g} ms | {median:.1f} ms | {worst:.1f} ms | {met} | {load} |")
    print()
    print("Median and worst are over criterion's samples (per-iteration time of each sample) for the")
    print("crate benchmarks, and over five runs on the real window (Xvfb, WebKitGTK) for the app rows.")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
