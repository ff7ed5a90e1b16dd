"""`python -m localstore_models --http_port 8080 --grpc_port 8081`: serve the models."""

import sys

# A forecast request carries a location's whole daily history: allow 64 MiB, not gRPC's 4.
for flag in ("--grpc_max_receive_message_length", "--grpc_max_send_message_length"):
    if not any(argument.startswith(flag) for argument in sys.argv[1:]):
        sys.argv += [flag, str(64 * 1024 * 1024)]

from .server import serve  # noqa: E402  (kserve reads sys.argv when imported)

serve()
