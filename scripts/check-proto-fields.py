#!/usr/bin/env python3
"""Checks that every message, field, enum value and service method in protos/ matches the official
Envoy / Google descriptors (PyPI `xds-protos` and `protobuf`): same file, full name, field name,
number, type, label, referenced type, oneof and map-ness. Our protos are subsets, so upstream may
have more; everything we declare must exist upstream exactly as declared.

Run with the venv python: .venv/bin/python scripts/check-proto-fields.py [--protos DIR]
(--protos: check another tree instead of protos/; the tests use it to prove a mismatch is caught).
Exit status 0 when everything matches, 1 with one line per mismatch otherwise.
"""
import argparse
import importlib
import os
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def our_files(protos):
    """Our .proto files compiled by protoc into FileDescriptorProtos (protoc is the parser)."""
    names = sorted(
        os.path.relpath(os.path.join(d, f), protos)
        for d, _, fs in os.walk(protos) for f in fs if f.endswith(".proto"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        subprocess.run(["protoc", "-I" + protos, "-I/usr/include", "--descriptor_set_out=" + out]
                       + names, check=True)
        fds = descriptor_pb2.FileDescriptorSet.FromString(open(out, "rb").read())
    return [f for f in fds.file if f.name in names]


def official_file(name, problems):
    """The official FileDescriptorProto for the same path (module envoy/x/y.proto -> envoy.x.y_pb2)."""
    module = name[: -len(".proto")].replace("/", ".") + "_pb2"
    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        problems.append(f"{name}: no official module {module} ({e})")
        return None
    return descriptor_pb2.FileDescriptorProto.FromString(mod.DESCRIPTOR.serialized_pb)


LABELS = {1: "optional", 2: "required", 3: "repeated"}


def field_shape(msg, f):
    oneof = msg.oneof_decl[f.oneof_index].name if f.HasField("oneof_index") else None
    return {
        "number": f.number,
        "type": descriptor_pb2.FieldDescriptorProto.Type.Name(f.type),
        "label": LABELS[f.label],
        "type_name": f.type_name,
        "oneof": oneof,
        "proto3_optional": f.proto3_optional,
    }


def check_enum(where, ours, theirs, problems):
    values = {v.name: v.number for v in theirs.value}
    for v in ours.value:
        if v.name not in values:
            problems.append(f"{where}.{v.name}: enum value not in the official enum")
        elif values[v.name] != v.number:
            problems.append(f"{where}.{v.name}: number {v.number}, official {values[v.name]}")


def check_message(where, ours, theirs, problems, counts):
    counts["messages"] += 1
    if ours.options.map_entry != theirs.options.map_entry:
        problems.append(f"{where}: map_entry {ours.options.map_entry}, official {theirs.options.map_entry}")
    official = {f.name: field_shape(theirs, f) for f in theirs.field}
    for f in ours.field:
        counts["fields"] += 1
        mine = field_shape(ours, f)
        if f.name not in official:
            problems.append(f"{where}.{f.name}: field not in the official message")
            continue
        for key, value in mine.items():
            if official[f.name][key] != value:
                problems.append(f"{where}.{f.name}: {key} {value!r}, official {official[f.name][key]!r}")
    check_nested(where, ours, theirs, problems, counts)


def check_nested(where, ours, theirs, problems, counts):
    """Nested messages and enums of a message, or the top level of a file."""
    msgs = {m.name: m for m in (theirs.message_type if isinstance(theirs, descriptor_pb2.FileDescriptorProto) else theirs.nested_type)}
    enums = {e.name: e for e in theirs.enum_type}
    for m in (ours.message_type if isinstance(ours, descriptor_pb2.FileDescriptorProto) else ours.nested_type):
        if m.name not in msgs:
            problems.append(f"{where}.{m.name}: message not in the official file/message")
        else:
            check_message(f"{where}.{m.name}", m, msgs[m.name], problems, counts)
    for e in ours.enum_type:
        if e.name not in enums:
            problems.append(f"{where}.{e.name}: enum not in the official file/message")
        else:
            check_enum(f"{where}.{e.name}", e, enums[e.name], problems)


def check_services(ours, theirs, problems):
    services = {s.name: s for s in theirs.service}
    for s in ours.service:
        if s.name not in services:
            problems.append(f"{ours.package}.{s.name}: service not in the official file")
            continue
        methods = {m.name: m for m in services[s.name].method}
        for m in s.method:
            o = methods.get(m.name)
            shape = lambda x: (x.input_type, x.output_type, x.client_streaming, x.server_streaming)
            if o is None:
                problems.append(f"{ours.package}.{s.name}/{m.name}: method not in the official service")
            elif shape(o) != shape(m):
                problems.append(f"{ours.package}.{s.name}/{m.name}: {shape(m)}, official {shape(o)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--protos", default=os.path.join(ROOT, "protos"))
    protos = parser.parse_args().protos
    problems = []
    counts = {"files": 0, "messages": 0, "fields": 0}
    for ours in our_files(protos):
        counts["files"] += 1
        theirs = official_file(ours.name, problems)
        if theirs is None:
            continue
        if ours.package != theirs.package:
            problems.append(f"{ours.name}: package {ours.package}, official {theirs.package}")
            continue
        check_nested(ours.package, ours, theirs, problems, counts)
        check_services(ours, theirs, problems)
    for p in problems:
        print("MISMATCH", p)
    print(f"check-proto-fields: {counts['files']} files, {counts['messages']} messages, "
          f"{counts['fields']} fields checked, {len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
