#!/usr/bin/env python3
"""Writes the seed corpora, fuzz/corpus/<target>/seed-*, from the project's own inputs: the
command lines the tests send (tests/*.rs), the catalogue files (config/demo, the tests' CSV),
the scanner recordings (tests/fixtures/scanner), the in-store patterns and labels of the tests,
and signatures, forms and bodies made the way the till and Payconiq make them.

Run from anywhere: `python3 fuzz/make_seeds.py`. It only adds or rewrites `seed-*` files; the
inputs the fuzzer found (and `cargo fuzz cmin` kept) stay. The Payconiq seeds "as received"
need the `cryptography` package (they are skipped without it: the target signs its "signed"
seeds itself).
"""

import base64
import hashlib
import hmac
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data)


# --- headless_command: the lines the tests send, and the protocol's examples ----------------
VERBS = ("login|logout|scan|qty|void|withdraw|account|pay|accept|cancel|status|reprint|drawer|"
         "report|discount|price|approve|refund|refund_qty|refund_commit|refund_cancel|lang|quit")
lines = set()
for f in sorted((ROOT / "tests").glob("*.rs")):
    for m in re.finditer(r'"((?:%s)(?: [^"\\{}]*)?)"' % VERBS, f.read_text()):
        lines.add(m.group(1))
lines |= {"# a comment", "  scan   1234  ", "LOGIN 14 1414", "exit", "refund till-2/12",
          "refund 0190c0de-aaaa-7bbb-8ccc-123456789abc", "pay sub cash 20,00", "lang nl",
          "price 1 0,99 abîmé", "discount 1 12,5%", "discount basket off"}
for i, line in enumerate(sorted(lines)):
    write("headless_command", f"{i:03}", line)

# --- catalog_csv ------------------------------------------------------------------------------
HEADER = "code,barcode,name,price,vat_rate\n"
write("catalog_csv", "demo", (ROOT / "config/demo/catalog.csv").read_bytes())
write("catalog_csv", "bom-quotes",
      "\ufeffcode,barcode,name,price,vat_rate\n0000,4829105637487,Café,\"2,50\",6\n"
      "42,,\"Tarte, aux \"\"pommes\"\"\",3.1,21\n")
write("catalog_csv", "upc-and-blank-lines",
      HEADER + "1,036000291452,Lait,1.05,6\n\n2,96385074,Sel,0.80,21\n\r\n3,,Eau,0.5,0\n")
for i, price in enumerate(["abc", "-1.00", "1.234", "\"12,345\"", "", "1 000", "€2.00", "1e2",
                           "+1", "1000000.01", "99999999999999999999"]):
    write("catalog_csv", f"bad-price-{i}",
          HEADER + "7777,,Gaufre,2.00,6\n1234,1946753214860,Pain au chocolat,9.99,6\n"
          f"8888,,Brioche,{price},6\n")
write("catalog_csv", "duplicates",
      HEADER + "1,1946753214860,A,1,6\n2,1946753214860,B,1,6\n1,,C,1,6\n")
write("catalog_csv", "broken-quote", HEADER + "1,,\"A,1.00,6\n2,,B,1.00,6\n")
write("catalog_csv", "short-row", HEADER + "1,,A,1.00\n")
write("catalog_csv", "control-name", HEADER + "1,,\"\x01 Pain\",1.00,6\n")


# --- scanner_keys -----------------------------------------------------------------------------
LAYOUTS = ["us", "be", "fr"]
SUFFIXES = ["enter", "tab", "none"]


def settings(mode, layout="us", suffix="enter", max_gap_ms=200):
    return bytes([mode + 3 * LAYOUTS.index(layout) + 9 * SUFFIXES.index(suffix), 0,
                  max(0, min(255, max_gap_ms - 50))])


for f in sorted((ROOT / "tests/fixtures/scanner").glob("*.evtest")):
    text = f.read_text()
    layout = re.search(r"# layout: (\w+)", text)
    suffix = re.search(r"# suffix: (\w+)", text)
    gap = re.search(r"# max_gap_ms: (\d+)", text)
    head = settings(2, layout.group(1) if layout else "us", suffix.group(1) if suffix else "enter",
                    int(gap.group(1)) if gap else 200)
    body = text.encode()
    if len(body) > 12000:  # keep seeds small: cut at a line end
        body = body[:body.rindex(b"\n", 0, 12000) + 1]
    write("scanner_keys", f"evtest-{f.stem}", head + body)
