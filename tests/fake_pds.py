"""A real HTTP server on 127.0.0.1 answering the XRPC endpoints the atproto SDK calls to post a thread.

Where each behaviour comes from (bluesky-social/atproto, lexicons/com/atproto/...):
- server/createSession.json: {identifier, password} → {accessJwt, refreshJwt, handle, did}; a wrong password is
  401 AuthenticationRequired "Invalid identifier or password";
- identity/resolveHandle.json: ?handle= → {did}; an unknown handle is 400 InvalidRequest;
- repo/listRecords.json: ?repo&collection&limit (1-100, default 50)&cursor&reverse → {cursor?, records:
  [{uri, cid, value}]}, newest key first unless reverse; a limit over 100 is 400 InvalidRequest; reads (this,
  getRecord, resolveHandle) need no session: a repository is public;
- repo/getRecord.json: ?repo&collection&rkey → {uri, cid, value}; a missing record is 400 RecordNotFound;
- repo/createRecord.json: {repo, collection, rkey, record} → {uri, cid}; app.bsky.feed.post's record key is a
  TID (lexicons/app/bsky/feed/post.json, "key": "tid"; specs "Record Key"), others are 400 InvalidRequest;
  reusing an existing key answers HTTP 500, not a conflict (atproto issue #3718);
- the record is validated against app.bsky.feed.post (lexicons/app/bsky/feed/post.json: required text and
  createdAt, text at most 300 graphemes; createdAt in the datetime syntax of the specs' "Lexicon" page: uppercase
  T, a timezone Z or +hh:mm, as the SDK's own datetime check); a bad record is 400 InvalidRequest
  "Invalid app.bsky.feed.post record: ...", as the PDS turns its InvalidRecordError into;
- rate limits: RateLimit-Limit / -Remaining / -Reset (epoch seconds) / -Policy on answers, 429 RateLimitExceeded
  (docs.bsky.app "Rate Limits");
- a request after ``drop_after_writes`` writes loses its connection, as a dropped link does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import regex

from conftest import JsonServiceHandler, serve_on_localhost

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|(\+\d{2}|-\d[1-9]):\d{2})$")
_TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
RESET = 4102444800  # 2100-01-01 00:00 UTC


def _jwt(did: str) -> str:
    """An access token as the SDK reads it: only its payload's exp matters to the client."""

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    header, payload = {"alg": "ES256K", "typ": "at+jwt"}, {"sub": did, "exp": RESET, "scope": "com.atproto.appPass"}
    return f"{part(header)}.{part(payload)}.c2ln"


@dataclass
class FakePds:
    handle: str = "picks.example.org"
    did: str = "did:plc:picks0000000000000000000"
    password: str = "abcd-efgh-ijkl-mnop"
    handles: dict[str, str] = field(default_factory=dict)  # other accounts' handles → DIDs
    records: dict[str, dict] = field(default_factory=dict)  # rkey → record value, app.bsky.feed.post only
    order: list[str] = field(default_factory=list)  # rkeys in creation order
    quota: int = 3000
    requests: int = 0
    writes: int = 0
    drop_after_writes: int | None = None
    drop_paths: set[str] = field(default_factory=set)  # requests to these paths lose their connection
    rate_headers: bool = True  # a proxy in front of the PDS may strip them
    url: str = ""

    def uri(self, rkey: str) -> str:
        return f"at://{self.did}/app.bsky.feed.post/{rkey}"

    def cid(self, rkey: str) -> str:
        return "bafyrei" + hashlib.sha256(rkey.encode()).hexdigest()[:52]


