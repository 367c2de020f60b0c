"""`python -m jeugdketen.brp.standin --port 8089 --db var/brp-standin.sqlite3`: serve the BRP
stand-in (see server.py). `jeugdketen brp-standin serve` runs the same."""

from __future__ import annotations

import argparse
import os

from jeugdketen.brp.standin.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(description="The BRP stand-in (synthetic persons only).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("JEUGDKETEN_BRP_STANDIN_PORT", "8089")))
    parser.add_argument("--db", required=True)
    parser.add_argument("--api-key", default=os.environ.get("JEUGDKETEN_BRP_STANDIN_API_KEY", ""))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    serve(args.host, args.port, args.db, api_key=args.api_key, verbose=args.verbose)


if __name__ == "__main__":
    main()
