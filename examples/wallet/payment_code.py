#!/usr/bin/env python3
"""Prints the 18-digit mpay payment code a phone shows (Python 3 standard library only).

    payment_code.py SECRET_BASE32 DEVICE_NUMBER [--at UNIX_SECONDS] [--explain]

SECRET_BASE32 is the device secret the server handed over at provisioning (RFC 4648 base32, upper
case, no padding); DEVICE_NUMBER its 8-digit device number. --at defaults to the current time.
--explain also prints every intermediate value (the worked example in
src/channels/qr/payment_code/README.md).

    counter = floor(unix_seconds / 15)
    mac     = HMAC-SHA256(secret, counter as 8 bytes big-endian)
    offset  = mac[31] & 0x0F
    otp     = (big-endian uint32 of mac[offset:offset+4] & 0x7FFFFFFF) mod 10^7, 7 digits
    body    = "88" + device number (8 digits) + otp (7 digits)
    code    = body + Luhn check digit of body
"""

import argparse
import base64
import hashlib
import hmac
import struct
import sys
import time

STEP_SECONDS = 15
OTP_DIGITS = 7
PREFIX = "88"


def decode_secret(text: str) -> bytes:
    """RFC 4648 base32 without padding (as the server hands it over)."""
    if text != text.upper() or "=" in text:
        raise ValueError("the secret is upper-case base32 without '=' padding")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def luhn_digit(digits: str) -> str:
    """The Luhn check digit to append to `digits`."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # the rightmost digit of the body is doubled
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def payment_code(secret: bytes, device_number: int, unix_seconds: int, explain: bool = False) -> str:
    counter = unix_seconds // STEP_SECONDS
    mac = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha256).digest()
    offset = mac[-1] & 0x0F
    truncated = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    otp = truncated % 10 ** OTP_DIGITS
    body = f"{PREFIX}{device_number:08d}{otp:0{OTP_DIGITS}d}"
    code = body + luhn_digit(body)
    if explain:
        print(f"secret (hex)  {secret.hex()}")
        print(f"unix seconds  {unix_seconds}")
        print(f"counter       {counter} (message {struct.pack('>Q', counter).hex()})")
        print(f"mac           {mac.hex()}")
        print(f"offset        {offset}")
        print(f"31-bit value  {truncated} (bytes {mac[offset:offset + 4].hex()})")
        print(f"otp           {otp:0{OTP_DIGITS}d}")
        print(f"body          {body}")
        print(f"luhn digit    {code[-1]}")
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description="Print the mpay payment code of a device.")
    parser.add_argument("secret", help="the device secret, base32")
    parser.add_argument("device_number", help="the 8-digit device number")
    parser.add_argument("--at", type=int, default=None, help="Unix seconds (default: now)")
    parser.add_argument("--explain", action="store_true", help="print the intermediate values")
    arguments = parser.parse_args()
    try:
        secret = decode_secret(arguments.secret)
    except ValueError as error:
        print(f"payment_code.py: {error}", file=sys.stderr)
        return 2
    if len(arguments.device_number) != 8 or not arguments.device_number.isdigit() \
            or arguments.device_number.startswith("0"):
        print("payment_code.py: the device number is 8 digits, 10000000 to 99999999", file=sys.stderr)
        return 2
    at = arguments.at if arguments.at is not None else int(time.time())
    print(payment_code(secret, int(arguments.device_number), at, arguments.explain))
    return 0


if __name__ == "__main__":
    sys.exit(main())
