#!/usr/bin/env python3
"""Regenerate proto/vendor/pulumi.fds from a pinned Pulumi release.

The Pulumi Python SDK on PyPI ships every Pulumi .proto file compiled into
`pulumi/runtime/proto/**/*_pb2.py`, each holding the serialized
FileDescriptorProto. This script downloads the pinned wheels (Pulumi, and
protobuf for the google/protobuf well-known types they import), pulls those
bytes out with `ast` (nothing from the wheels is executed), and writes them as
one FileDescriptorSet in dependency order. The Rust build compiles that set
with prost/tonic, so building needs neither network nor protoc.

Usage: python3 proto/regenerate.py   (needs pip and access to PyPI)
"""
import ast
import hashlib
import pathlib
import subprocess
import sys
import tempfile
import zipfile

PULUMI_VERSION = "3.270.0"
PROTOBUF_VERSION = "6.33.1"
HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "vendor" / "pulumi.fds"
PROVENANCE = HERE / "vendor" / "PROVENANCE.md"


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def read_string_field(buf: bytes, field: int) -> list:
    """Values of a length-delimited field in a protobuf message (enough to read
    FileDescriptorProto.name=1 and .dependency=3 without a protobuf library)."""
    values, i = [], 0
    while i < len(buf):
        key, i = decode_varint(buf, i)
        wire = key & 7
        if wire == 0:
            _, i = decode_varint(buf, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            length, i = decode_varint(buf, i)
            if key >> 3 == field:
                values.append(buf[i:i + length].decode())
            i += length
        else:
            raise ValueError(f"unexpected wire type {wire}")
    return values


def decode_varint(buf: bytes, i: int):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, i


def serialized_descriptors(wheel: pathlib.Path, prefix: str) -> dict:
    found = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in sorted(zf.namelist()):
            if not (name.startswith(prefix) and name.endswith("_pb2.py")):
                continue
            tree = ast.parse(zf.read(name))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "AddSerializedFile"
                        and node.args and isinstance(node.args[0], ast.Constant)):
                    data = node.args[0].value
                    found[read_string_field(data, 1)[0]] = data
    return found


def download(spec: str, into: str) -> pathlib.Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--only-binary", ":all:", "-d", into, spec], check=True)
    name = spec.split("==")[0]
    return next(pathlib.Path(into).glob(f"{name}-*.whl"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pulumi_whl = download(f"pulumi=={PULUMI_VERSION}", tmp)
        protobuf_whl = download(f"protobuf=={PROTOBUF_VERSION}", tmp)
        files = serialized_descriptors(pulumi_whl, "pulumi/runtime/proto/")
        well_known = serialized_descriptors(protobuf_whl, "google/protobuf/")
        wheel_hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in (pulumi_whl, protobuf_whl)}

    # Add the well-known files the Pulumi files import, then order by dependency.
    pending = list(files)
    while pending:
        for dep in read_string_field(files[pending.pop()], 3):
            if dep not in files:
                files[dep] = well_known[dep]
                pending.append(dep)
    ordered, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for dep in read_string_field(files[name], 3):
            visit(dep)
        ordered.append(name)

    for name in sorted(files):
        visit(name)

    fds = b"".join(b"\x0a" + varint(len(files[n])) + files[n] for n in ordered)
    OUT.write_bytes(fds)
    listing = "\n".join(f"- `{n}`" for n in ordered)
    hashes = "\n".join(f"- `{k}` sha256 `{v}`" for k, v in sorted(wheel_hashes.items()))
    PROVENANCE.write_text(f"""# Vendored Pulumi protocol definitions

`pulumi.fds` is a protobuf FileDescriptorSet holding the Pulumi gRPC protocol
(`proto/pulumi/*.proto` of pulumi/pulumi) as released in Pulumi v{PULUMI_VERSION},
plus the google/protobuf well-known types it imports (protobuf {PROTOBUF_VERSION}).

- Source: the compiled descriptors inside the PyPI wheels below, extracted
  byte for byte by `proto/regenerate.py` (run it to reproduce this folder).
- License: the Pulumi protocol definitions are Copyright 2016-2025 Pulumi
  Corporation, Apache License 2.0. The google/protobuf well-known types are
  Copyright Google Inc., BSD 3-Clause.
- pulumi.fds sha256 `{hashlib.sha256(fds).hexdigest()}`

Wheels:
{hashes}

Files, in dependency order:
{listing}
""")
    print(f"wrote {OUT} ({len(fds)} bytes, {len(ordered)} files)")


if __name__ == "__main__":
    main()
