"""What the OpenAPI conformance tests of both HTTP edges share: a fixed schemathesis configuration, the
bearer token on every case, and HTTP clients that come from addresses of their own.

Why addresses of their own: both services throttle logins per source address as well as per login id.
Fuzzing /auth/login makes dozens of failed logins; coming from 127.0.0.1 (which httpx's ASGITransport
also reports) they would throttle every later login of the test run. The examples' connections are
bound to FUZZER_ADDRESS instead, and the harness's own logins (for the bearer tokens) to LOGIN_ADDRESS,
which the examples' failures cannot throttle (any 127.x.y.z reaches the loopback listener on Linux).
The services themselves are served by tests/integration/service_thread.py.
"""

import contextlib
import json
import re
from collections.abc import Callable, Iterator

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from requests.adapters import HTTPAdapter

FUZZER_ADDRESS = "127.0.0.77"  # the examples
LOGIN_ADDRESS = "127.0.0.78"  # the harness's own logins (all of them succeed), never throttled by the examples'
SEED = 20240601
MAX_EXAMPLES = 25  # generated examples per operation, besides schemathesis's deterministic coverage cases

# The checks of every response: no 5xx, and status code, content type, headers and body as documented.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)

# The same examples on every run: derandomized generation, no example database replaying old failures.
# Shrinking stays on, so that a failure is reported with the smallest input that shows it.
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)

# Values that random generation seldom hits and that servers often trip over: NUL (PostgreSQL refuses it
# in text and jsonb), the largest doubles, integers past int64. (1e400 itself cannot be sent: Python's
# JSON encoder writes infinity as `Infinity`; nor a lone surrogate: the client cannot encode it as UTF-8.)
# A second pass mixes them into valid generated requests through schemathesis's fuzz dictionaries (which
# keep the entries each field's schema allows). A separate pass, because schemathesis substitutes an entry
# into about half of the bound fields whatever their `probability` says (4.32, derandomized or not): mixed
# into the main pass they would crowd out the generated values.
EDGE_VALUES = ["\u0000", "a\u0000b", 1e308, -1e308, 2**63, -(2**63) - 1, 10**30]
EDGE_MAX_EXAMPLES = 10
EDGE_SETTINGS = settings(FUZZ_SETTINGS, max_examples=EDGE_MAX_EXAMPLES)
_BODY_FIELD = re.compile(r"[A-Za-z0-9_-]+")


def input_fields(document: dict) -> set[str]:
    """Every parameter and every scalar or untyped field of a JSON request body in `document`, as
    schemathesis names them in its `parameters` bindings (`query.construction_name`,
    `body.contract.construction_name`, `body.items[*].name`). Named one by one: schemathesis's type-wide
    bindings reach neither body fields nor parameters whose schema is an anyOf (FastAPI's `str | None`)."""
    components = document.get("components", {}).get("schemas", {})
    found: set[str] = set()

    def walk(schema: object, path: str, seen: frozenset[str]) -> None:
        if not isinstance(schema, dict):
            return
        if isinstance(schema.get("$ref"), str):
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(components.get(name), path, seen | {name})
            return
        for keyword in ("anyOf", "oneOf", "allOf"):
            for branch in schema.get(keyword, []):
                walk(branch, path, seen)
        for name, field in schema.get("properties", {}).items():
            if _BODY_FIELD.fullmatch(name):
                walk(field, f"{path}.{name}", seen)
        if "items" in schema:
            walk(schema["items"], f"{path}[*]", seen)
        structured = any(key in schema for key in ("properties", "items", "anyOf", "oneOf", "allOf"))
        scalar = schema.get("type") in ("string", "integer", "number") or ("type" not in schema and not structured)
        if scalar and path != "body":  # untyped fields too: a draft's fields take whatever was entered
            found.add(path)

    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                # Not one whose schema refers to a component (an enum such as `product`): schemathesis 4.32
                # fails to resolve the reference when it checks the entries against it.
                if '"$ref"' not in json.dumps(parameter.get("schema", {})):
                    found.add(f"{parameter['in']}.{parameter['name']}")
            body = operation.get("requestBody", {})
            walk(body.get("content", {}).get("application/json", {}).get("schema"), "body", frozenset())
    return found


