"""The demo's keys: an admin key for the person trying Qiao (printed by `make run`) and a site key for the
demo page's widget. Both live in `<data_dir>/demo-keys.json` (mode 0600) so each run prints the same ones; the
database holds only their hashes, as for any key. Delete the file (and revoke the keys) to end the demo."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from knowledge.enums import Role
from knowledge.keys import KeyStore, normalise_origin
from knowledge.schemas import Actor

DEMO_KEYS_FILE = "demo-keys.json"
_ACTOR = Actor(name="demo")


@dataclass(frozen=True)
class DemoKeys:
    admin: str
    site: str
    site_id: str


def read_demo_keys(data_dir: Path) -> DemoKeys | None:
    """The demo keys, if the demo is set up in `data_dir`."""
    try:
        raw = json.loads((data_dir / DEMO_KEYS_FILE).read_text())
        return DemoKeys(admin=raw["admin"], site=raw["site"], site_id=raw["site_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ensure_demo_keys(keys: KeyStore, data_dir: Path, origins: list[str]) -> tuple[DemoKeys, bool]:
    """The demo keys, made (again) when missing, revoked, or not serving `origins`; returns (keys, made)."""
    wanted = {normalise_origin(o) for o in origins}
    known = read_demo_keys(data_dir)
    if known is not None:
        admin, site = keys.verify(known.admin), keys.verify(known.site)
        if admin is not None and site is not None and wanted <= set(site.origins):
            return known, False
        for key in (admin, site):
            if key is not None:
                keys.revoke(key.key_id, _ACTOR)
    admin_key = keys.create(Role.admin, _ACTOR, name="demo admin")
    site_key = keys.create(Role.site, _ACTOR, name="demo page", origins=sorted(wanted))
    made = DemoKeys(admin=admin_key.key, site=site_key.key, site_id=site_key.id)
    path = data_dir / DEMO_KEYS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(asdict(made), out)
    partial.replace(path)  # atomic: a crash leaves the old file or the new one, never half of one
    return made, True
