#!/usr/bin/env bash
# vos assess report: one self-contained HTML file with an inline SVG radar chart of the 15
# dimensions (one axis label each), the scores, the indicators, the progress since the
# assessment before and the roadmap.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 init --name "Vendor Inc"
answers="$VOS_ROOT/tests/data/maturity/answers-2026.yaml"
sed -e 's/taken_at: 2026-01-15/taken_at: 2025-06-30/' -e 's/value_technology: {stage: 2,/value_technology: {stage: 1,/' \
    "$answers" > earlier.yaml
run 0 assess take --answers earlier.yaml
run 0 assess take --answers "$answers"
run 0 user add val@vendor.example --role value_engineer --name "Val Engineer"

run 0 assess report -o report.html --owner val@vendor.example --start 2026-02-01
has "wrote report.html: assessment 2 (2026-01-15), 15 dimensions, roadmap to Progressive with 30 actions" "$out"
python3 - report.html <<'PY'
import re, sys, xml.dom.minidom
html = open(sys.argv[1], encoding="utf-8").read()
assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
# self-contained: no scripts, stylesheets, images or fonts from elsewhere
assert not re.search(r'<(script|link|img|iframe)\b', html), "external resource"
assert not re.search(r'(src|href)=', html), "external reference"
assert "Vendor Inc" in html
svg = html[html.index("<svg"):html.index("</svg>") + 6]
dom = xml.dom.minidom.parseString(svg)          # well-formed
labels = [t for t in dom.getElementsByTagName("text") if t.getAttribute("class") == "axis-label"]
assert len(labels) == 15, len(labels)
names = ["".join(s.firstChild.data + " " for s in t.getElementsByTagName("tspan")).strip() for t in labels]
assert names[0] == "Organizational Prioritization of Customer Value", names
assert names[12] == "Value Technology" and names[14] == "Value Content Integration", names
polys = {p.getAttribute("class"): p for p in dom.getElementsByTagName("polygon") if p.getAttribute("class") != "ring"}
assert set(polys) == {"current", "target", "before"}, polys.keys()
pts = [tuple(map(float, xy.split(","))) for xy in polys["current"].getAttribute("points").split()]
assert len(pts) == 15
# the chart is centred at (400, 300) with an outer ring (stage V) of radius 220: dimension 14
# (value_discovery, axis 13) is at stage V, so its point lies on the outer ring
import math
x, y = pts[13]
assert abs(math.hypot(x - 400, y - 300) - 220) < 0.1, pts[13]
angle = math.degrees(math.atan2(y - 300, x - 400))
assert abs((angle - (-90 + 360 * 13 / 15) + 180) % 360 - 180) < 0.1, angle
# prioritization (axis 0) at stage II: straight up, two fifths of the radius
assert abs(pts[0][0] - 400) < 0.1 and abs(pts[0][1] - (300 - 88)) < 0.1, pts[0]
for text in ["Overall stage: II Emerging", "Progress since 2025-06-30 (assessment 1): overall median 2 &rarr; 2; 1 dimension up, 0 down.",
             "Evidence from usage", "Roadmap to IV Progressive", "Quarter 1 (2026-02-01 to 2026-05-01): I. NASCENT TO II. EMERGING",
             "val@vendor.example", "Business cases in one shared tool", "Customers&#39; Value Experience"]:
    assert text in html, text
PY
run 0 assess report 1 -o - --target III
has "<svg" "$out"
has "Roadmap to III Established" "$out"
lacks "Progress since" "$out"
run 2 assess report
has "-o FILE is required" "$err"
run 3 assess report -o no/such/dir/report.html
has "no/such/dir/report.html" "$err"
