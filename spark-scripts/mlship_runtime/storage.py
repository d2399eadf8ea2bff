"""Write and list run files through pyarrow.fs, so file:// and s3:// outputs work the same way."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
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


_TRUE = {"1", "true", "yes", "on"}


def _env(env: Mapping[str, str], *names: str) -> str | None:
    """The first of the named environment variables that is set and not blank."""
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return value
    return None


def _spark_hadoop_conf(key: str) -> str | None:
    """A fs.s3a.* setting mlship gave Spark (spark.hadoop.<key>), when a SparkSession is running here.

    In cluster deploy mode the driver does not inherit this machine's environment, but it does get the
    spark-submit configuration; this is where the endpoint, region and path style come from there.
    """
    try:
        from pyspark.sql import SparkSession

        session = SparkSession.getActiveSession()
        value = session.conf.get(f"spark.hadoop.{key}", None) if session is not None else None
        return value or None
    except Exception:  # noqa: BLE001 - no Spark (plain Python): nothing to read
        return None


def s3_filesystem(env: Mapping[str, str] | None = None) -> pafs.S3FileSystem:
    """An S3 filesystem resolved as the mlship CLI resolves S3 (docs/store.md), for pyarrow.

    Endpoint: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL (pyarrow 21 reads neither by itself), else Spark's
    fs.s3a.endpoint; region: AWS_REGION, AWS_DEFAULT_REGION, Spark's fs.s3a.endpoint.region, else us-east-1;
    path style: MLSHIP_S3_PATH_STYLE, else Spark's fs.s3a.path.style.access, else on with a custom endpoint.
    Credentials are left to the AWS SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
    AWS_SESSION_TOKEN, profiles, instance roles): they are never passed around as arguments.
    """
    env = os.environ if env is None else env
    endpoint = _env(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL") or _spark_hadoop_conf("fs.s3a.endpoint")
    region = _env(env, "AWS_REGION", "AWS_DEFAULT_REGION") or _spark_hadoop_conf("fs.s3a.endpoint.region") or "us-east-1"
    style = _env(env, "MLSHIP_S3_PATH_STYLE") or _spark_hadoop_conf("fs.s3a.path.style.access")
    path_style = style.lower() in _TRUE if style is not None else endpoint is not None
    options: dict[str, Any] = {"region": region, "force_virtual_addressing": not path_style}
    if endpoint is not None:
        scheme, _, rest = endpoint.partition("://")
        if not rest:  # a bare host:port; Hadoop's default is https
            scheme, rest = "https", endpoint
        options.update(endpoint_override=rest.rstrip("/"), scheme=scheme.lower())
    return pafs.S3FileSystem(**options)


def open_out(uri: str) -> OutDir:
    """Resolve an output URI (file:///abs, s3://bucket/prefix, s3a://bucket/prefix, or an absolute local path)."""
    if uri.startswith(("s3://", "s3a://")):
        base = uri.split("://", 1)[1]
        return OutDir(fs=s3_filesystem(), base=base.rstrip("/"), uri=uri.rstrip("/"))
    fs, base = pafs.FileSystem.from_uri(uri)
    return OutDir(fs=fs, base=base.rstrip("/"), uri=uri.rstrip("/"))


def spark_uri(uri: str) -> str:
    """The same location as Spark's Hadoop filesystems name it (s3:// is served by s3a://)."""
    return "s3a://" + uri[len("s3://"):] if uri.startswith("s3://") else uri


def _ensure_parent(out: OutDir, relative: str) -> None:
    """Create the folder a file goes into (object stores have no folders: nothing to do there)."""
    if out.fs.type_name == "s3":
        return
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


def read_bytes(out: OutDir, relative: str) -> bytes:
    """Read one whole file under the folder."""
    with out.fs.open_input_stream(out.path(relative)) as source:
        return source.read()


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