# Mode 0: raw events (time step ms, code, type, value): "19" then Enter, on a US scanner.
raw = b""
for code in (2, 10, 28):  # KEY_1, KEY_9, KEY_ENTER
    raw += bytes([1, code, 0, 1]) + bytes([0, 0, 1, 0]) + bytes([1, code, 0, 0]) + bytes([0, 0, 1, 0])
write("scanner_keys", "raw-19-enter", settings(0) + raw)
write("scanner_keys", "raw-gap", settings(0, suffix="none") + raw[:32] + bytes([250, 3, 0, 1]))
# Mode 1: codes typed as a scanner types them.
write("scanner_keys", "typed-ean-us", settings(1) + b"1946753214860")
write("scanner_keys", "typed-ean-be", settings(1, "be") + b"4829105637487")
write("scanner_keys", "typed-letters-caps", bytes([1, 0, 4]) + b"\x0a\x25\x3f\x01")
write("scanner_keys", "typed-keypad-tab", bytes([1 + 9, 0, 1]) + b"96385074")


# --- instore_label ----------------------------------------------------------------------------
def ean(data):
    s = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data)))
    return data + str((10 - s % 10) % 10)


for name, pattern, code in [
    ("price", "2PPPPPCVVVVVK", ean("201234614685")),
    ("price-bad-check", "2PPPPPCVVVVVK", ean("201234714685")),
    ("weight", "28PPPPPWWWWWK, 2PPPPPCVVVVVK", ean("280004200532")),
    ("decimals", "28PPPPPWWWWWK, 29PPPPPVVVV.VK", ean("290004201234")),
    ("kg", "2PPPPPXWWW.WWK", ean("212345901250")),
    ("zero", "2PPPPPXVVVVVK", ean("201234000000")),
    ("upc", "02PPPPPVVVVVK", ean("020004201234")),
    ("upc-12", "2PPPPPCVVVVK", ean("20123461468")),
    ("not-a-label", "2PPPPPCVVVVVK", "1946753214860"),
    ("bad-pattern", "PPPPPPPVVVVVK", ean("201234614685")),
]:
    write("instore_label", name, f"{pattern}\n{code}")

# --- confirm_form -----------------------------------------------------------------------------
KEY = b"the server's csrf key, fixed for the fuzzer"
TOKEN = "5a0c3f1d9b7e4c2a8f6d0b1e3c5a7f9d2b4e6c8a0f1d3b5e7c9a2f4d6b8e0c1a"
csrf = hmac.new(KEY, f"csrf:{TOKEN}".encode(), hashlib.sha256).hexdigest()
for name, origin, body in [
    ("good", "", f"csrf={csrf}&amount_cents=370"),
    ("same-origin", "http://127.0.0.1:8080", f"amount_cents=370&csrf={csrf}"),
    ("null-origin", "null", f"csrf={csrf.upper()}&amount_cents=1620"),
    ("foreign", "https://evil.example", f"csrf={csrf}&amount_cents=370"),
    ("stale-token", "", "csrf=00&amount_cents=370"),
    ("tampered", "", f"csrf={csrf}&amount_cents=1"),
    ("encoded", "", f"csrf=%{csrf[:2]}{csrf[2:]}&amount_cents=%2B370&extra=x"),
    ("twice", "", f"csrf={csrf}&csrf={csrf}&amount_cents=370"),
]:
    write("confirm_form", name, f"{origin}\n{body}")

# --- intent_json ------------------------------------------------------------------------------
intent = {"intent_id": "0190c0de-aaaa-7bbb-8ccc-123456789abc", "amount_cents": 370,
          "account": "main", "seller": "Khadija", "shop_name": "KACHING",
          "lines": [{"name": "Pain au chocolat", "qty": 1, "total_cents": 120},
                    {"name": "Café", "qty": 1, "total_cents": 250}]}
write("intent_json", "intent", json.dumps(intent, ensure_ascii=False))
write("intent_json", "intent-urn", json.dumps(
    dict(intent, intent_id="urn:uuid:0190C0DE-AAAA-7BBB-8CCC-123456789ABC", account="sub",
         seller=" Khadija ")))
write("intent_json", "intent-mismatch", json.dumps(dict(intent, amount_cents=1)))
write("intent_json", "intent-control", json.dumps(dict(intent, seller="a\u0007")))
write("intent_json", "refund", json.dumps(
    {"refund_id": "0190c0de-bbbb-7bbb-8ccc-123456789abc", "amount_cents": 120,
     "description": " Retour ticket 12 "}))

# --- signature_header -------------------------------------------------------------------------
NOW = 1_767_000_000
SECRETS = [b"till-1 current secret", b"till-1 previous secret"]


