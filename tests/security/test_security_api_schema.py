"""schemathesis against the web app's OpenAPI spec, in process (ASGI): whatever it sends,
including to the token-protected write endpoint, the app answers without a server error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis")

from presslens.run import analyze_corpus  # noqa: E402 - after the optional import above
from presslens.store import open_store  # noqa: E402
from presslens.web import WebConfig, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "schemathesis-token-0123456789"
#: Generated requests per operation (the spec has about 15 operations).
EXAMPLES = 12
FAST = {
    "pipeline": {"stages": ["spacy", "entities"]},
    "stages": {
        "spacy": {"impl": "presslens.spacy.v1"},
        "entities": {"impl": "presslens.entities.v1"},
    },
}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> object:
    folder = tmp_path_factory.mktemp("api")
    corpus = folder / "corpus"
    corpus.mkdir()
    for i, name in enumerate(sorted((ROOT / "demo" / "corpus").iterdir())[:4]):
        shutil.copy(name, corpus / f"{i}{name.suffix}")
    path = folder / "api.db"
    store = open_store(str(path))
    try:
        result = analyze_corpus([str(corpus)], store=store, config=FAST)
        assert not result.errors, result.errors
    finally:
        store.close()
    app = create_app(WebConfig(store_url=str(path), token=TOKEN, max_body=200_000))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_api_answers_every_generated_request_without_a_server_error(api_schema: object) -> None:
    """Each operation of the spec gets generated requests (schemathesis strategies, run by
    Hypothesis), every one with the write token; none may answer 5xx."""
    operations = [result.ok() for result in api_schema.get_all_operations()]  # type: ignore[attr-defined]
    assert any(op.method.upper() == "POST" for op in operations)  # the write endpoint is in
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def probe(case: object) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}  # type: ignore[attr-defined]
            response = case.call()  # type: ignore[attr-defined]
            if response.status_code >= 500:
                failures.append(
                    f"{response.status_code} {case.as_curl_command()}\n{response.text[:400]}"  # type: ignore[attr-defined]
                )

        probe()
    assert failures == [], "\n".join(failures[:10])
