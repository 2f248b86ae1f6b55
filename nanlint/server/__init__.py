"""`nanlint server`: a language server (LSP over stdio) for editors.

pygls is an optional extra (`pip install "nanlint[server]"`) and costs ~0.5 s to import, so it is imported
only here, behind the `server` subcommand: the lint path never loads it.
"""

from __future__ import annotations

import argparse
import sys

INSTALL_HINT = 'the language server needs pygls; install it with: pip install "nanlint[server]"'


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nanlint server",
        description="Run nanlint as a language server over stdio: diagnostics as you type, fixes as code "
                    "actions, rule pages on hover, and a 'Verify this finding' command (needs TensorFlow).")
    parser.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the default; for clients that pass it)")
    parser.add_argument("--python", metavar="PATH",
                        help="interpreter for the verifier (your project's, with TensorFlow); default: this one")
    parser.add_argument("--device", choices=("cpu", "gpu", "auto"), default="auto", help="where the verifier runs TensorFlow")
    parser.add_argument("--verify-timeout", type=float, default=60.0, metavar="SECONDS",
                        help="wall-clock limit per verified finding (default 60)")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        from nanlint.server.lsp import VerifyOptions, build_server
    except ImportError as error:
        if (error.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        print(f"nanlint: error: {INSTALL_HINT}", file=sys.stderr)
        return 2
    from nanlint.parser_choice import libcst_parse

    server = build_server(VerifyOptions(python=args.python, device=args.device, timeout=args.verify_timeout))
    with libcst_parse():  # its quick fixes are printed from libcst's tree, with the file's spacing
        server.start_io()
    return 0
