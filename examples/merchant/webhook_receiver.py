#!/usr/bin/env python3
"""A merchant's webhook endpoint for trying mpay: receives POSTed events, verifies
X-Mpay-Signature (t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>, docs/webhooks.md),
prints each event on one line and answers 200 (401 for a bad signature). Python 3 standard
library only. Not a production server: it listens on 127.0.0.1 and trusts nothing else.

    MPAY_WEBHOOK_SECRET=whsec_... python3 examples/merchant/webhook_receiver.py --port 8090
"""
import argparse
import hashlib
import hmac
import http.server
import json
import os
import sys
import time

TOLERANCE_S = 300  # refuse signatures older (or newer) than this: replays


def verify(secret: str, header: str, body: bytes) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    timestamp, signature = parts.get("t", ""), parts.get("v1", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE_S:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def handler_for(secret: str):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(min(length, 1 << 20))
            if not verify(secret, self.headers.get("X-Mpay-Signature", ""), body):
                print("refused: bad signature", file=sys.stderr, flush=True)
                self.send_response(401)
                self.end_headers()
                return
            event = json.loads(body)
            data = event.get("data", {})
            request = data.get("payment_request", {})
            print(f'{event.get("type")} {event.get("id")} payment_request={request.get("id")} '
                  f'status={request.get("status")} amount={request.get("amount")}', flush=True)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):  # one line per event is enough
            pass

    return Handler


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--secret", default=os.environ.get("MPAY_WEBHOOK_SECRET", ""))
    args = parser.parse_args()
    if not args.secret.startswith("whsec_"):
        print("give the webhook secret (whsec_...) with --secret or MPAY_WEBHOOK_SECRET", file=sys.stderr)
        return 2
    server = http.server.HTTPServer(("127.0.0.1", args.port), handler_for(args.secret))
    print(f"listening on http://127.0.0.1:{args.port}/", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
