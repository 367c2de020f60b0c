"""The shape of the code, checked: what import-linter cannot say (docs/architecture.md).

- every package of jeugdketen has its place in the layers contract, so a new app cannot
  slip past the dependency check;
- nobody imports another app's private helpers (`_name`): an app offers a public surface;
- pages, API endpoints and commands never write themselves: they call actions;
- only access writes the credentials (API tokens, activation codes, authenticator
  devices): another app's action asks an access action to.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "jeugdketen"

# Modules that build demo and benchmark data write in bulk on purpose (the demo app), and
# migrations are Django's.
WRITERS_ALLOWED = ("demo", "migrations")
WRITE_CALLS = {"save", "delete", "create", "bulk_create", "bulk_update", "update",
               "get_or_create", "update_or_create"}
INTERFACE_MODULES = ("views", "api", "admin_views", "family_views", "commands")


def _contracts() -> list[dict]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return data["tool"]["importlinter"]["contracts"]


def _layer_packages() -> set[str]:
    layers = next(c for c in _contracts() if c["id"] == "layers")["layers"]
    return {name.strip(" ()").removeprefix("jeugdketen.")
            for layer in layers for name in layer.split("|")}


def _packages() -> set[str]:
    found = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    found |= {p.stem for p in SRC.glob("*.py") if p.stem not in ("__init__", "__main__")}
    return found


def _modules() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]


def _app_of(path: Path, src: Path) -> str:
    return path.relative_to(src).parts[0].removesuffix(".py")


def _is_module(dotted: str, src: Path) -> bool:
    base = src.parent.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def test_every_package_has_a_place_in_the_layers():
    missing = _packages() - _layer_packages()
    assert not missing, f"add these to the layers contract in pyproject.toml: {missing}"


def test_the_layers_name_only_packages_that_exist():
    assert _layer_packages() <= _packages()


def _private_imports(path: Path, src: Path = SRC) -> list[str]:
    """`from jeugdketen.other... import _x` and `alias._x` where alias is another app's
    module."""
    app = _app_of(path, src)
    tree = ast.parse(path.read_text(), str(path))
    found: list[str] = []
    other_modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != "jeugdketen" or len(parts) < 2 or parts[1] == app:
                continue
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{path.relative_to(src)}:{node.lineno} {node.module}."
                                 f"{alias.name}")
                elif _is_module(f"{node.module}.{alias.name}", src):
                    other_modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "jeugdketen" and len(parts) > 1 and parts[1] != app:
                    other_modules[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__") and isinstance(node.value, ast.Name)
                and node.value.id in other_modules):
            found.append(f"{path.relative_to(src)}:{node.lineno} "
                         f"{other_modules[node.value.id]}.{node.attr}")
    return found


def test_no_app_imports_another_apps_private_helpers():
    found = [hit for path in _modules() for hit in _private_imports(path)]
    assert not found, "give these a public name in the other app:\n" + "\n".join(found)


def _writes(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    return [f"{path.relative_to(root)}:{node.lineno} .{node.func.attr}()"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITE_CALLS
            and _looks_like_model_write(node.func)]


def _looks_like_model_write(func: ast.Attribute) -> bool:
    """`x.objects.create(...)`, `qs.update(...)`, `obj.save()`: a receiver that is a
    manager or queryset chain, or a bare `.save()`/`.delete()` on a name."""
    if func.attr in ("save", "delete"):
        return True
    text = ast.unparse(func.value)
    return ".objects" in text or text.endswith(("_set", "queryset"))


def _interface_modules() -> list[Path]:
    return [p for p in _modules()
            if not set(p.relative_to(SRC).parts) & set(WRITERS_ALLOWED)
            and (p.stem in INTERFACE_MODULES or "views" in p.parts or "commands" in p.parts)]


def test_pages_api_and_commands_never_write_themselves():
    found = [hit for path in _interface_modules() for hit in _writes(path)]
    assert not found, "call an action instead:\n" + "\n".join(found)


# The credentials access owns; other apps' actions call access.actions to write them.
CREDENTIALS = ("ApiToken", "ActivationCode", "TOTPDevice")


def _credential_writes(path: Path, root: Path = ROOT) -> list[str]:
    """Model writes on a credential: a receiver that names one (`ApiToken.objects...`), or
    a name bound to an expression that names one (`tokens = ApiToken.objects.filter(...)`,
    then `tokens.update(...)`; `for code in ActivationCode.objects...: code.save()`)."""
    tree = ast.parse(path.read_text(), str(path))

    def names_one(node: ast.AST) -> bool:
        return any(model in ast.unparse(node) for model in CREDENTIALS)

    bound: set[str] = set()
    for node in ast.walk(tree):
        pairs: list[tuple[ast.AST, ast.AST]] = []
        if isinstance(node, ast.Assign):
            pairs = [(target, node.value) for target in node.targets]
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            pairs = [(node.target, node.value)]
        elif isinstance(node, (ast.For, ast.comprehension)):
            pairs = [(node.target, node.iter)]
        for target, value in pairs:
            if names_one(value):
                bound |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITE_CALLS):
            continue
        receiver = node.func.value
        root_name = receiver
        while isinstance(root_name, (ast.Attribute, ast.Call, ast.Subscript)):
            root_name = root_name.func if isinstance(root_name, ast.Call) else root_name.value
        if names_one(receiver) or (isinstance(root_name, ast.Name) and root_name.id in bound):
            found.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(node.func)}()")
    return found


def test_only_access_writes_the_credentials():
    found = [hit for path in _modules() if _app_of(path, SRC) != "access"
             for hit in _credential_writes(path)]
    assert not found, ("call an access action (access.actions: create_token, "
                       "revoke_credentials, ...) instead:\n" + "\n".join(found))


@pytest.mark.parametrize("source", [
    "ApiToken.objects.create(user=user)\n",
    "ActivationCode.objects.filter(user=user).update(revoked_at=now)\n",
    "tokens = ApiToken.objects.filter(user__in=users)\ntokens.update(revoked_at=now)\n",
    "for code in ActivationCode.objects.filter(user=u):\n    code.save()\n",
    "device = TOTPDevice.objects.get(pk=1)\ndevice.delete()\n",
])
def test_the_credential_check_catches_writes(tmp_path, source):
    probe = tmp_path / "actions.py"
    probe.write_text(source)
    assert _credential_writes(probe, tmp_path)


def test_the_credential_check_lets_reads_and_other_writes_pass(tmp_path):
    probe = tmp_path / "actions.py"
    probe.write_text("tokens = list(ApiToken.objects.filter(user=user))\n"
                     "ApiToken.objects.filter(user=user).exists()\n"
                     "user.save(update_fields=['is_active'])\n"
                     "Professional.objects.create(user=user)\n")
    assert not _credential_writes(probe, tmp_path)


@pytest.mark.parametrize("source", [
    "from jeugdketen.plans.actions import _plan_for\n",
    "from jeugdketen.plans import actions as plans\nplans._me(1)\n",
])
def test_the_private_import_check_catches_both_forms(tmp_path, source):
    src = tmp_path / "jeugdketen"
    (src / "plans" / "actions").mkdir(parents=True)
    (src / "plans" / "actions" / "__init__.py").write_text("")
    (src / "analysis").mkdir()
    probe = src / "analysis" / "probe.py"
    probe.write_text(source)
    assert _private_imports(probe, src)
    (src / "plans" / "probe.py").write_text(source)
    assert not _private_imports(src / "plans" / "probe.py", src)


@pytest.mark.parametrize("source", ["Person.objects.create(name='x')\n",
                                    "person.save()\n",
                                    "Plan.objects.filter(pk=1).update(status='x')\n"])
def test_the_write_check_catches_model_writes(tmp_path, source):
    probe = tmp_path / "views.py"
    probe.write_text(source)
    assert _writes(probe, tmp_path)
