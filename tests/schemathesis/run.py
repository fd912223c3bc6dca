"""Checks the OpenAPI document against a running server with demo data:
schemathesis, every check (`--checks all`), over every operation, once
anonymously and once with a session of each of a changemaker, a facilitator,
a city admin and an admin. Real ids from the demo data are given to the
operations that take them, so the runs reach past 404. Then, per role, the
stateful phase on its own: it follows the document's OpenAPI links from each
create to what takes the new id (a team's campaigns, a campaign's photos,
submission, decision and reach, a reach report's verification, a template's
deletion), so only where the walk starts is given a real id. hooks.py fills
in what a walk cannot make up (a real photo, today's date, the programme);
in a changemaker's walk the moderating steps are taken by the programme's
facilitator. Each walk's answers are traced, and the summary says how many
of the operations the links lead to answered 2xx. Sign-out and account
deletion are left out of the signed-in runs: they would end the session
under test. Writes one JUnit report per run and exits non-zero on any
failure.

usage: run.py ST_EXECUTABLE BASE_URL OUTBOX_DIR RESULTS_DIR [EXAMPLES]
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "support"))
from sign_in import sign_in  # noqa: E402

DEMO = "demo.changemakers.example"
# Who signs in for each run. The demo's facilitator and city admin; a
# changemaker who leads a team; the admin made by the test command.
ROLES = [
    ("anonymous", None),
    ("changemaker", f"maja@{DEMO}"),
    ("facilitator", f"kari@{DEMO}"),
    ("city_admin", f"ola@{DEMO}"),
    ("admin", "admin@schemathesis.example"),
]
# End the session under test; each run would stop being signed in.
SESSION_ENDING = ["logout", "deleteMe", "signOutEverywhere", "revokeSession"]
SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20261201"))


def get(base, path, token):
    request = urllib.request.Request(f"{base}/api/v1{path}", headers={"authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode())


def demo_ids(base, admin):
    """Ids of the demo data, for the operations that take them."""
    programme = get(base, "/cities/larvik/programmes", admin)["items"][0]["id"]
    teams = get(base, f"/programmes/{programme}/teams", admin)
    team = teams[0]["id"] if isinstance(teams, list) else teams["items"][0]["id"]
    campaigns = []
    for t in teams if isinstance(teams, list) else teams["items"]:
        listed = get(base, f"/teams/{t['id']}/campaigns", admin)
        campaigns += listed if isinstance(listed, list) else listed["items"]
    by_status = {}
    for c in campaigns:
        by_status.setdefault(c["status"], c)
    campaign = (by_status.get("submitted") or campaigns[0])["id"]
    approved = by_status.get("approved") or campaigns[0]
    public = approved["slug"]
    reports = get(base, f"/campaigns/{approved['id']}/reach", admin)["items"]
    participants = get(base, f"/programmes/{programme}/participants", admin)
    participants = participants if isinstance(participants, list) else participants["items"]
    user = participants[0]["user_id"]
    return {
        "programme": programme, "team": team, "campaign": campaign, "public": public,
        "user": user, "approved": approved["id"], "reach": reports[0]["id"] if reports else campaign,
    }


# What a facilitator does to a team's work. In a changemaker's walk these
# steps are taken by the programme's facilitator, so the walk goes on from a
# submitted campaign to its decision and from a reach report to its check.
MODERATING = ["reviewCampaign", "decideCampaign", "archiveCampaign", "verifyReach"]


def stateful_config(base_config, ids, team, approved, moderator=None):
    """The checked-in configuration for the stateful phase: real ids only
    where a walk starts (a programme, the role's own team, its approved
    campaign for logging reach); the links give the rest. Only the
    document's own links are followed. With `moderator` (a facilitator's
    token), the moderating steps are sent as that person."""
    groups = [
        (r"^/programmes/\{id\}", {"path.id": ids["programme"]}),
        (r"^/teams/\{id\}", {"path.id": team}),
        (r"^/campaigns/\{id\}/reach$", {"path.id": approved}),
        (r"^/moderation/", {"query.programme_id": ids["programme"]}),
    ]
    text = "[phases.stateful]\nmax-steps = 25\ninference.algorithms = []\n\n" + base_config.read_text()
    for pattern, params in groups:
        values = ", ".join(f'"{k}" = "{v}"' for k, v in params.items())
        text += f"\n[[operations]]\ninclude-path-regex = '{pattern}'\nparameters = {{ {values} }}\n"
    if moderator:
        listed = ", ".join(f'"{operation}"' for operation in MODERATING)
        text += (
            f"\n[[operations]]\ninclude-operation-id = [{listed}]\n"
            f'headers = {{ "Authorization" = "Bearer {moderator}" }}\n'
        )
    return text


def own_team(base, token, fallback):
    """The first team the signed-in person is in, else `fallback`."""
    if not token:
        return fallback
    teams = get(base, "/me", token).get("teams") or []
    return teams[0]["id"] if teams else fallback


def approved_in(base, token, team, fallback):
    """An approved campaign of `team`, else `fallback`."""
    if not token:
        return fallback
    listed = get(base, f"/teams/{team}/campaigns", token)
    campaigns = listed if isinstance(listed, list) else listed["items"]
    return next((c["id"] for c in campaigns if c["status"] == "approved"), fallback)


def config(base_config, ids):
    """The checked-in configuration, plus the demo ids per group of paths."""
    groups = [
        (r"^/programmes/\{id\}", {"path.id": ids["programme"], "path.user_id": ids["user"]}),
        (r"^/teams/\{id\}", {"path.id": ids["team"], "path.user_id": ids["user"]}),
        (r"^/campaigns/\{id\}(?!/reach)", {"path.id": ids["campaign"]}),
        (r"^/campaigns/\{id\}/reach", {"path.id": ids["approved"]}),
        (r"^/reach/\{id\}", {"path.id": ids["reach"]}),
        (r"^/stats", {"query.programme_id": ids["programme"]}),
        (r"^/moderation/campaigns/\{id\}", {"path.id": ids["campaign"]}),
        (r"^/cities/\{slug\}", {"path.slug": "larvik", "path.user_id": ids["user"]}),
        (r"^/public/campaigns/\{slug\}", {"path.slug": ids["public"]}),
        (r"^/public/campaigns$", {"query.city": "larvik", "query.programme_id": ids["programme"]}),
        (r"^/moderation/", {"query.programme_id": ids["programme"]}),
    ]
    text = base_config.read_text()
    for pattern, params in groups:
        values = ", ".join(f'"{k}" = "{v}"' for k, v in params.items())
        # A TOML literal string: the regex's backslashes stay as they are.
        text += f"\n[[operations]]\ninclude-path-regex = '{pattern}'\nparameters = {{ {values} }}\n"
    return text


def link_targets(base):
    """The operations the document's links lead to."""
    with urllib.request.urlopen(f"{base}/openapi.json", timeout=10) as response:
        doc = json.loads(response.read().decode())
    return {
        link["operationId"]
        for item in doc["paths"].values()
        for operation in item.values()
        for answer in operation.get("responses", {}).values()
        for link in answer.get("links", {}).values()
    }


