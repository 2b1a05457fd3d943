"""An aiosmtpd handler for the tests: a Maildir like aiosmtpd.handlers.Mailbox, but it
waits DELAY_MS before it answers each DATA, so a test can stop a mail worker while sends
are in flight. The message is stored even if the client has gone by the time it answers,
as a real server that already took the data would deliver it.

    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c slow_mailbox.SlowMailbox MAILDIR DELAY_MS
"""

import asyncio

from aiosmtpd.handlers import Mailbox


class SlowMailbox(Mailbox):
    def __init__(self, mail_dir, delay_ms):
        super().__init__(mail_dir)
        self.delay = int(delay_ms) / 1000.0

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 2:
            parser.error("SlowMailbox takes MAILDIR DELAY_MS")
        return cls(args[0], args[1])