def schemathesis_config(document: dict, *, edge_values: bool = False) -> schemathesis.Config:
    """Explicit (so that no schemathesis.toml found on the way up changes what CI runs): a fixed seed,
    derandomized generation from the document alone, and CHECKS only; with `edge_values`, EDGE_VALUES
    bound to every parameter and body field, generated valid cases only (the schema's examples, the
    coverage cases and the invalid cases are the main pass's)."""
    config: dict = {
        "seed": SEED,
        "generation": {"deterministic": True},
        # Not the literals of the Python modules loaded so far: which those are depends on the tests that
        # ran before (the same file gave other examples alone than after the platform's tests).
        "analysis": {"constants": {"enabled": False}},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
    }
    if edge_values:
        edge = {"dictionary": "edge", "probability": 0.1}
        config["dictionaries"] = {"edge": {"values": EDGE_VALUES}}
        config["parameters"] = {field: edge for field in sorted(input_fields(document))}
        config["phases"] = {"examples": {"enabled": False}, "coverage": {"enabled": False}}
        # Valid requests only: an edge value the schema allows must not crash the server (one it forbids
        # is a type error, which the main pass's negative cases already try).
        config["generation"]["mode"] = "positive"
    return schemathesis.Config.from_dict(config)


@contextlib.contextmanager
def generation_from_the_document_alone() -> Iterator[None]:
    """Without Hypothesis's local constants. Hypothesis (6.13x on) mixes into what it generates the literals
    of every non-test module of this repository imported so far, and which those are depends on the tests
    that ran before: the same file generated other examples alone than after the platform's tests. Off
    here, so that the examples depend on the document and the seed alone. No setting switches it off, so
    this replaces an internal of Hypothesis: if that moves, this fails at once instead of going unnoticed."""
    from hypothesis.internal.conjecture import providers

    original = providers._get_local_constants
    none = providers.Constants()
    providers._get_local_constants = lambda: none
    providers.CONSTANTS_CACHE.cache.clear()  # it keeps the constants it allowed per kind of value
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE.cache.clear()


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


class FuzzerSession(requests.Session):
    """A requests session whose connections leave from `address`, with a timeout on every request."""

    def __init__(self, address: str = FUZZER_ADDRESS) -> None:
        super().__init__()
        self.mount("http://", _FromAddress(address))

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return super().request(*args, **kwargs)


def load_schema(base_url: str, token_for: Callable[[], str], *, edge_values: bool = False) -> schemathesis.BaseSchema:
    """The document the service serves at /openapi.json (see schemathesis_config for `edge_values`); every
    case but a login carries `Authorization: Bearer <token_for()>` (called for each case, so that it may
    hand out a fresh token each time). Schemathesis still sends some cases without it on purpose (its
    coverage phase's security cases)."""
    document = requests.get(f"{base_url}/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document, config=schemathesis_config(document, edge_values=edge_values))

    class Bearer:
        def get(self, case, context) -> str:
            return token_for()

        def set(self, case, data: str, context) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    # No caching (refresh_interval=None): no replay of a 401 with a refreshed token either, so a 401 is seen as sent.
    schema.auth(refresh_interval=None).skip_for(path="/auth/login")(Bearer)
    return schema


def login(base_url: str, login_id: str, password: str) -> str:
    """A bearer token, logging in from LOGIN_ADDRESS (the examples' failed logins throttle FUZZER_ADDRESS)."""
    with FuzzerSession(LOGIN_ADDRESS) as session:
        response = session.post(f"{base_url}/auth/login", json={"login_id": login_id, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]
