"""One JSON object per log line for production log pipelines.

Payment and booking events log with `extra={"booking": reference, ...}`; those extras become
top-level keys, so every line about a booking can be found by its reference. Secrets never
reach a log line: settings are not logged, and Django's error reports cleanse KEY/SECRET/TOKEN
settings (ANYMAIL, RAZORPAY_*) before they are sent anywhere."""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else came in through `extra=`.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class ExpectedConflicts(logging.Filter):
    """Django logs every 4xx answer as a warning. A 409 is a conflict the client is told about
    and handles (a seat someone else took first, a payment still being set up): at a busy show's
    opening thousands a minute, each already in the access log with its status."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 409
