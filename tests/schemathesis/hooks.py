"""Schemathesis hooks for KACHING's payment server: sign every till request as a till does.

The till-signed routes (/api/v1/intents…, security schemes `till` + `tillSignature` in the
document) want two headers (src/pay_web/sign.rs): `Kaching-Till: <till id>` and
`Kaching-Signature: t=<unix seconds>,v1=<hex>` where
`v1 = hex(HMAC-SHA256(secret, t "." METHOD "." path-and-query "." body))`. The signature covers
the exact bytes sent, so it is computed on the prepared request (a `requests` auth object), after
schemathesis has serialized the generated data; the till's client (src/pay_web/client.rs) signs
the same way. Nothing else is changed: the generated data is sent as generated.

It is registered as schemathesis's auth provider, so schemathesis knows the credentials are
real: its `ignored_auth` check sends each accepted request again without them, then with
generated ones, and expects a 401. A case whose headers schemathesis generated to break the
schema on purpose (negative mode; on these routes the till's two headers are the only declared
ones) is sent unsigned, as a till that does not sign would send it: signing it would make the
request valid again and the check meaningless.

The till's id and secret come from the environment (tests/schemathesis.rs sets them for the till
it registers on its server): KACHING_ST_TILL_ID and KACHING_ST_TILL_SECRET.
"""

import hashlib
import hmac
import os
import time

import requests.auth
import schemathesis
from schemathesis.core.parameters import ParameterLocation

TILL_ID = os.environ["KACHING_ST_TILL_ID"]
SECRET = os.environ["KACHING_ST_TILL_SECRET"].encode()


def signature(secret: bytes, t: int, method: str, path: str, body: bytes) -> str:
    """The Kaching-Signature header's value (sign.rs's `signature_header`)."""
    message = b".".join([str(t).encode(), method.encode(), path.encode(), body])
    return f"t={t},v1={hmac.new(secret, message, hashlib.sha256).hexdigest()}"


class TillSignature(requests.auth.AuthBase):
    """Kaching-Till and Kaching-Signature over the request as it goes on the wire."""

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body or b""
        if isinstance(body, str):
            body = body.encode()
        # `path_url` is the path and query string exactly as in the request line.
        r.headers["Kaching-Till"] = TILL_ID
        r.headers["Kaching-Signature"] = signature(SECRET, int(time.time()), r.method, r.path_url, body)
        return r


# No caching (refresh_interval=None): `get` decides for each case whether it is signed.
@schemathesis.auth(refresh_interval=None).apply_to(path_regex="^/api/v1/intents")
class Till:
    """The till's credentials, for the till-signed routes only."""

    def get(self, case, ctx):
        if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
            return None
        return TillSignature()

    def set(self, case, data, ctx):
        case._auth = data
