"""Serve one target under uvicorn with the production options of `galerie.server.serve`:
the asyncio loop, httptools, proxy headers (as in production), no uvicorn access log, no server
header, one worker (in this process, so a profiler can attach to it).

    python -m benchmarks.serve benchmarks.targets.starlette_hello:app --port 8001
"""

from __future__ import annotations

import argparse

import uvicorn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve")
    parser.add_argument("app", help="module:attribute of an ASGI application")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(
        args.app,
        host=args.host,
        port=args.port,
        loop="asyncio",
        http="httptools",
        log_config=None,
        access_log=False,
        proxy_headers=True,
        server_header=False,
    )


if __name__ == "__main__":
    main()
