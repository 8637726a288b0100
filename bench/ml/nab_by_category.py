#!/usr/bin/env python3
"""NAB scores per category at the corpus-wide thresholds, with the benchmark's own scorer.

    nab_by_category.py NAB_DIR RESULTS_DIR [DETECTOR]

Runs nab_score.py's sweep over the whole corpus (one threshold per profile, as NAB does), then
sums each category's raw score at that threshold and normalises it within the category
(null = no detection, perfect = every window detected at its start). A category without windows
has no normalised score: its false positives are shown instead.
"""
import csv
import json
import os
import sys

nab_dir, results_dir = sys.argv[1], sys.argv[2]
detector = sys.argv[3] if len(sys.argv) > 3 else "detector"
sys.path.insert(0, nab_dir)
import nab_score as ns  # noqa: E402  (the benchmark's scorer, next to its data)

labels = json.load(open(os.path.join(nab_dir, "labels", "combined_windows.json")))
profiles = json.load(open(os.path.join(nab_dir, "config", "profiles.json")))
infos, scores = [], {}
for rel in sorted(labels):
    with open(os.path.join(nab_dir, "data", rel)) as f:
        times = [ns.parse_time(r[0]) for r in list(csv.reader(f))[1:] if r]
    infos.append(ns.FileInfo(rel, times, labels[rel]))
    category, name = rel.split("/")
    with open(os.path.join(results_dir, category, detector + "_" + name)) as f:
        scores[rel] = [float(r[2]) for r in list(csv.reader(f))[1:] if r]
points, n_windows = ns.build_points(infos, scores)
categories = sorted({rel.split("/")[0] for rel in labels})
rows = {c: {} for c in categories}
for profile in ns.PROFILE_ORDER:
    cost = profiles[profile]["CostMatrix"]
    threshold, _ = ns.sweep(points, n_windows, cost)
    per_file = ns.score_at(points, cost, threshold)
    for c in categories:
        files = [i for i in infos if i.rel.startswith(c + "/")]
        windows = sum(len(i.windows) for i in files)
        raw = sum(per_file[i.rel][0] for i in files)
        fps = sum(per_file[i.rel][3] for i in files)
        if windows:
            null, perfect = -cost["fnWeight"] * windows, cost["tpWeight"] * windows
            rows[c][profile] = "%.1f" % (100 * (raw - null) / (perfect - null))
        else:
            rows[c][profile] = "%d FP" % fps
print("%-24s %6s %9s %9s %9s" % ("category", "files", "standard", "low_FP", "low_FN"))
for c in categories:
    n = sum(1 for rel in labels if rel.startswith(c + "/"))
    print("%-24s %6d %9s %9s %9s" % (c, n, *(rows[c][p] for p in ns.PROFILE_ORDER)))
