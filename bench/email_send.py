"""Email figures: the HTML size of a busy week (14 picks) and send throughput to N recipients through a local
SMTP server with STARTTLS and AUTH (aiosmtpd): ``python bench/email_send.py 1000``."""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.synchronize
import os
import socket
import ssl
import sys
import tempfile
import time
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import pick_text  # noqa: E402
from generator.core.digest import issues  # noqa: E402
from generator.core.loader import LoadSettings, load_picks  # noqa: E402
from generator.outputs import email_issue  # noqa: E402
from generator.sources import mailer  # noqa: E402

BODY = "A paragraph of summary text that runs on. " * 12 + "\n\nNotable findings:\n\n" + "- A finding.\n" * 6


class _Sink:
    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        return "250 OK"


def _serve(port: int, cert_dir: str, stop: multiprocessing.synchronize.Event) -> None:
    """The SMTP server in its own process, so it does not share the sender's interpreter lock."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(f"{cert_dir}/server.pem")
    controller = Controller(
        _Sink(),
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        auth_require_tls=True,
        authenticator=lambda *a: AuthResult(success=True, handled=False),
    )
    controller.start()
    stop.wait()
    controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("recipients", type=int, nargs="?", default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for i in range(14):
            day = f"2024-04-{8 + i // 2:02d}"
            (root / f"{day}-busy-{i}.md").write_text(
                pick_text(f"Busy {i}", f"{day}T{9 + i % 2 * 6:02d}:00:00Z", arxiv=f"2404.{i + 1:05d}", body=BODY),
                "utf-8",
            )
        picks = load_picks(root, LoadSettings("UTC", "picks")).picks
        [issue] = issues(picks, "week", "UTC", "newest-first")
        newsletter = email_issue.Newsletter("Picks weekly", "https://example.org/picks/", sender="picks@example.org")
        rendered = email_issue.compose(issue, newsletter)
        print(
            f"busy week (14 picks): HTML {len(rendered.html.encode()):,} bytes, text {len(rendered.text.encode()):,}, "
            f".eml {len(rendered.eml):,}"
        )

        ca = trustme.CA()
        ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(root / "server.pem"))
        ca.cert_pem.write_to_path(str(root / "ca.pem"))
        os.environ["SSL_CERT_FILE"] = str(root / "ca.pem")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        stop = multiprocessing.Event()
        server = multiprocessing.Process(target=_serve, args=(port, str(root), stop))
        server.start()
        time.sleep(1.5)
        settings = mailer.SmtpSettings.from_url(f"smtp://u:p@127.0.0.1:{port}")
        state = mailer.SendState(root / "sent.jsonl")
        recipients = [f"reader{i}@example.org" for i in range(args.recipients)]
        started = time.perf_counter()
        report = mailer.send_issue(
            issue.period,
            recipients,
            rendered.addressed_to,
            settings,
            state,
        )
        seconds = time.perf_counter() - started
        stop.set()
        server.join()
        print(
            f"sent {len(report.sent)} in {seconds:.2f} s: "
            f"{len(report.sent) / seconds:.0f} messages/s over one STARTTLS connection, state saved after each"
        )


if __name__ == "__main__":
    main()
