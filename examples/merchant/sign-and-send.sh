#!/usr/bin/env bash
# Signs one request to the mpay merchant API and sends it (bash, openssl, curl; docs/merchant-api.md).
#
#   MPAY_KEY_ID=mk_... MPAY_KEY_SECRET=msk_... ./sign-and-send.sh [-u BASE_URL] [-X METHOD] [-d BODY]
#       [-i IDEMPOTENCY_KEY] [PATH]
#
# Defaults: base URL $MPAY_BASE_URL or http://127.0.0.1:8080, method GET, empty body, path /v1/merchant.
# The key id and secret may also be given with -k and -s. Note: openssl takes the HMAC key as an
# argument, visible to other local users for the instant it runs; on a shared machine use
# client.py. Prints the response body; exits non-zero unless the status is 2xx.
set -euo pipefail

base_url="${MPAY_BASE_URL:-http://127.0.0.1:8080}"
key_id="${MPAY_KEY_ID:-}"
secret="${MPAY_KEY_SECRET:-}"
method="GET"
body=""
idempotency_key=""

usage() { sed -n '2,10p' "$0" >&2; exit 2; }
while getopts "u:X:d:k:s:i:h" option; do
  case "$option" in
    u) base_url="$OPTARG" ;;
    X) method="$(printf '%s' "$OPTARG" | tr '[:lower:]' '[:upper:]')" ;;
    d) body="$OPTARG" ;;
    k) key_id="$OPTARG" ;;
    s) secret="$OPTARG" ;;
    i) idempotency_key="$OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
path="${1:-/v1/merchant}"
[ -n "$key_id" ] && [ -n "$secret" ] || { echo "set MPAY_KEY_ID and MPAY_KEY_SECRET (or -k, -s)" >&2; exit 2; }

timestamp="$(date +%s)"
# 16 random bytes as hex: 32 characters of [0-9a-f], inside the nonce alphabet [A-Za-z0-9_-].
nonce="$(openssl rand -hex 16)"
body_hash="$(printf '%s' "$body" | openssl dgst -sha256 -hex | sed 's/^.*= //')"
# The canonical string: method, path with query, timestamp, nonce, body hash; no trailing newline.
canonical="$(printf '%s\n%s\n%s\n%s\n%s' "$method" "$path" "$timestamp" "$nonce" "$body_hash")"
signature="$(printf '%s' "$canonical" | openssl dgst -sha256 -hmac "$secret" -hex | sed 's/^.*= //')"

response_file="$(mktemp)"
trap 'rm -f "$response_file"' EXIT
curl_args=(--silent --show-error --request "$method" --output "$response_file" --write-out '%{http_code}'
           --header "X-Mpay-Key: $key_id" --header "X-Mpay-Timestamp: $timestamp"
           --header "X-Mpay-Nonce: $nonce" --header "X-Mpay-Signature: $signature")
if [ -n "$idempotency_key" ]; then curl_args+=(--header "Idempotency-Key: $idempotency_key"); fi
if [ -n "$body" ] || [ "$method" = "POST" ]; then
  curl_args+=(--header "Content-Type: application/json" --data-binary "$body")
fi
status="$(curl "${curl_args[@]}" "$base_url$path")"
cat "$response_file"
echo
echo "HTTP $status" >&2
case "$status" in 2??) exit 0 ;; *) exit 1 ;; esac
