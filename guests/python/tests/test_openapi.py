"""The pydantic models against protocol/remote-plugin.openapi.yaml: the same fields, the same
required ones, the same version, and a route for every path."""

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from mockforge_plugin.remote import PROTOCOL_VERSION, create_app, models
from tests.test_server import Echo

SPEC = yaml.safe_load(
    (Path(__file__).resolve().parents[3] / "protocol" / "remote-plugin.openapi.yaml").read_text()
)
SCHEMAS = SPEC["components"]["schemas"]
PAIRS = [
    ("Request", models.Request), ("Identity", models.Identity), ("Denial", models.Denial),
    ("AuthOutcome", models.AuthOutcome), ("Response", models.Response),
    ("Description", models.Description), ("ErrorEnvelope", models.ErrorEnvelope),
]


def test_the_versions_agree():
    assert SPEC["info"]["version"] == PROTOCOL_VERSION
    wit = (Path(__file__).resolve().parents[3] / "wit" / "0.1.0" / "types.wit").read_text()
    assert f"package mockforge:plugin@{PROTOCOL_VERSION};" in wit


@pytest.mark.parametrize("schema,model", PAIRS)
def test_fields_and_required_fields_agree(schema, model):
    spec = SCHEMAS[schema]
    assert set(spec["properties"]) == set(model.model_fields), schema
    required = {name for name, field in model.model_fields.items() if field.is_required()}
    assert required == set(spec.get("required", [])) - _defaulted(schema), schema


def _defaulted(schema):
    # Fields the spec requires of the host's requests but the SDK accepts without.
    return {"Request": {"query", "headers", "body"}, "Description": {"protocol"}}.get(schema, set())


def test_error_kinds_agree():
    spec_kinds = SCHEMAS["ErrorEnvelope"]["properties"]["error"]["properties"]["kind"]["enum"]
    assert set(spec_kinds) == set(models.ErrorKind.__args__)


def test_every_path_is_served():
    app = create_app(Echo(), "s")
    served = {route.path for route in app.routes}
    assert set(SPEC["paths"]) <= served
    assert TestClient(app).get("/health").status_code == 200
