#!/usr/bin/env bash
# Every bad request gets one {"error": "line N: ..."} line naming what is wrong, the good
# lines around it are still answered, and the exit status is 0.
set -euo pipefail

cat > requests.jsonl <<'JSONL'
{"fn": "roi", "args": {"benefits": 150, "costs": 100}}
{"fn": "roi", "args": {"benefits": 150, "costs": 0}}
{"fn": "irr", "args": {"values": [1, 2, 3]}}
{"fn": "mirr", "args": {"values": [-1, -2], "finance_rate": 0.1, "reinvest_rate": 0.1}}
{"fn": "pmt", "args": {"rate": 0.1, "nper": 0, "pv": 100}}
{"fn": "pmt", "args": {"rate": 0.1, "nper": 10, "pv": 100, "type": 2}}
{"fn": "pv", "args": {"rate": -1, "nper": 10, "pmt": 100}}
{"fn": "npv", "args": {"rate": -1, "values": [1, 2]}}
{"fn": "payback", "args": {"values": [-1000, 300, 400]}}
{"fn": "xirr", "args": {"values": [-1, 2], "dates": ["2008-01-01", "2007-12-31"]}}
{"fn": "xnpv", "args": {"rate": 0.1, "values": [-1, 2], "dates": ["2008-01-01", "2025-02-29"]}}
{"fn": "xnpv", "args": {"rate": 0.1, "values": [-1, 2], "dates": ["2008-01-01", 20080102]}}
{"fn": "xnpv", "args": {"rate": 0.1, "values": [-1, 2, 3], "dates": ["2008-01-01", "2008-02-01"]}}
{"fn": "npv", "args": {"rate": "0.1", "values": [1]}}
{"fn": "npv", "args": {"rate": 0.1, "values": [1, "2"]}}
{"fn": "npv", "args": {"rate": 0.1, "values": 5}}
{"fn": "npv", "args": {"rate": 0.1, "values": []}}
{"fn": "npv", "args": {"values": [1]}}
{"fn": "npv", "args": {"rate": 0.1, "values": [1], "guess": 0.2}}
{"fn": "npv", "args": {"rate": 0.1, "values": [1]}, "id": 7}
{"fn": "median", "args": {}}
{"fn": 3, "args": {}}
{"args": {}}
{"fn": "npv"}
{"fn": "npv", "args": [0.1, [1]]}
{"fn": "npv", "args": {"rate": 0.1,
[1, 2]
   
{"fn": "roi", "args": {"benefits": 2, "costs": 1}}
JSONL

cat > expected.jsonl <<'JSONL'
{"value": 0.5}
{"error": "line 2: ROI: costs are 0, so the return is undefined"}
{"error": "line 3: IRR needs at least one positive and one negative value"}
{"error": "line 4: MIRR needs at least one positive and one negative value"}
{"error": "line 5: PMT: nper must not be 0"}
{"error": "line 6: pmt: argument 'type' must be 0 (end of period) or 1 (start)"}
{"error": "line 7: PV: rate must be greater than -1 (-100%)"}
{"error": "line 8: NPV: a rate of -1 (-100%) divides by zero"}
{"error": "line 9: PAYBACK: the cumulative cash flow never turns non-negative"}
{"error": "line 10: XIRR: dates[1] is before the first date dates[0]"}
{"error": "line 11: xnpv: argument 'dates' item 1: date \"2025-02-29\" does not exist"}
{"error": "line 12: xnpv: argument 'dates' must be an array of \"YYYY-MM-DD\" strings (item 1 is not a string)"}
{"error": "line 13: xnpv: 'values' has 3 items but 'dates' has 2"}
{"error": "line 14: npv: argument 'rate' must be a number"}
{"error": "line 15: npv: argument 'values' must be an array of numbers (item 1 is not)"}
{"error": "line 16: npv: argument 'values' must be an array of numbers"}
{"error": "line 17: NPV: values is empty"}
{"error": "line 18: npv: missing argument 'rate'"}
{"error": "line 19: npv: unknown argument 'guess'"}
{"error": "line 20: unknown key 'id' (a request has \"fn\" and \"args\")"}
{"error": "line 21: unknown function 'median' (see vos finance --help)"}
{"error": "line 22: \"fn\" must be a string"}
{"error": "line 23: missing \"fn\""}
{"error": "line 24: npv: missing \"args\""}
{"error": "line 25: npv: \"args\" must be an object"}
{"error": "line 26: invalid JSON: (parser message)"}
{"error": "line 27: a request must be a JSON object {\"fn\": ..., \"args\": {...}}"}
{"value": 1}
JSONL

status=0
"$VOS" finance < requests.jsonl > got.jsonl || status=$?
# The parser's own wording after "invalid JSON: " belongs to jansson, not to this test.
sed -i 's/\(invalid JSON: \).*"}$/\1(parser message)"}/' got.jsonl
diff -u expected.jsonl got.jsonl
[ "$status" -eq 0 ] || { echo "exit status $status, want 0"; exit 1; }
