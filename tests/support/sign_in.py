"""Signs a person in through the real email-link flow and prints the session
token: asks for a link, reads it from the outbox directory the embedded mail
default writes, and redeems it. Used by the schemathesis run.

usage: sign_in.py BASE_URL OUTBOX_DIR EMAIL
"""

import email
import email.policy
import json
import pathlib
import re
import sys
import time
import urllib.request


def post(url, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def newest_token(outbox, address, after):
    for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        if path.stat().st_mtime < after:
            break
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address not in str(message["To"]):
            continue
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                match = re.search(r"token=([A-Za-z0-9_-]{20,})", part.get_content())
                if match:
                    return match.group(1)
    return None


def sign_in(base, outbox, address):
    """A session token for `address`."""
    outbox = pathlib.Path(outbox)
    started = time.time() - 1
    post(f"{base}/api/v1/auth/email", {"email": address})
    for _ in range(50):
        token = newest_token(outbox, address, started)
        if token:
            # No cookie jar here: an API client confirms it is the one signing in.
            body = {"token": token, "confirm": True}
            return post(f"{base}/api/v1/auth/email/verify", body)["token"]
        time.sleep(0.1)
    sys.exit(f"no sign-in link for {address} in {outbox}")


if __name__ == "__main__":
    print(sign_in(sys.argv[1], sys.argv[2], sys.argv[3]))
