"""What the operator's tools read: /healthz and /readyz for the load balancer and the
service manager, /metrics for monitoring, and each request's id in the logs."""

from flask import Blueprint

bp = Blueprint("ops", __name__)
