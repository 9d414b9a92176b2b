#!/usr/bin/env bash
# vos user add / list / passwd and vos token create / list / revoke: passwords only as
# argon2id hashes outside the audit log, token secrets shown once and stored as SHA-256,
# refusals that change nothing, and the demo's users.
source "$VOS_ROOT/tests/cli/db-helpers.sh"
run 0 init
run 0 account add "Northwind Traders"

# users, with and without a password
printf 'correct horse battery staple\n' > pw.txt
run 0 user add ana@vendor.example --role seller --name "Ana Seller" --password-stdin < pw.txt
[ "$out" = "added user 'ana@vendor.example' (id 1, seller) with a password" ] || { echo "$out"; exit 1; }
run 0 user add nora@northwind.example --role customer --account "Northwind Traders"
[ "$out" = "added user 'nora@northwind.example' (id 2, customer)" ] || { echo "$out"; exit 1; }

before=$(db_state)
run 1 user add ANA@vendor.example --role csm
has "vos user add: user email 'ANA@vendor.example' already exists" "$err"
run 1 user add bo@vendor.example --role csm --password-stdin <<<"too short"
has "a password needs at least 12 characters" "$err"
run 1 user add bo@vendor.example --role csm --password-stdin < /dev/null
has "no password on standard input" "$err"
run 2 user add bo@vendor.example --role king
has "--role must be admin, value_engineer, seller, csm, executive, customer or partner, not 'king'" "$err"
run 2 user add bo@vendor.example
has "--role is required" "$err"
run 2 user add bo@vendor.example --role customer
has "a customer needs --account A" "$err"
run 1 user add bo@vendor.example --role customer --account "Nowhere Inc"
has "account 'Nowhere Inc' does not exist" "$err"
run 1 user add not-an-email --role csm
has "user email 'not-an-email' is not an email address" "$err"
[ "$(db_state)" = "$before" ]

run 0 user list
expected="id  email                   name        role      account            active
 1  ana@vendor.example      Ana Seller  seller                       yes
 2  nora@northwind.example  nora        customer  Northwind Traders  yes"
[ "$out" = "$expected" ] || { diff <(echo "$expected") <(echo "$out"); exit 1; }
run 0 user list --format json
python3 - "$out" <<'PY'
import json, sys
u = json.loads(sys.argv[1])
assert [x["email"] for x in u] == ["ana@vendor.example", "nora@northwind.example"], u
assert u[0]["account"] is None and u[1]["account"] == "Northwind Traders", u
assert u[1]["role"] == "customer" and u[0]["active"] is True, u
PY