def reached(trace):
    """The operations that answered 2xx in a stateful run (hooks.py's trace)."""
    if not trace.exists():
        return set()
    lines = (line.split() for line in trace.read_text().splitlines())
    return {parts[0] for parts in lines if len(parts) == 2 and parts[1].startswith("2")}


def main():
    st, base, outbox, results = sys.argv[1], sys.argv[2], sys.argv[3], pathlib.Path(sys.argv[4])
    examples = sys.argv[5] if len(sys.argv) > 5 else "40"
    results.mkdir(parents=True, exist_ok=True)
    tokens = {role: sign_in(base, outbox, email) if email else None for role, email in ROLES}
    config_file = results / "schemathesis.toml"
    ids = demo_ids(base, tokens["admin"])
    config_file.write_text(config(HERE / "schemathesis.toml", ids))
    targets = link_targets(base)
    reached_anywhere = set()
    failed = 0
    totals = {"operations": 0, "cases": 0, "failures": 0, "scenarios": 0, "links": 0, "link_total": 0}
    runs = [(role, "examples,coverage,fuzzing", config_file) for role, _ in ROLES]
    for role, _ in ROLES:
        stateful_file = results / f"schemathesis-stateful-{role}.toml"
        team = own_team(base, tokens[role], ids["team"])
        approved = approved_in(base, tokens[role], team, ids["approved"])
        moderator = tokens["facilitator"] if role == "changemaker" else None
        stateful_file.write_text(stateful_config(HERE / "schemathesis.toml", ids, team, approved, moderator))
        runs.append((role, "stateful", stateful_file))
    for role, phases, config_path in runs:
        label = role if phases != "stateful" else f"{role} (stateful)"
        report = role if phases != "stateful" else f"{role}-stateful"
        command = [
            st, "--no-color", "--config-file", str(config_path), "run", f"{base}/openapi.json",
            "--checks", "all",
            # Examples, coverage (boundaries and each constraint broken in
            # turn) and fuzzing; then, in a run of its own, stateful walks
            # over the document's links.
            "--phases", phases,
            # A walk is cheap and each goes one way: more of them in the
            # stateful phase reach further along the links.
            "--max-examples", examples if phases != "stateful" else str(max(int(examples), 100)),
            "--seed", str(SEED),
            # One worker: on Python 3.11 a second thread can trip a CPython bug
            # in hypothesis (AST constructor recursion depth mismatch).
            "--workers", "1",
            "--report", "junit", "--report-junit-path", str(results / f"{report}.xml"),
        ]
        if tokens[role]:
            command += ["--header", f"Authorization: Bearer {tokens[role]}"]
            for operation in SESSION_ENDING:
                command += ["--exclude-operation-id", operation]
        environment = dict(os.environ)
        if phases == "stateful":
            # What a walk cannot make up: a real photo, today's date, the
            # programme (hooks.py).
            trace = results / f"{report}.trace"
            trace.unlink(missing_ok=True)
            environment.update(
                PYTHONPATH=str(HERE), SCHEMATHESIS_HOOKS="hooks", CHANGEMAKERS_ST_PROGRAMME=ids["programme"],
                CHANGEMAKERS_ST_TRACE=str(trace),
            )
        run = subprocess.run(command, capture_output=True, text=True, env=environment)
        (results / f"{report}.txt").write_text(run.stdout + run.stderr)
        tested = re.search(r"Tested: (\d+)", run.stdout)
        cases = re.search(r"(\d+) generated", run.stdout)
        failures = re.search(r"found (\d+) unique failure", run.stdout)
        found = int(failures.group(1)) if failures else 0
        totals["operations"] = max(totals["operations"], int(tested.group(1)) if tested else 0)
        totals["cases"] += int(cases.group(1)) if cases else 0
        totals["failures"] += found
        scenarios = re.search(r"Scenarios:\s+(\d+)", run.stdout)
        links = re.search(r"API Links:\s+(\d+) covered / (\d+)", run.stdout)
        walked = ""
        if phases == "stateful":
            succeeded = reached(results / f"{report}.trace")
            reached_anywhere.update(succeeded)
            totals["scenarios"] += int(scenarios.group(1)) if scenarios else 0
            if links:
                totals["links"] = max(totals["links"], int(links.group(1)))
                totals["link_total"] = int(links.group(2))
                walked = f", {scenarios.group(1) if scenarios else '?'} scenarios, links {links.group(1)}/{links.group(2)}"
            walked += f", {len(succeeded & targets)} of {len(targets)} linked operations answered 2xx"
        status = "ok" if run.returncode == 0 else "FAILED"
        print(f"schemathesis as {label}: {status}, {cases.group(1) if cases else '?'} cases, {found} failures{walked}")
        if run.returncode != 0:
            failed += 1
            print(run.stdout[-6000:])
    missing = sorted(targets - reached_anywhere)
    print(
        f"schemathesis: {totals['operations']} operations, {totals['cases']} generated cases, "
        f"{totals['failures']} failures; stateful: {totals['scenarios']} scenarios, "
        f"most links walked in one role {totals['links']} of {totals['link_total']}, "
        f"linked operations that answered 2xx in a walk {len(targets & reached_anywhere)} of {len(targets)}"
        + (f" (not reached: {', '.join(missing)})" if missing else "")
    )
    sys.exit(1 if failed else 0)


main()
