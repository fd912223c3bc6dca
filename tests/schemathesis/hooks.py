"""schemathesis hooks for the stateful phase: what a walk over the links
cannot make up at random, so that it gets past the first refusal and on to
what comes after.

- An upload carries a real photo (random bytes are refused as 415, and the
  photo's own links would never be walked), with a description and consent,
  so the campaign can still be submitted.
- A new campaign has a summary and a story, which submitting requires.
- A reach report happened today: never in the future, never before the
  campaign was first submitted.
- A feedback template is for the programme the facilitator moderates.

Each answer's operation and status are written to CHANGEMAKERS_ST_TRACE,
so run.py can say how far the walks got (which linked operations answered
2xx). Only cases meant to be valid are changed; the cases meant to be refused are
sent as generated. Loaded through SCHEMATHESIS_HOOKS by run.py, for the
stateful runs only: the other phases keep their random bodies.
"""

import datetime
import os
import pathlib

import schemathesis
from schemathesis import GenerationMode

PHOTO = (pathlib.Path(__file__).resolve().parent / "poster.jpg").read_bytes()
PROGRAMME = os.environ.get("CHANGEMAKERS_ST_PROGRAMME")
TRACE = os.environ.get("CHANGEMAKERS_ST_TRACE")


def _valid(case):
    meta = case.meta
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


def _upload(body):
    body["file"] = PHOTO
    body["alt_text"] = "A hand-drawn poster: a yellow sun over a blue square."
    body["consent_confirmed"] = True


def _campaign(body):
    body["summary"] = "Say hello to someone new at the festival."
    body["body"] = "We hand out stickers and ask people to greet a stranger."


def _reach(body):
    body["occurred_on"] = datetime.date.today().isoformat()


def _template(body):
    if PROGRAMME:
        body["programme_id"] = PROGRAMME


MAKE_REAL = {
    "uploadMedia": _upload,
    "uploadEvidence": _upload,
    "createCampaign": _campaign,
    "createReach": _reach,
    "createFeedbackTemplate": _template,
}


@schemathesis.hook
def before_call(ctx, case, kwargs):
    operation = case.operation.definition.raw.get("operationId")
    change = MAKE_REAL.get(operation)
    if change and _valid(case) and isinstance(case.body, dict):
        change(case.body)
        # What was filled in is part of the generated case, as schemathesis
        # treats the configured overrides: without this it checks the body
        # again, and a body holding a file's bytes never passes that check
        # (schemathesis 4.32, which the test command pins).
        case._record_starting_state()


@schemathesis.hook
def after_call(ctx, case, response):
    if TRACE:
        operation = case.operation.definition.raw.get("operationId")
        with open(TRACE, "a", encoding="utf-8") as trace:
            trace.write(f"{operation} {response.status_code}\n")