def signature(secret, t, body, method="POST", path="/api/v1/intents"):
    msg = f"{t}.{method}.{path}.".encode() + body
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()


body = json.dumps(intent).encode()
good = signature(SECRETS[0], NOW, body)
old = signature(SECRETS[1], NOW - 20, body)
for name, header in [
    ("good", f"t={NOW},v1={good}"),
    ("rotation", f"t={NOW - 20},v1={signature(b'new', NOW - 20, body)},v1={old}"),
    ("spaces", f" t={NOW} , v1={good.upper()} "),
    ("stale", f"t={NOW - 301},v1={signature(SECRETS[0], NOW - 301, body)}"),
    ("min-t", f"t=-9223372036854775808,v1=00"),
    ("five", f"t={NOW}," + ",".join([f"v1={good}"] * 5)),
    ("two-t", f"t=1,t={NOW},v1={good}"),
]:
    write("signature_header", name, header.encode() + b"\n" + body)

# --- payconiq_callback ------------------------------------------------------------------------
CALLBACK = "https://pay.example.be/api/v1/providers/payconiq/callback"
PROFILE = "5fdb1b1b0000000000000000"
jws_header = {"alg": "ES256", "kid": "fuzz-es256", "typ": "jose+json",
              "crit": ["https://payconiq.com/iss", "https://payconiq.com/iat",
                       "https://payconiq.com/jti", "https://payconiq.com/path",
                       "https://payconiq.com/sub"],
              "https://payconiq.com/iss": "Payconiq",
              "https://payconiq.com/iat": "2026-12-02T09:58:30.000Z",
              "https://payconiq.com/jti": "jti-0190c0de-0001",
              "https://payconiq.com/path": CALLBACK, "https://payconiq.com/sub": PROFILE}
payment = {"paymentId": "pq-123", "status": "SUCCEEDED", "amount": 1620, "currency": "EUR",
           "reference": "0190c0de-aaaa", "createdAt": "2026-12-02T10:00:00Z"}
pbody = json.dumps(payment).encode()
variants = [("good", jws_header, pbody),
            ("pending", jws_header, json.dumps(dict(payment, status="PENDING")).encode()),
            ("hs256", dict(jws_header, alg="HS256", kid="fuzz-oct"), pbody),
            ("stale", dict(jws_header, **{"https://payconiq.com/iat": "2026-12-02T09:00:00Z"}),
             pbody),
            ("no-crit", {k: v for k, v in jws_header.items() if k != "crit"}, pbody),
            ("unknown-kid", dict(jws_header, kid="k9"), pbody)]
for name, h, b in variants:
    write("payconiq_callback", f"signed-{name}", b"\x01" + json.dumps(h).encode() + b"\n" + b)
try:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    # The scalar of fuzz/src/lib.rs (PAYCONIQ_SCALAR).
    scalar = int("519b423d715f8b581f4fa8ee59f4771a5b44c8130b4e3eacca54a56dda72b464", 16)
    key = ec.derive_private_key(scalar, ec.SECP256R1())
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    for name, h, b in variants:
        h64 = b64(json.dumps(h).encode())
        der = key.sign(f"{h64}.{b64(b)}".encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        sig = b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
        write("payconiq_callback", f"received-{name}", f"\x00{h64}..{sig}\n".encode() + b)
    write("payconiq_callback", "received-attached",
          f"\x00{h64}.{b64(b)}.{sig}\n".encode() + b)
except ImportError:
    print("make_seeds.py: no `cryptography` module: Payconiq seeds as received skipped",
          file=sys.stderr)

# --- escpos_roundtrip -------------------------------------------------------------------------
ticket = ("\x07KACHING\nRue de la Loi 16, 1000 Bruxelles\nTVA BE0123.456.789\n"
          "Ticket 12 — 02/12/2026 10:00\nPain au chocolat      1 x 1,20 €    1,20\n"
          "Café                  1 x 2,50 €    2,50\nŒuf « bio » ’’ – 0,30 €\n"
          "\x02TOTAL                              18,70 €\nMerci ! Bedankt ! 🍞 日本 ½ ∑\n"
          "0190c0de-aaaa-7bbb-8ccc-123456789abc")
for flags, name in [(0b100, "cp1252-qr"), (0b111, "pc858-drawer-qr"), (0b000, "cp1252"),
                    (0b001, "pc858")]:
    write("escpos_roundtrip", name, bytes([flags]) + ticket.encode())
write("escpos_roundtrip", "controls", b"\x00A\x1b@B\r\nC\tD\x7f\n\xff\xfe")
print(f"seeds written under {CORPUS}")
