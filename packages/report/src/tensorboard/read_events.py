"""An independent reader of TensorBoard event files for the tests: TFRecord framing checked with
its own CRC-32C, and the Event / Summary / SessionLog messages decoded by the protobuf library
(Debian's python3-protobuf) from descriptors built here after tensorflow/core/util/event.proto and
summary.proto. Prints one JSON object per event."""
import json
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def messages():
    file = descriptor_pb2.FileDescriptorProto(name="tb_events.proto", package="tb", syntax="proto3")

    def message(name, fields, enums=(), oneof=None):
        m = file.message_type.add(name=name)
        if oneof is not None:
            m.oneof_decl.add(name=oneof[0])
        for enum_name, values in enums:
            e = m.enum_type.add(name=enum_name)
            for value_name, number in values:
                e.value.add(name=value_name, number=number)
        for field_name, number, kind, label, type_name in fields:
            f = m.field.add(name=field_name, number=number, type=kind, label=label)
            if type_name:
                f.type_name = type_name
            if oneof is not None and field_name in oneof[1]:
                f.oneof_index = 0
        return m

    opt, rep = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    message("SummaryValue", [("tag", 1, F.TYPE_STRING, opt, None), ("simple_value", 2, F.TYPE_FLOAT, opt, None)])
    message("Summary", [("value", 1, F.TYPE_MESSAGE, rep, ".tb.SummaryValue")])
    message("SessionLog", [("status", 1, F.TYPE_ENUM, opt, ".tb.SessionLog.SessionStatus")],
            enums=[("SessionStatus", [("STATUS_UNSPECIFIED", 0), ("START", 1), ("STOP", 2), ("CHECKPOINT", 3)])])
    message("Event", [
        ("wall_time", 1, F.TYPE_DOUBLE, opt, None),
        ("step", 2, F.TYPE_INT64, opt, None),
        ("file_version", 3, F.TYPE_STRING, opt, None),
        ("summary", 5, F.TYPE_MESSAGE, opt, ".tb.Summary"),
        ("session_log", 7, F.TYPE_MESSAGE, opt, ".tb.SessionLog"),
    ], oneof=("what", {"file_version", "summary", "session_log"}))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    descriptor = pool.FindMessageTypeByName("tb.Event")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def main(path):
    Event = messages()
    data = open(path, "rb").read()
    at = 0
    while at < len(data):
        header = data[at:at + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[at + 8:at + 12])
        if masked(header) != length_crc:
            raise SystemExit(f"{path}: bad length CRC at byte {at}")
        body = data[at + 12:at + 12 + length]
        (body_crc,) = struct.unpack("<I", data[at + 12 + length:at + 16 + length])
        if masked(body) != body_crc:
            raise SystemExit(f"{path}: bad data CRC at byte {at}")
        at += 16 + length
        event = Event()
        event.ParseFromString(body)
        out = {"wall_time": event.wall_time, "step": event.step}
        if event.HasField("file_version"):
            out["file_version"] = event.file_version
        if event.HasField("summary"):
            out["scalars"] = [[v.tag, v.simple_value] for v in event.summary.value]
        if event.HasField("session_log"):
            out["session_log"] = event.session_log.status
        print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
