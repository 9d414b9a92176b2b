#!/usr/bin/env bash
# A bad answers file is refused with every problem at its FILE:LINE:COL and nothing is saved;
# take without a file needs a terminal (or --interactive, which asks dimension by dimension).
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 init
cat > bad.yaml <<'YAML'
taken_at: 2026-01-15
colour: blue
answers:
  prioritization: 2
  process_maturity: 7
  organizational_capbility: 1
  value_narrative: {stage: 2, confidence: high}
  value_narrative: 3
  nonsense_dimension: 2
YAML
before=$(db_state)
run 1 assess take --answers bad.yaml
expected="bad.yaml:2:1: error: unknown key 'colour' (blueprint, taken_at, target_stage, notes, answers)
bad.yaml:3:1: error: 12 dimensions are not answered: organizational_capability, executive_sponsorship, partners, targeting, engagement_timing, discussion_lead, customer_experience, content_creation, organizational_support, value_technology, value_discovery, content_integration
bad.yaml:5:21: error: the stage of 'process_maturity' must be a stage 1 to 5 (or I..V, or a stage name), not '7'
bad.yaml:6:3: error: 'organizational_capbility' is not a dimension of the blueprint; did you mean 'organizational_capability'?
bad.yaml:7:31: error: 'value_narrative': unknown key 'confidence' (stage, evidence)
bad.yaml:8:3: error: dimension 'value_narrative' is answered twice (first on line 7)
bad.yaml:9:3: error: 'nonsense_dimension' is not a dimension of the blueprint (the keys are prioritization, process_maturity, organizational_capability, value_narrative, executive_sponsorship, partners, targeting, engagement_timing, discussion_lead, customer_experience, content_creation, organizational_support, value_technology, value_discovery, content_integration)
vos assess take: bad.yaml: the answers file has errors; nothing was saved"
[ "$err" = "$expected" ] || { diff <(echo "$expected") <(echo "$err"); exit 1; }
[ "$(db_state)" = "$before" ]

printf 'answers: [1, 2\n' > broken.yaml
run 1 assess take --answers broken.yaml
has "broken.yaml:2:1: error: YAML syntax:" "$err"
# a well-formed file the app refuses (a date in the future): nothing saved either
sed -e 's/taken_at: 2026-01-15/taken_at: 2999-01-01/' "$VOS_ROOT/tests/data/maturity/answers-2026.yaml" > future.yaml
run 1 assess take --answers future.yaml
has "vos assess take: assessment taken_at 2999-01-01 is in the future" "$err"
run 1 assess take --answers "$VOS_ROOT/tests/data/maturity/answers-2026.yaml" --date 2026-02-31
has "taken_at '2026-02-31' is not a date" "$err"
run 2 assess take --answers "$VOS_ROOT/tests/data/maturity/answers-2026.yaml" --target-stage 6
has "--target-stage must be a stage 1 to 5, not '6'" "$err"
run 3 assess take --answers missing.yaml
has "missing.yaml" "$err"
[ "$(db_state)" = "$before" ]

# no file and no terminal
run 2 assess take < /dev/null
has "give the answers with --answers FILE" "$err"
run 2 assess take --answers x.yaml --interactive
run 2 assess frobnicate
has "unknown command 'frobnicate'" "$err"
run 0 assess --help
has "roadmap [ID]" "$out"
for sub in blueprint take show history roadmap report; do
  run 0 assess $sub --help
  has "usage: vos assess $sub" "$out"
done

# the prompts: a bad stage is asked again, q stops without saving, all 15 answered saves
run 1 assess take --interactive <<<$'2\n\nseven\nq'
has "'seven' is not a stage: answer with a number from 1 to 5." "$out"
has "[2/15] Value Management Process Maturity" "$out"
has "stopped; nothing was saved" "$err"
run 1 assess take --interactive <<<$'2\n'
has "the input ended before every dimension was answered; nothing was saved" "$err"
[ "$(db_state)" = "$before" ]
input=$(for i in $(seq 1 15); do if [ "$i" = 13 ]; then echo IV; echo "Telemetry-fed platform"; else echo 3; echo; fi; done)
run 0 assess take --interactive --date 2026-01-01 <<<"$input"
has "== Value Tools & Resources ==" "$out"
has "  5  V Leading Edge   Value assets comprise a continuous record across entire account lifecycle," "$out"
has "recorded assessment 1 (2026-01-01)" "$out"
has "Overall: III Established (median 3, mean 3.07, spread 1: III Established to IV Progressive); target IV Progressive" "$out"
has "Telemetry-fed platform" "$out"
run 0 audit verify
