"""The editor schema: generated from the loader's own format, current, and true to it."""

import json

import jsonschema
import pytest
from conftest import MENUS, MINIMAL, ROOT
from ruamel.yaml import YAML

from ivr.menufile.format import json_schema

COMMITTED = ROOT / "schema" / "menu.schema.json"


def as_editor_reads(text: str):
    """YAML 1.2 as editors parse it; keys become strings as in JSON."""
    def strings(value):
        if isinstance(value, dict):
            return {str(k): strings(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strings(v) for v in value]
        return value

    return strings(YAML(typ="safe").load(text))


def test_committed_schema_is_current():
    """schema/menu.schema.json is what `ivr schema` prints today."""
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == json_schema()


def test_schema_is_valid_json_schema():
    """The schema itself is valid draft-07."""
    jsonschema.Draft7Validator.check_schema(json_schema())


@pytest.mark.parametrize("path", sorted(MENUS.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_menus_validate_and_point_to_the_schema(path):
    """Every shipped menu passes the schema and names it for the editor."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/menu.schema.json\n")
    jsonschema.validate(as_editor_reads(text), json_schema())


@pytest.mark.parametrize("change", [
    pytest.param(("    prompt: Tryck 1.", "    promt: Tryck 1."), id="unknown-key"),
    pytest.param(("type: hangup", "type: hangpu"), id="unknown-type"),
    pytest.param(("      1: bye", "      12: bye"), id="two-digit-key"),
    pytest.param(('["+46101234567"]', "[+46101234567]"), id="unquoted-number"),
])
def test_schema_flags_what_the_loader_refuses(change):
    """Mistakes the loader reports are flagged by the editor too."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(as_editor_reads(MINIMAL.replace(*change)), json_schema())
