"""MANIFEST.json: the sha256 and size of every file in the model folder, written last."""

from __future__ import annotations

from typing import Any

from ..progress import Now, iso_utc
from ..storage import OutDir, sha256_of, walk_files, write_json

MANIFEST = "MANIFEST.json"
FORMAT_VERSION = 1


def build_manifest(out: OutDir, run_id: str, now: Now) -> dict[str, Any]:
    """List every file under the folder except the manifest itself, sorted by path."""
    files = sorted((path, size) for path, size in walk_files(out) if path != MANIFEST)
    return {
        "formatVersion": FORMAT_VERSION,
        "runId": run_id,
        "createdAt": iso_utc(now()),
        "files": [{"path": path, "sha256": sha256_of(out, path), "size": size} for path, size in files],
    }


def write_manifest(out: OutDir, run_id: str, now: Now) -> dict[str, Any]:
    """Write MANIFEST.json; once it exists the run is complete."""
    manifest = build_manifest(out, run_id, now)
    write_json(out, MANIFEST, manifest)
    return manifest
