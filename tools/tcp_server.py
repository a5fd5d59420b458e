# SPDX-License-Identifier: BSD-2-Clause
"""The host end of a guest's TCP connections (QEMU user networking's 10.0.2.2 is 127.0.0.1).

Shared by tests/run.py (the echo peer of the network rows) and tools/bench.py (the I/O
benchmark's peer); each says in handle() what it speaks.
"""
import socket
import threading


class TcpServer:
    """Listens on 127.0.0.1:port (0: a free port, in self.port) until close(); each connection
    goes to self.handle(conn) in a thread of its own."""

    def __init__(self, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        raise NotImplementedError

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
