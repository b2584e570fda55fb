"""What the two web load benchmarks share: the text they post, the queries they search,
and a free loopback port for the server they start (imported by bench_web.py and
load_serve.py, which run as scripts from this folder)."""

from __future__ import annotations

import socket

TEXT = ("NATO Secretary General Jens Stoltenberg said on Monday that allies must spend more "
        "on defence. \"We will not be intimidated,\" he told reporters. Critics warned the "
        "plan would strain budgets, according to officials familiar with the talks.")
QUERIES = ["strike", "bank rates", "river", "said", "defence spending", "union"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