def _handler(pds: FakePds) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonServiceHandler):
        def _reply(self, status: int, body: object) -> None:
            limits = {
                "RateLimit-Limit": str(pds.quota),
                "RateLimit-Remaining": str(max(pds.quota - pds.requests, 0)),
                "RateLimit-Reset": str(RESET),
                "RateLimit-Policy": f"{pds.quota};w=300",
            }
            self.send_json(status, body, limits if pds.rate_headers else {})

        def _error(self, status: int, error: str, message: str) -> None:
            self._reply(status, {"error": error, "message": message})

        def _admit(self, *, auth: bool = True) -> bool:
            pds.requests += 1
            if pds.requests > pds.quota:
                self._error(429, "RateLimitExceeded", "Rate Limit Exceeded")
                return False
            if auth and self.headers.get("Authorization") != f"Bearer {_jwt(pds.did)}":
                self._error(401, "AuthenticationRequired", "Authentication Required")
                return False
            return True

        def _dropped(self, path: str) -> bool:
            if path in pds.drop_paths:
                pds.requests += 1  # it arrived; its answer is what is lost
                self.close_connection = True
                self.connection.close()  # the client sees the connection drop, no answer
            return path in pds.drop_paths

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if self._dropped(parts.path):
                return
            if not self._admit(auth=bool(self.headers.get("Authorization"))):
                return
            if parts.path == "/xrpc/com.atproto.repo.listRecords":
                return self._list_records(query)
            if parts.path == "/xrpc/com.atproto.identity.resolveHandle":
                did = pds.did if query.get("handle") == pds.handle else pds.handles.get(query.get("handle", ""))
                if did is None:
                    return self._error(400, "InvalidRequest", "Unable to resolve handle")
                return self._reply(200, {"did": did})
            if parts.path == "/xrpc/com.atproto.repo.getRecord":
                rkey = query.get("rkey", "")
                if query.get("repo") != pds.did or rkey not in pds.records:
                    return self._error(400, "RecordNotFound", f"Could not locate record: {pds.uri(rkey)}")
                return self._reply(200, {"uri": pds.uri(rkey), "cid": pds.cid(rkey), "value": pds.records[rkey]})
            self._error(501, "MethodNotImplemented", "Method Not Implemented")

        def _list_records(self, query: dict[str, str]) -> None:
            limit = int(query.get("limit", "50"))
            if not 1 <= limit <= 100:
                return self._error(400, "InvalidRequest", "limit must be between 1 and 100")
            if query.get("repo") not in (pds.did, pds.handle):
                return self._error(400, "InvalidRequest", f"Could not find repo: {query.get('repo')}")
            keys = sorted(pds.records, reverse=query.get("reverse") != "true")
            if query.get("collection") != "app.bsky.feed.post":
                keys = []
            if cursor := query.get("cursor"):
                keys = [k for k in keys if (k > cursor if query.get("reverse") == "true" else k < cursor)]
            page = keys[:limit]
            body: dict = {"records": [{"uri": pds.uri(k), "cid": pds.cid(k), "value": pds.records[k]} for k in page]}
            if len(keys) > limit:
                body["cursor"] = page[-1]
            self._reply(200, body)

        def do_POST(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            if self._dropped(parts.path):
                return
            body = json.loads(self.read_body() or b"{}")
            if parts.path == "/xrpc/com.atproto.server.createSession":
                if not self._admit(auth=False):
                    return
                if body.get("identifier") not in (pds.handle, pds.did) or body.get("password") != pds.password:
                    return self._error(401, "AuthenticationRequired", "Invalid identifier or password")
                token = _jwt(pds.did)
                return self._reply(200, {"accessJwt": token, "refreshJwt": token, "handle": pds.handle, "did": pds.did})
            if not self._admit():
                return
            if parts.path != "/xrpc/com.atproto.repo.createRecord":
                return self._error(501, "MethodNotImplemented", "Method Not Implemented")
            if pds.drop_after_writes is not None and pds.writes >= pds.drop_after_writes:
                pds.drop_after_writes = None
                self.close_connection = True
                self.connection.close()  # the client sees the connection drop, no answer
                return
            rkey, record = body.get("rkey", ""), body.get("record", {})
            if body.get("collection") != "app.bsky.feed.post" or not _TID.match(rkey):
                return self._error(400, "InvalidRequest", "Invalid record key: expected a TID")
            if (problem := _invalid_post(record)) is not None:
                return self._error(400, "InvalidRequest", f"Invalid app.bsky.feed.post record: {problem}")
            if rkey in pds.records:
                return self._error(500, "InternalServerError", "Internal Server Error")
            pds.records[rkey] = record
            pds.order.append(rkey)
            pds.writes += 1
            self._reply(200, {"uri": pds.uri(rkey), "cid": pds.cid(rkey)})

    return Handler


def _invalid_post(record: dict) -> str | None:
    for name in ("text", "createdAt"):
        if not isinstance(record.get(name), str):
            return f'Record must have the property "{name}"'
    if not _DATETIME.match(record["createdAt"]):
        return "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)"
    if len(regex.findall(r"\X", record["text"])) > 300:  # extended grapheme clusters, as the lexicon counts
        return "Record/text must not be longer than 300 graphemes"
    return None


def serve_pds(pds: FakePds) -> Iterator[FakePds]:
    for url in serve_on_localhost(_handler(pds)):
        pds.url = url.rstrip("/")
        yield pds
