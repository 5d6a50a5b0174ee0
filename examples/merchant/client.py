#!/usr/bin/env python3
"""Signs one request to the mpay merchant API and sends it (Python 3 standard library only).

    MPAY_KEY_ID=mk_... MPAY_KEY_SECRET=msk_... ./client.py [--base-url URL] [--method GET]
        [--body JSON] [--idempotency-key KEY] [--output FILE] [PATH]

Defaults: base URL $MPAY_BASE_URL or http://127.0.0.1:8080, GET, empty body, path /v1/merchant.
Prints the response body (or writes it, byte for byte, to --output FILE: a QR code's PNG); exits 0
for a 2xx status, 1 otherwise. See docs/merchant-api.md.
"""

import argparse
import hashlib
import hmac
import os
import secrets
import sys
import time
import urllib.error
import urllib.request


def canonical_request(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """METHOD, path with query as sent, timestamp, nonce, hex SHA-256 of the body; joined by newlines."""
    body_hash = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, timestamp, nonce, body_hash])


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """Lower-case hex HMAC-SHA256 of the canonical request, keyed by the secret text as shown."""
    message = canonical_request(method, path, timestamp, nonce, body).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed_headers(key_id: str, secret: str, method: str, path: str, body: bytes) -> dict:
    timestamp = str(int(time.time()))
    nonce = secrets.token_urlsafe(16)  # 22 characters of [A-Za-z0-9_-]
    return {
        "X-Mpay-Key": key_id,
        "X-Mpay-Timestamp": timestamp,
        "X-Mpay-Nonce": nonce,
        "X-Mpay-Signature": sign(secret, method, path, timestamp, nonce, body),
    }


def send(base_url: str, key_id: str, secret: str, method: str, path: str, body: bytes,
         idempotency_key: str = "") -> tuple:
    """Sends the signed request; returns (status, body bytes)."""
    headers = signed_headers(key_id, secret, method, path, body)
    if body or method == "POST":
        headers["Content-Type"] = "application/json"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    request = urllib.request.Request(base_url.rstrip("/") + path, data=body if (body or method == "POST") else None,
                                     headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/v1/merchant", help="path with query, sent as is")
    parser.add_argument("--base-url", default=os.environ.get("MPAY_BASE_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", default="", help="request body (JSON), sent byte for byte")
    parser.add_argument("--idempotency-key", default="")
    parser.add_argument("--output", default="", help="write the response body to this file instead")
    parser.add_argument("--key-id", default=os.environ.get("MPAY_KEY_ID", ""))
    parser.add_argument("--secret", default=os.environ.get("MPAY_KEY_SECRET", ""),
                        help="prefer the MPAY_KEY_SECRET environment variable (not in the process list)")
    options = parser.parse_args()
    if not options.key_id or not options.secret:
        print("set MPAY_KEY_ID and MPAY_KEY_SECRET (or --key-id, --secret)", file=sys.stderr)
        return 2
    status, body = send(options.base_url, options.key_id, options.secret, options.method.upper(), options.path,
                        options.body.encode("utf-8"), options.idempotency_key)
    if options.output:
        with open(options.output, "wb") as out:
            out.write(body)
    else:
        print(body.decode("utf-8", errors="replace"))
    print(f"HTTP {status}", file=sys.stderr)
    return 0 if 200 <= status < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
