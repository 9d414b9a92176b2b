#!/usr/bin/env bash
# `vos finance` answers each request line with the exact value.  Requests reproduce the
# worked examples of Microsoft's Excel documentation (NPV, IRR, XNPV, XIRR, MIRR, FV) and
# the expected text is the correctly rounded value of each definition (60-digit decimal
# evaluation), e.g. NPV 1188.44 and XIRR 0.373362535 in Excel's display.
set -euo pipefail

cat > requests.jsonl <<'JSONL'
{"fn": "npv", "args": {"rate": 0.1, "values": [-10000, 3000, 4200, 6800]}}
{"fn": "npv_t0", "args": {"rate": 0.1, "values": [-10000, 3000, 4200, 6800]}}
{"fn": "irr", "args": {"values": [-70000, 12000, 15000, 18000, 21000, 26000]}}
{"fn": "irr", "args": {"values": [-70000, 12000, 15000], "guess": -0.1}}
{"fn": "xnpv", "args": {"rate": 0.09, "values": [-10000, 2750, 4250, 3250, 2750], "dates": ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]}}
{"fn": "xirr", "args": {"values": [-10000, 2750, 4250, 3250, 2750], "dates": ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"], "guess": null}}
{"fn": "mirr", "args": {"values": [-120000, 39000, 30000, 21000, 37000, 46000], "finance_rate": 0.1, "reinvest_rate": 0.12}}

{"fn": "pmt", "args": {"rate": 0.005, "nper": 360, "pv": 200000}}
{"fn": "pmt", "args": {"rate": 0, "nper": 10, "pv": 1000, "fv": 500, "type": 1}}
{"fn": "pv", "args": {"rate": 0.01, "nper": 12, "pmt": -1000}}
{"fn": "fv", "args": {"rate": 0.01, "nper": 12, "pmt": -1000}}
{"fn": "fv", "args": {"rate": 0.005, "nper": 10, "pmt": -200, "pv": -500, "type": 1}}
{"fn": "payback", "args": {"values": [-1000, 300, 400, 500]}}
{"fn": "discounted_payback", "args": {"rate": 0.1, "values": [-1000, 300, 400, 500, 600]}}
{"fn": "roi", "args": {"benefits": 150000, "costs": 40000}}
JSONL

cat > expected.jsonl <<'JSONL'
{"value": 1188.4434123352228}
{"value": 1307.287753568745}
{"value": 0.08663094803653161}
{"value": -0.44350694133474056}
{"value": 2086.6476020315367}
{"value": 0.37336253351883153}
{"value": 0.12609413036590514}
{"value": -1199.1010503055047}
{"value": -150}
{"value": 11255.07747348463}
{"value": 12682.503013196972}
{"value": 2581.403374060179}
{"value": 2.6}
{"value": 3.0513333333333335}
{"value": 2.75}
JSONL

"$VOS" finance < requests.jsonl > got.jsonl
diff -u expected.jsonl got.jsonl