# the password is an argon2id hash in its own table, and nowhere in the audit log
hash=$(sqlite3 vos.db "SELECT password_hash FROM credentials WHERE user_id = 1")
case "$hash" in '$argon2id$v=19$m=65536,t=2,p=1$'*) ;; *) echo "hash: $hash"; exit 1 ;; esac
[ "$(sqlite3 vos.db "SELECT count(*) FROM audit_log WHERE instr(coalesce(after_json, ''), 'argon2') OR instr(coalesce(after_json, ''), 'correct horse')")" = 0 ]
[ "$(sqlite3 vos.db "SELECT operation FROM audit_log WHERE entity_type = 'user' AND entity_id = 1 ORDER BY seq")" = "user.add
user.password" ]
run 0 user passwd ANA@vendor.example <<<'a new password of 30 characters'
has "set the password of 'ana@vendor.example'" "$out"
[ "$(sqlite3 vos.db "SELECT password_hash FROM credentials WHERE user_id = 1")" != "$hash" ]
run 1 user passwd nobody@vendor.example <<<'whatever password'
has "no user has the email 'nobody@vendor.example'" "$err"
run 1 user passwd ana@vendor.example <<<'short'
has "at least 12 characters" "$err"

# tokens: the secret on stdout, once; only its SHA-256 is stored
run 0 token create --user ana@vendor.example --name crm-sync
secret=$out
[[ "$secret" =~ ^vos_[A-Za-z0-9_-]{43}$ ]] || { echo "secret: $secret"; exit 1; }
has "created API token 1 'crm-sync' for ana@vendor.example" "$err"
sha=$(printf '%s' "$secret" | sha256sum | cut -d' ' -f1)
[ "$(sqlite3 vos.db "SELECT secret_sha256 || ' ' || prefix FROM api_tokens WHERE id = 1")" = "$sha ${secret:0:8}" ]
[ "$(sqlite3 vos.db "SELECT count(*) FROM audit_log WHERE instr(coalesce(after_json, ''), '$secret')")" = 0 ]
run 1 token create --user ana@vendor.example --name crm-sync
has "is already the name of one of the user's tokens" "$err"
run 1 token create --user nobody@vendor.example --name x
has "no user has the email 'nobody@vendor.example'" "$err"
run 2 token create --user ana@vendor.example
has "--user and --name are required" "$err"
run 0 token create --user nora@northwind.example --name upload

run 0 token list
has "crm-sync" "$out"
has "${secret:0:8}..." "$out"
lacks "$secret" "$out"
run 0 token list --user nora@northwind.example --format json
python3 - "$out" <<'PY'
import json, sys
t = json.loads(sys.argv[1])
assert len(t) == 1 and t[0]["name"] == "upload" and t[0]["user"] == "nora@northwind.example", t
assert t[0]["revoked_at"] is None and t[0]["prefix"].startswith("vos_"), t
PY

run 0 token revoke 1
[ "$out" = "revoked API token 1" ] || { echo "$out"; exit 1; }
run 1 token revoke 1
has "API token 1 ('crm-sync') is already revoked" "$err"
run 1 token revoke 99
has "API token 99 does not exist" "$err"
run 2 token revoke one
run 0 token list --user ana@vendor.example --format json
python3 - "$out" <<'PY'
import json, sys
t = json.loads(sys.argv[1])
assert len(t) == 1 and t[0]["revoked_at"], t
PY
run 0 token create --user ana@vendor.example --name crm-sync   # the name is free again

run 0 audit verify
has "audit chain verified" "$out"
[ "$(sqlite3 vos.db "SELECT group_concat(operation, ' ') FROM (SELECT operation FROM audit_log WHERE entity_type = 'api_token' ORDER BY seq)")" = "token.create token.create token.revoke token.create" ]

# a token changed behind VOS's back is found
sqlite3 vos.db "UPDATE api_tokens SET name = 'renamed' WHERE id = 2"
run 1 audit verify
has "api_token 2 differs from its last audit record" "$out$err"

# help and usage
run 0 user --help
has "passwd EMAIL" "$out"
run 0 user add --help
has "--password-stdin" "$out"
run 0 token create --help
has "shown this once" "$out"
run 2 token frobnicate
has "unknown command 'frobnicate'" "$err"

# the demo's users sign in with the published password (checked against the stored hashes)
(cd "$VOS_ROOT" && "$VOS" demo --db "sqlite:$OLDPWD/demo.db") > demo.out
has "Users (every one signs in with the password vos-demo-password):" "$(cat demo.out)"
has "  partner@vos.demo          partner, owner of Fabrikam Manufacturing" "$(cat demo.out)"
has "  customer@contoso.demo     customer of Contoso Bank" "$(cat demo.out)"
[ "$(sqlite3 demo.db "SELECT group_concat(email || ':' || role, ' ') FROM users")" = "admin@vos.demo:admin engineer@vos.demo:value_engineer seller@vos.demo:seller csm@vos.demo:csm exec@vos.demo:executive partner@vos.demo:partner customer@northwind.demo:customer customer@contoso.demo:customer" ]
[ "$(sqlite3 demo.db "SELECT count(*) FROM credentials")" = 8 ]
sqlite3 demo.db "SELECT password_hash FROM credentials" > hashes.txt
python3 - <<'PY'
# libsodium's own verifier, called from outside VOS
import ctypes, ctypes.util
na = ctypes.CDLL(ctypes.util.find_library("sodium"))
assert na.sodium_init() >= 0
for h in open("hashes.txt").read().split():
    ok = na.crypto_pwhash_str_verify(h.encode(), b"vos-demo-password", 17)
    bad = na.crypto_pwhash_str_verify(h.encode(), b"vos-demo-passwore", 17)
    assert ok == 0 and bad != 0, (h, ok, bad)
PY
[ "$(sqlite3 demo.db "SELECT a.name FROM accounts a JOIN users u ON a.owner_user_id = u.id WHERE u.email = 'partner@vos.demo'")" = "Fabrikam Manufacturing" ]
[ "$(sqlite3 demo.db "SELECT a.name FROM accounts a JOIN users u ON u.account_id = a.id WHERE u.email = 'customer@northwind.demo'")" = "Northwind Traders" ]
[ "$(sqlite3 demo.db "SELECT customer_measurements FROM organisation")" = 1 ]
run 0 audit verify --db sqlite:demo.db
