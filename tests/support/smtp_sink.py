"""A real SMTP server for the tests: stores every message it receives as an
.eml file in a directory, so tests can read back what was sent.

usage: smtp_sink.py PORT DIRECTORY
"""

import asyncio
import os
import sys
import uuid

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory: str) -> None:
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        name = os.path.join(self.directory, f"{uuid.uuid4()}.eml")
        with open(name + ".part", "wb") as handle:
            handle.write(envelope.original_content or envelope.content)
        os.replace(name + ".part", name)
        return "250 Message accepted for delivery"


async def main() -> None:
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Store(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp sink listening on 127.0.0.1:{port}, storing in {directory}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
