"""A supplier's system, an approver's robot and a data provider, written against the Python
client that openapi-python-client generated from the portal's /api/v1/openapi.json.

Reads its task as JSON from the first argument: base_url, the three tokens, the service,
free institution numbers and one number the register does not know. Prints what it did as
JSON; the Rust test compares that with the database. Any surprise is an exception (the
client raises on an answer the document does not list), so the exit status says it all.
"""

import json
import sys

from tilslutning_api_client import AuthenticatedClient
from tilslutning_api_client.api.access import changes, check_many, check_one
from tilslutning_api_client.api.approver import decide
from tilslutning_api_client.api.requests import list_ as list_requests
from tilslutning_api_client.api.requests import read
from tilslutning_api_client.api.supplier import file, services, withdraw
from tilslutning_api_client.models import (
    AccessAnswer,
    AccessAnswers,
    AccessBatch,
    ChangePage,
    DecisionIn,
    ErrorBody,
    FiledBatch,
    Filing,
    RequestOut,
    RequestPage,
    Services,
)
from tilslutning_api_client.types import UNSET


def expect(value, kind, what):
    if not isinstance(value, kind):
        raise SystemExit(f"{what}: expected {kind.__name__}, got {value!r}")
    return value


def every_request(client, **filters):
    """Follows the cursor to the end; the ids in order."""
    ids, cursor = [], UNSET
    while True:
        page = expect(list_requests.sync(client=client, cursor=cursor, limit=50, **filters),
                      RequestPage, "a page of requests")
        ids += [r.id for r in page.items]
        if not page.next_cursor:
            return ids
        cursor = page.next_cursor


def main():
    task = json.loads(sys.argv[1])

    def client(token):
        return AuthenticatedClient(base_url=task["base_url"], token=token,
                                   raise_on_unexpected_status=True,
                                   headers={"Accept-Language": "en"})

    supplier = client(task["supplier_token"])
    approver = client(task["approver_token"])
    provider = client(task["access_token"])
    service = task["service"]
    first, second = task["units"][:2]

    offered = expect(services.sync(client=supplier), Services, "services")
    if service not in [s.id for s in offered.items]:
        raise SystemExit(f"{service} is not among the supplier's services")
    scope = next(s.code for s in offered.scopes if not s.sensitive)

    # One unknown institution refuses the whole filing, and is named.
    refused = expect(file.sync(client=supplier, body=Filing(
        service=service, scopes=[scope], institutions=[first, task["unknown"]],
        purpose="Pladsanvisning")), ErrorBody, "a refused filing")
    problems = [(p.institution, p.code, p.message) for p in refused.problems]

    filed = expect(file.sync(client=supplier, body=Filing(
        service=service, scopes=[scope], institutions=[first, second],
        purpose="Pladsanvisning", message="Filed by a generated client")),
        FiledBatch, "a filing")
    by_institution = {r.institution: r.id for r in filed.requests}
    to_approve, to_withdraw = by_institution[first], by_institution[second]

    followed = every_request(supplier, status="pending")
    seen = expect(read.sync(to_approve, client=supplier), RequestOut, "a request")
    withdrawn = expect(withdraw.sync(to_withdraw, client=supplier), RequestOut, "a withdrawal")

    decidable = every_request(approver, decidable=True)
    approved = expect(decide.sync(to_approve, client=approver, body=DecisionIn(
        decision="approve", reason="Godkendt af robot")), RequestOut, "a decision")
    agreement = approved.agreement.id

    one = expect(check_one.sync(client=provider, service=service, scope=scope,
                                institution=first), AccessAnswer, "an access check")
    other = expect(check_one.sync(client=provider, service=service, scope=scope,
                                  institution=second), AccessAnswer, "an access check")
    batch = expect(check_many.sync(client=provider, body=AccessBatch(
        service=service, scopes=[scope], institutions=[first, second])),
        AccessAnswers, "a batch check")

    feed, after = [], UNSET
    while True:
        page = expect(changes.sync(client=provider, after=after, limit=500), ChangePage,
                      "a page of the feed")
        if not page.items:
            break
        feed += [(c.change, c.agreement.id, c.agreement.status) for c in page.items]
        after = page.next_cursor

    print(json.dumps({
        "refused_code": refused.code.value if hasattr(refused.code, "value") else refused.code,
        "refused_message": refused.message,
        "problems": problems,
        "approved": to_approve,
        "withdrawn": to_withdraw,
        "followed_both": to_approve in followed and to_withdraw in followed,
        "read_status": seen.status,
        "withdrawn_status": withdrawn.status,
        "decidable_had_it": to_approve in decidable,
        "approved_status": approved.status,
        "approved_national": approved.national_status,
        "agreement": agreement,
        "access": [one.allowed, other.allowed, one.agreement.id if one.agreement else None],
        "batch": [a.allowed for a in batch.results],
        "feed_last": [c for c in feed if c[1] == agreement],
        "feed_length": len(feed),
    }))


main()
