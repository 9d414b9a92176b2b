#!/usr/bin/env python3
"""A webhook receiver for the realization tests (tests/cli/09xx).

Listens on 127.0.0.1 (a free port, written to the file `port` of the current directory) and
records every POST as one JSON line in `received.jsonl`: its headers, its body and the mode it
was answered in.  The file `mode` says how to answer: ok (204, the default), fail (500) or hang
(recorded, then no answer for 30 s)."""
import http.server
import json
import os
import time


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        mode = open("mode").read().strip() if os.path.exists("mode") else "ok"
        with open("received.jsonl", "a") as f:
            f.write(json.dumps({"path": self.path, "headers": dict(self.headers),
                                "body": body.decode(), "mode": mode}) + "\n")
        if mode == "hang":
            time.sleep(30)
        self.send_response(500 if mode == "fail" else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open("port.tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename("port.tmp", "port")
server.serve_forever()
