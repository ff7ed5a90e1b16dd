"""proto/inference/grpc_predict_v2.proto must describe exactly what kserve serves."""

import subprocess
import sys
from pathlib import Path

from google.protobuf import descriptor_pb2
from kserve.protocol.grpc import grpc_predict_v2_pb2 as served

PROTO_DIR = Path(__file__).resolve().parents[2] / "proto"


def shape_of(file: descriptor_pb2.FileDescriptorProto) -> dict:
    def message(m):
        return {
            "fields": sorted((f.name, f.number, f.type, f.label, f.type_name, f.HasField("oneof_index")) for f in m.field),
            "nested": {n.name: message(n) for n in m.nested_type},
            "map": m.options.map_entry,
        }

    return {
        "package": file.package,
        "messages": {m.name: message(m) for m in file.message_type},
        "services": {s.name: sorted((r.name, r.input_type, r.output_type) for r in s.method) for s in file.service},
    }


def test_the_proto_matches_the_served_descriptor(tmp_path):
    out = tmp_path / "set.pb"
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTO_DIR}", f"--descriptor_set_out={out}", "inference/grpc_predict_v2.proto"], check=True)
    ours = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file[0]
    theirs = descriptor_pb2.FileDescriptorProto()
    served.DESCRIPTOR.CopyToProto(theirs)
    assert shape_of(ours) == shape_of(theirs)
