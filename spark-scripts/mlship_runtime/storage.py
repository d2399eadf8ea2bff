"""Write and list run files through pyarrow.fs, so file:// and s3:// outputs work the same way."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.ipc as ipc

_CHUNK = 1 << 20


@dataclass(frozen=True)
class OutDir:
    """A run's output folder: the filesystem, its base path there, and the URI it came from."""

    fs: pafs.FileSystem
    base: str
    uri: str

    def path(self, relative: str) -> str:
        """The filesystem path of a file given relative to the folder."""
        return f"{self.base}/{relative}" if relative else self.base


def open_out(uri: str) -> OutDir:
    """Resolve an output URI (file:///abs, s3://bucket/prefix, or an absolute local path)."""
    fs, base = pafs.FileSystem.from_uri(uri)
    return OutDir(fs=fs, base=base.rstrip("/"), uri=uri.rstrip("/"))


def spark_uri(uri: str) -> str:
    """The same location as Spark's Hadoop filesystems name it (s3:// is served by s3a://)."""
    return "s3a://" + uri[len("s3://"):] if uri.startswith("s3://") else uri


def _ensure_parent(out: OutDir, relative: str) -> None:
    """Create the folder a file goes into (a no-op on object stores)."""
    parent = out.path(relative).rsplit("/", 1)[0]
    out.fs.create_dir(parent, recursive=True)


def write_bytes(out: OutDir, relative: str, data: bytes) -> None:
    """Write (or replace) one file under the output folder."""
    _ensure_parent(out, relative)
    with out.fs.open_output_stream(out.path(relative)) as sink:
        sink.write(data)


def write_json(out: OutDir, relative: str, doc: Any) -> None:
    """Write a JSON document; NaN and infinities are refused (JSON has none), floats keep all digits."""
    text = json.dumps(doc, indent=2, allow_nan=False, ensure_ascii=False) + "\n"
    write_bytes(out, relative, text.encode("utf-8"))


def write_arrow_file(out: OutDir, relative: str, table: pa.Table) -> None:
    """Write a table as one Arrow IPC *file* (random-access format, not a stream)."""
    _ensure_parent(out, relative)
    with out.fs.open_output_stream(out.path(relative)) as sink:
        with ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)


def read_arrow_file(out: OutDir, relative: str) -> pa.Table:
    """Read an Arrow IPC file back."""
    with out.fs.open_input_file(out.path(relative)) as source:
        return ipc.open_file(source).read_all()


def delete_file(out: OutDir, relative: str) -> None:
    """Delete a file if it exists."""
    info = out.fs.get_file_info(out.path(relative))
    if info.type == pafs.FileType.File:
        out.fs.delete_file(out.path(relative))


def delete_dir(out: OutDir, relative: str) -> None:
    """Delete a folder and everything in it, if it exists."""
    info = out.fs.get_file_info(out.path(relative))
    if info.type == pafs.FileType.Directory:
        out.fs.delete_dir(out.path(relative))


def walk_files(out: OutDir) -> Iterator[tuple[str, int]]:
    """Every file under the folder as (relative path with '/' separators, size in bytes)."""
    selector = pafs.FileSelector(out.base, recursive=True, allow_not_found=True)
    for info in out.fs.get_file_info(selector):
        if info.type == pafs.FileType.File:
            yield info.path[len(out.base):].lstrip("/"), int(info.size)


def sha256_of(out: OutDir, relative: str) -> str:
    """The hex sha256 of one file, streamed."""
    digest = hashlib.sha256()
    with out.fs.open_input_stream(out.path(relative)) as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
