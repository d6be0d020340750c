import pytest

from pipeline.testkit.responder import pipeline_reply
from pipeline.testkit.threaded import ThreadedFakeServer


@pytest.fixture(scope="module")
def fake_llm():
    with ThreadedFakeServer(reply=pipeline_reply) as srv:
        yield srv


def overrides(srv, out, extra=()):
    return [
        f"llm.api_base={srv.url}",
        "llm.model=openai/fake",
        f"run.output_dir={out}",
        "run.progress=false",
        "compose.instructions_per_task=2",
        "sample.n=3",
        "expand.attempts=2",
        *extra,
    ]
