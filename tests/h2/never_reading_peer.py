#!/usr/bin/env python3
"""A peer that opens COUNT ADS streams on one HTTP/2 connection with a receive window of zero and
then never reads: the server can send each stream headers but no message, so every send to it
stays outstanding. Raw HTTP/2 (the gRPC client always reads and grants window).

usage: never_reading_peer.py PORT REQUEST_HEX PATH [COUNT]   (exits when stdin closes, or after 60 s)
"""
import signal, socket, struct, sys
port, message, path = int(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
def frame(kind, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload
def literal(name, value):
    return b"\x00" + bytes([len(name)]) + name.encode() + bytes([len(value)]) + value.encode()
headers = b"".join(literal(n, v) for n, v in [(":method", "POST"), (":scheme", "http"), (":path", path),
    (":authority", "127.0.0.1:%d" % port), ("content-type", "application/grpc"), ("te", "trailers")])
data = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
data += frame(4, 0, 0, struct.pack(">HI", 4, 0))  # SETTINGS_INITIAL_WINDOW_SIZE = 0
data += frame(4, 1, 0, b"")                       # ACK the server's SETTINGS
for i in range(count):                            # client streams are odd: 1, 3, 5, ...
    data += frame(1, 4, 2 * i + 1, headers)
    data += frame(0, 0, 2 * i + 1, b"\x00" + struct.pack(">I", len(message)) + message)
s = socket.create_connection(("127.0.0.1", port))
s.sendall(data)
signal.alarm(60)                                  # never outlive a lost test
sys.stdin.read()                                  # never read the socket; exit when told
