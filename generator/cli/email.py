"""``picks email``: digest issues as email files, and sending one over SMTP."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from ..core import digest
from ..core.schedule import publishing_now
from ..mkdocs.config import ProjectConfig
from ..outputs import email_issue
from ..sources import mailer
from .common import config_option, load_config, published_picks


class _WriteByDefault(click.Group):
    """``picks email [PERIOD]`` writes the files; ``picks email send ...`` sends."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["write", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_WriteByDefault)
def email() -> None:
    """Digest issues as email: `picks email [PERIOD] [--out DIR]` writes them, `picks email send` sends one."""


def _issues(project: ProjectConfig) -> list[digest.Issue]:
    config = project.picks
    return digest.issues(published_picks(project), config.digest.every, config.timezone, config.order)


def _issue(
    project: ProjectConfig, period: str | None, issues: list[digest.Issue]
) -> tuple[digest.Issue, email_issue.Newsletter]:
    config = project.picks
    every = config.digest.every
    if period is not None and not digest.valid_period(period, every):
        example = {"week": "2024-W15", "day": "2024-04-12", "month": "2024-04"}[every]
        raise click.BadParameter(f"'{period}' is not a {every} such as {example}", param_hint="PERIOD")
    if period is None:
        # The latest closed period: the running one may still get picks, which its readers would never see.
        today = publishing_now().astimezone(ZoneInfo(config.timezone)).date()
        chosen = digest.latest_closed(issues, every, today)
        running = digest.period_of(today, every)
        if chosen is None:
            click.echo(
                f"error: no {every} with published picks has ended yet; name {running} to send it early", err=True
            )
            sys.exit(1)
        click.echo(f"{chosen.period}: the latest closed {every} (the running {running} only when named)", err=True)
    else:
        chosen = next((i for i in issues if i.period == period), None)
        if chosen is None:
            click.echo(f"error: no published picks in {period}", err=True)
            sys.exit(1)
    newsletter = email_issue.Newsletter(
        title=config.digest.title or f"{project.site_name} digest",
        site_url=project.site_url,
        subject=config.digest.subject,
        sender=os.environ.get("PICKS_SMTP_FROM") or config.digest.sender,
        to=os.environ.get("PICKS_EMAIL_TO") or config.digest.to or "undisclosed-recipients:;",
        unsubscribe=config.digest.unsubscribe,
        directory_urls=project.use_directory_urls,
    )
    return chosen, newsletter


@email.command("write")
@click.argument("period", required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("email"), show_default=True)
@config_option
def email_write(period: str | None, out: Path, config_file: str) -> None:
    """Write PERIOD.html, PERIOD.txt and PERIOD.eml (default: the latest period with picks)."""
    project = load_config(config_file)
    issue, newsletter = _issue(project, period, _issues(project))
    rendered = email_issue.compose(issue, newsletter)
    out.mkdir(parents=True, exist_ok=True)
    for suffix, data in (("html", rendered.html.encode()), ("txt", rendered.text.encode()), ("eml", rendered.eml)):
        (out / f"{issue.period}.{suffix}").write_bytes(data)
        click.echo(f"{out / f'{issue.period}.{suffix}'} ({len(data):,} bytes)")
    if len(rendered.html.encode()) > email_issue.MAX_BYTES:
        click.echo(f"warning: the HTML is over {email_issue.MAX_BYTES:,} bytes; Gmail will clip it", err=True)


@email.command("send")
@click.argument("period", required=False)
@click.option("--to", "to", multiple=True, help="A recipient; repeat for more.")
@click.option("--to-file", type=click.File("r", encoding="utf-8"), help="Recipients, one address a line.")
@click.option("--dry-run", is_flag=True, help="Print who would get the issue; send nothing.")
@click.option("--resend", is_flag=True, help="Send again to recipients already served.")
@click.option("--state", type=click.Path(dir_okay=False, path_type=Path), help="The state file (default: config).")
@config_option
def email_send(
    period: str | None, to: tuple[str, ...], to_file, dry_run: bool, resend: bool, state: Path | None, config_file: str
) -> None:
    """Send an issue over SMTP ($PICKS_SMTP_URL, $PICKS_SMTP_FROM), one message per recipient, never twice."""
    project = load_config(config_file)
    recipients = list(to) + (
        [line.strip() for line in to_file if line.strip() and not line.startswith("#")] if to_file else []
    )
    if not recipients:
        raise click.UsageError("give recipients with --to ADDR (repeatable) or --to-file FILE")
    issues = _issues(project)
    issue, newsletter = _issue(project, period, issues)
    if not newsletter.sender:
        raise click.UsageError("no sender: set PICKS_SMTP_FROM or digest.sender in mkdocs.yml")
    if not newsletter.unsubscribe:
        click.echo(
            "warning: no digest.unsubscribe in mkdocs.yml: Gmail and Yahoo require one-click unsubscribe "
            "(an https URL, or at least a mailto:) from bulk senders",
            err=True,
        )
    try:
        settings = mailer.SmtpSettings.from_url(os.environ.get("PICKS_SMTP_URL", "")) if not dry_run else None
        sent_state = mailer.SendState(state or project.root / project.picks.digest.state)
        served = set() if resend else sent_state.served(issue.period)
        late = {
            address: ()
            if address.lower() in served
            else tuple(
                (found.label, pick)
                for found, pick in digest.late_picks(issues, issue.period, sent_state.delivered(address))
            )
            for address in recipients
        }
        renderings = {extra: email_issue.compose(issue, newsletter, extra) for extra in set(late.values())}
        for extra, count in Counter(late.values()).items():
            for label, pick in extra:
                click.echo(f"late: {pick.id} ({label}) goes out with this issue to {count} recipient(s)")
        report = mailer.send_issue(
            issue.period,
            recipients,
            lambda address: renderings[late[address]].addressed_to(address),
            settings,  # type: ignore[arg-type]
            sent_state,
            resend=resend,
            dry_run=dry_run,
            contents=lambda address: [p.id for p in issue.picks] + [p.id for _, p in late[address]],
        )
    except mailer.SendError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    verb = "would send to" if dry_run else "sent to"
    for address in report.sent:
        click.echo(f"{verb} {address}")
    for address, reason in report.failed:
        click.echo(f"error: {address}: {reason}", err=True)
    click.echo(
        f"{issue.period}: {verb} {len(report.sent)}, already served {len(report.skipped)}, failed {len(report.failed)}"
    )
    sys.exit(1 if report.failed else 0)
