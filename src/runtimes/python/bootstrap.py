"""The Python runtime of an execution environment, as Lambda's own (awslambdaric) behaves:
the same handler loading, context, logging format, marshalling, error shapes and exit codes.

Standard library only: it runs inside every environment, before and beside the user's code.
Launched as `python -u -P bootstrap.py`, with _HANDLER and LAMBDA_TASK_ROOT in the environment.
"""

import decimal
import importlib
import json
import logging
import math
import mmap
import os
import socket
import sys
import time
import traceback

API = "/2018-06-01/runtime"
# Selfless's extension route for pre-started runtimes (see src/runtime-api/routes.ts).
ASSIGNMENT = "/selfless/2026-11-25/assignment"
MAX_HEAD_BYTES = 64 * 1024


# --- Errors, with the names Lambda reports -----------------------------------------------------


class FaultException(Exception):
    """An error of the runtime's own, reported with its dotted Lambda type."""

    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace


def make_error(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace or [],
    }


def _safe_str(value):
    try:
        return str(value)
    except Exception:
        return "<exception str() failed>"


def error_from_exception(exc_info, request_id=None):
    """Lambda's body for an exception: the user's frames only, without this file's leading ones."""
    etype, value, tb = exc_info
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    # Tuples, not FrameSummary objects: Lambda's entries carry no column carets.
    for i, frame in enumerate(frames):
        if "/bootstrap.py" not in frame[0]:
            frames = frames[i:]
            break
    return make_error(_safe_str(value), etype.__name__, traceback.format_list(frames), request_id)


# --- JSON, as Lambda marshals it -----------------------------------------------------------------

# Lambda's Python 3.12+ runtimes keep non-ASCII characters as they are; 3.11 escapes them.
# Read again once a pre-started runtime knows its function (read_function_settings).
_ENSURE_ASCII = True
_DECIMAL_MARK = "\x00decimal-" + os.urandom(8).hex() + "-"


def to_json(obj):
    """Encodes as Lambda does (simplejson there): Decimal as its exact number, NaN allowed."""
    decimals = []

    def default(o):
        if isinstance(o, decimal.Decimal):
            if o.is_nan():
                return math.nan
            decimals.append(str(o))
            return _DECIMAL_MARK + str(len(decimals) - 1)
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    text = json.dumps(obj, ensure_ascii=_ENSURE_ASCII, allow_nan=True, default=default)
    if decimals:
        # The stdlib has no raw JSON values: swap each placeholder string for its number.
        import re

        quoted = json.dumps(_DECIMAL_MARK)[:-1]
        text = re.sub(re.escape(quoted) + r'(\d+)"', lambda m: decimals[int(m.group(1))], text)
    return text


def unmarshal_event(body, content_type):
    if content_type != "application/json":
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(FaultException.UNMARSHAL_ERROR, f"Unable to unmarshal input: {e}")


def marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise FaultException(FaultException.MARSHAL_ERROR, f"Unable to marshal response: {e}")


# --- The Runtime API client: one raw keep-alive socket --------------------------------------------
# http.client imports ssl and email (tens of ms at every cold start) and parses headers with the
# email package on every call; the Runtime API always answers with Content-Length, so this suffices.


class RuntimeApiError(Exception):
    """The Runtime API is unreachable or answered something unreadable: the environment ends."""


class RuntimeApiStatusError(RuntimeApiError):
    """The Runtime API refused a call (e.g. the invocation already timed out)."""

    def __init__(self, path, status, body):
        super().__init__(f"{path} answered {status}: {body[:1024].decode('utf-8', 'replace')}")
        self.status = status


def _header_value(text):
    # The error type is user-controlled: keep it from breaking the header block.
    return "".join(c for c in text if " " <= c <= "~")


class RuntimeClient:
    def __init__(self, address, token=None):
        host, sep, port = address.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise RuntimeApiError(f"AWS_LAMBDA_RUNTIME_API is not host:port: '{address}'")
        self._address = address
        self._target = (host[1:-1] if host.startswith("[") else host, int(port))
        self._next = f"GET {API}/invocation/next HTTP/1.1\r\nHost: {address}\r\n\r\n".encode("ascii")
        self._sock = None
        self._reader = None
        # Goes into the first request on each connection: the endpoint admits it at once
        # (see src/runtime-api/runtime-token.ts).
        valid = token and len(token) <= 128 and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)
        self._introduction = f"Selfless-Runtime-Token: {token}\r\n".encode("ascii") if valid else b""
        self._introduce = False

    def next(self):
        """Long-polls for the next invocation, without a timeout. Returns (headers, body)."""
        return self._exchange(f"{API}/invocation/next", self._next)

    def assignment(self):
        """A pre-started runtime waits here for the function it is to become. Returns (headers, body)."""
        return self._exchange(ASSIGNMENT, f"GET {ASSIGNMENT} HTTP/1.1\r\nHost: {self._address}\r\n\r\n".encode("ascii"))

    def post_error(self, request_id, error):
        self._post(f"{API}/invocation/{request_id}/error", to_json(error).encode("utf-8", "replace"), "application/json", error["errorType"])

    def post_init_error(self, error):
        self._post(f"{API}/init/error", to_json(error).encode("utf-8", "replace"), "application/json", error["errorType"])

    def report_then_next(self, request_id, error, result, content_type, sent):
        """Reports an invocation's outcome (its error, else its result) and asks for the next
        invocation in the same write (HTTP/1.1 pipelining): one write and one read instead of two
        round trips. `sent` runs once both are written. Returns (refusal, (headers, body)): the
        RuntimeApiStatusError of an outcome the platform refused (else None), and the next event."""
        if error is not None:
            path = f"{API}/invocation/{request_id}/error"
            post = self._post_message(path, to_json(error).encode("utf-8", "replace"), "application/json", error["errorType"])
        else:
            path = f"{API}/invocation/{request_id}/response"
            post = self._post_message(path, result, content_type, None)
        status_line = self._send(path, post + self._next)
        sent()
        refusal = None
        try:
            self._answer(path, status_line)
        except RuntimeApiStatusError as e:
            refusal = e
        if self._sock is None:
            # The server closed the connection after the first answer: the next one is asked anew.
            return refusal, self.next()
        try:
            status_line = self._reader.readline(MAX_HEAD_BYTES + 1)
        except OSError as e:
            self._close()
            raise RuntimeApiError(f"{API}/invocation/next at {self._address} failed: {e}") from None
        if not status_line:
            self._close()
            raise RuntimeApiError(f"{API}/invocation/next at {self._address} failed: the server closed the connection")
        return refusal, self._answer(f"{API}/invocation/next", status_line)

    def _post_message(self, path, body, content_type, error_type):
        head = f"POST {path} HTTP/1.1\r\nHost: {self._address}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        if error_type:
            head += f"Lambda-Runtime-Function-Error-Type: {_header_value(error_type)}\r\n"
        return head.encode("latin-1", "replace") + b"\r\n" + body

    def _post(self, path, body, content_type, error_type):
        self._exchange(path, self._post_message(path, body, content_type, error_type))

    def _exchange(self, path, message):
        return self._answer(path, self._send(path, message))

    def _send(self, path, message):
        """Writes the request(s) and reads the first answer's status line."""
        for attempt in (1, 2):
            reused = self._sock is not None
            if not reused:
                self._connect()
            try:
                if self._introduce:
                    self._introduce = False
                    line_end = message.index(b"\r\n") + 2
                    message = message[:line_end] + self._introduction + message[line_end:]
                self._sock.sendall(message)
                status_line = self._reader.readline(MAX_HEAD_BYTES + 1)
            except OSError as e:
                self._close()
                status_line, failure = b"", e
            else:
                failure = "the server closed the connection"
            if status_line:
                return status_line
            self._close()
            # A reused keep-alive socket closed before any answer: resend once on a new one.
            # If the server did see the first copy, it refuses the second.
            if not reused or attempt == 2:
                raise RuntimeApiError(f"{path} at {self._address} failed: {failure}")

    def _answer(self, path, status_line):
        """Reads the rest of one answer; returns (headers, body) of a 2xx, else raises."""
        try:
            status, headers, body = self._read_rest(status_line)
        except (OSError, ValueError) as e:
            self._close()
            raise RuntimeApiError(f"{path} at {self._address} failed: {e}") from None
        if headers.get("connection", "").lower() == "close":
            self._close()
        if not 200 <= status < 300:
            raise RuntimeApiStatusError(path, status, body)
        return headers, body

    def _connect(self):
        try:
            sock = socket.create_connection(self._target)
        except OSError as e:
            raise RuntimeApiError(f"cannot connect to the Runtime API at {self._address}: {e}") from None
        # One write per request, so Nagle plus delayed ACKs cannot stall it.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self._reader = sock.makefile("rb")
        self._introduce = bool(self._introduction)

    def _close(self):
        for closable in (self._reader, self._sock):
            try:
                if closable is not None:
                    closable.close()
            except OSError:
                pass
        self._sock = None
        self._reader = None

    def _read_rest(self, status_line):
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
            raise ValueError(f"malformed status line {status_line[:80]!r}")
        headers = {}
        size = len(status_line)
        while True:
            line = self._reader.readline(MAX_HEAD_BYTES + 1)
            size += len(line)
            if size > MAX_HEAD_BYTES:
                raise ValueError("response head too large")
            if not line:
                raise ValueError("the connection closed mid-response")
            if line in (b"\r\n", b"\n"):
                break
            name, colon, value = line.partition(b":")
            if not colon or not name.strip():
                raise ValueError(f"malformed header line {line[:80]!r}")
            headers[name.strip().lower().decode("latin-1")] = value.strip().decode("utf-8", "replace")
        encoding = headers.get("transfer-encoding")
        if encoding is not None and encoding.lower() != "identity":
            raise ValueError(f"unsupported Transfer-Encoding '{encoding}'")
        length = headers.get("content-length", "0")
        if not length.isdigit():
            raise ValueError("malformed Content-Length")
        body = self._reader.read(int(length)) if int(length) > 0 else b""
        if len(body) < int(length):
            raise ValueError("the connection closed mid-body")
        return int(parts[1]), headers, body


# --- Logging, as Lambda formats it ---------------------------------------------------------------

_request_id = None
_tenant_id = None
_JSON_LOGS = False
_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_UNHANDLED_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare "
    "cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, "
    "runtime updates can be triggered by a function change, or can be applied automatically. To determine if the "
    "runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with a "
    "change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the "
    "previous runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)


def _write_record(text):
    """One record, one line: the platform reads the log line by line, so inner newlines become \\r."""
    if text.endswith("\n"):
        text = text[:-1]
    sys.stdout.write(text.replace("\n", "\r") + "\n")


class LambdaLoggerHandler(logging.Handler):
    def emit(self, record):
        _write_record(self.format(record))


class LambdaLoggerFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        record.tenant_id = _tenant_id
        return True


_RECORD_FIELDS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
    "processName", "process", "aws_request_id", "tenant_id", "_frame_type",
}  # fmt: skip
_json_encode = json.JSONEncoder(ensure_ascii=False).encode


class JsonFormatter(logging.Formatter):
    """AWS_LAMBDA_LOG_FORMAT=JSON: one object per record, with the record's extra fields."""

    def __init__(self):
        super().__init__(datefmt=_TIMESTAMP_FORMAT)

    def format(self, record):
        record.levelno = min(50, max(0, record.levelno)) // 10 * 10
        record.levelname = logging.getLevelName(record.levelno)
        exc = record.exc_info
        result = {
            "timestamp": self.formatTime(record, self.datefmt),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc[2]) if exc else None,
            "errorType": exc[0].__name__ if exc else None,
            "errorMessage": str(exc[1]) if exc else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": f"{record.pathname}:{record.funcName}:{record.lineno}" if exc else None,
        }
        if getattr(record, "tenant_id", None) is not None:
            result["tenantId"] = record.tenant_id
        result.update((k, v) for k, v in record.__dict__.items() if k not in _RECORD_FIELDS and k not in result)
        return _json_encode({k: v for k, v in result.items() if v is not None}) + "\n"


def setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    if _JSON_LOGS:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
                "%Y-%m-%dT%H:%M:%S",
            )
        )
    handler.addFilter(LambdaLoggerFilter())
    logger = logging.getLogger()
    # Python's default (WARNING) unless the function's log level is configured, as on Lambda.
    level = (os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    level = "DEBUG" if level == "TRACE" else level
    if level in logging.getLevelNamesMapping():
        logger.setLevel(level)
    logger.addHandler(handler)


def _nbsp_indent(line):
    stripped = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(stripped)) + stripped


def log_error(error):
    """The runtime's own log line for an unhandled error."""
    if _JSON_LOGS:
        stamp = time.strftime(_TIMESTAMP_FORMAT, time.gmtime())
        _write_record(to_json({"timestamp": stamp, "log_level": "ERROR", **error}))
        return
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        description += (":" if error.get("errorType") else "") + " " + error["errorMessage"]
    lines = [description]
    if error.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            lines.extend([_nbsp_indent(line) for line in element.splitlines()] if element else [""])
    _write_record("\r".join(lines))


# --- The context object --------------------------------------------------------------------------


class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return f"CognitoIdentity([cognito_identity_id={self.cognito_identity_id},cognito_identity_pool_id={self.cognito_identity_pool_id}])"


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]

    def __repr__(self):
        fields = ",".join(f"{name}={getattr(self, name)}" for name in self.__slots__)
        return f"Client([{fields}])"


class ClientContext:
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return f"ClientContext([custom={self.custom},env={self.env},client={self.client}])"


def _object_from_dict(cls, values):
    """Every slot set, missing ones to None, as Lambda builds its context objects."""
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field))
    return obj


def _parse_json_header(value, name):
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR, f"Unable to parse {name} JSON: {e}")


class LambdaContext:
    def __init__(self, request_id, client_context, cognito_identity, deadline_ms, invoked_function_arn, tenant_id):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        # A string, as Lambda's is.
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self.client_context = _object_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _object_from_dict(Client, self.client_context.client)
        self.identity = _object_from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        fields = (
            "aws_request_id", "log_group_name", "log_stream_name", "function_name", "memory_limit_in_mb",
            "function_version", "invoked_function_arn", "client_context", "identity", "tenant_id",
        )  # fmt: skip
        return "LambdaContext([" + ",".join(f"{f}={getattr(self, f)}" for f in fields) + "])"


# --- Loading the handler from _HANDLER -----------------------------------------------------------


def load_handler(handler):
    """`module.function`, the module dotted or slashed (`pkg/sub/mod.fn` is `pkg.sub.mod.fn`)."""
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, f"Bad handler '{handler}': {e}")
    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                f"Cannot use built-in module {module_name} as a handler module",
            )
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR, f"Unable to import module '{module_name}': {e}")
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR, f"Syntax error in module '{module_name}': {e}", trace
        )
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND, f"Handler '{function_name}' missing on module '{module_name}'"
        )


# --- The invocation loop -------------------------------------------------------------------------


def exit_now(message=None):
    """Exits at once with status 1, whatever threads user code left running."""
    try:
        if message is not None:
            sys.stderr.write(f"selfless bootstrap: {message}\n")
        sys.stderr.flush()
        sys.stdout.flush()
    except Exception:
        pass
    os._exit(1)


def init(client):
    try:
        return load_handler(os.environ.get("_HANDLER", ""))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace)
    except Exception:
        error = error_from_exception(sys.exc_info())
    logging.warning(_UNHANDLED_WARNING)
    log_error(error)
    try:
        client.post_init_error(error)
    except RuntimeApiError as e:
        exit_now(f"reporting the init error failed: {e}")
    exit_now()


def invoke(client, handler, headers, body):
    request_id = headers.get("lambda-runtime-aws-request-id")
    if not request_id:
        exit_now("the Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id")
    # Left marked if the process dies meanwhile (sys.exit included), for its supervisor to answer.
    _mark_running(request_id)
    # Returns the next invocation, asked for in the same write as this one's outcome.
    return _invoke(client, handler, headers, body, request_id)


class TraceIdEnv:
    """_X_AMZN_TRACE_ID, which changes with every invocation, without leaking memory.

    os.environ[...] = value calls the C library's setenv, and glibc never frees a replaced value: it
    keeps every distinct "name=value" string it was given, some 140 bytes an invocation here (41 MB
    after 300,000 invocations), enough for a steady load to push a small function into its memory
    limit within hours. putenv takes the caller's own string instead, so this writes each value into
    one buffer it owns and hands that same buffer over each time; os.environ's mapping is updated
    without its putenv. Children inherit the value, getenv reads it. Without ctypes (or for a value
    longer than the buffer) it falls back to os.environ.
    """

    NAME = "_X_AMZN_TRACE_ID"

    def __init__(self):
        # Loaded with the first trace id, not at start: importing ctypes costs ~3 ms.
        self._loaded = False
        self._buffer = None

    def _load(self):
        self._loaded = True
        try:
            import ctypes

            self._putenv = ctypes.CDLL(None).putenv
            self._buffer = ctypes.create_string_buffer(4096)
            self._memmove = ctypes.memmove
        except (ImportError, OSError, AttributeError):
            self._buffer = None

    def set(self, value):
        if value is None:
            os.environ.pop(self.NAME, None)
            return
        if not self._loaded:
            self._load()
        entry = ("%s=%s" % (self.NAME, value)).encode("utf-8", "surrogateescape")
        if self._buffer is None or len(entry) >= len(self._buffer) or b"\0" in entry:
            os.environ[self.NAME] = value
            return
        self._memmove(self._buffer, entry, len(entry))
        self._buffer[len(entry)] = b"\0"
        self._putenv(self._buffer)
        os.environ._data[os.environ.encodekey(self.NAME)] = os.environ.encodevalue(value)


_trace_env = TraceIdEnv()


def _invoke(client, handler, headers, body, request_id):
    global _request_id, _tenant_id
    _request_id = request_id
    _tenant_id = headers.get("lambda-runtime-aws-tenant-id")
    _trace_env.set(headers.get("lambda-runtime-trace-id"))

    error = None
    try:
        client_context = headers.get("lambda-runtime-client-context")
        identity = headers.get("lambda-runtime-cognito-identity")
        deadline = headers.get("lambda-runtime-deadline-ms", "")
        context = LambdaContext(
            request_id,
            _parse_json_header(client_context, "Client Context") if client_context else None,
            _parse_json_header(identity, "Cognito Identity") if identity else None,
            int(deadline) if deadline.isdigit() else 0,
            headers.get("lambda-runtime-invoked-function-arn"),
            _tenant_id,
        )
        event = unmarshal_event(body, headers.get("content-type"))
        result, content_type = marshal_response(handler(event, context))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, request_id)
    except Exception:
        error = error_from_exception(sys.exc_info(), request_id)

    if error is not None:
        log_error(error)
        result = content_type = None
    refusal, next_invocation = client.report_then_next(request_id, error, result, content_type, sent=lambda: _mark_running(""))
    if refusal is not None:
        # The platform refused this outcome (e.g. the invocation timed out): move on.
        sys.stderr.write(f"selfless bootstrap: {refusal}\n")
    return next_invocation


def prepare_sys_path():
    """LAMBDA_TASK_ROOT first; never this runtime's own folder."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    if task_root not in sys.path:
        sys.path.insert(0, task_root)


def read_function_settings():
    """What the function's configuration decides in this runtime, from its environment."""
    global _ENSURE_ASCII, _JSON_LOGS
    _ENSURE_ASCII = os.environ.get("AWS_EXECUTION_ENV") not in {
        "AWS_Lambda_python3.12",
        "AWS_Lambda_python3.13",
        "AWS_Lambda_python3.14",
    }
    _JSON_LOGS = (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"


def become_assigned(client):
    """
    A pre-started runtime: the interpreter and this bootstrap were loaded before any function was
    known. The platform answers with the function's environment once its code is in /var/task; from
    there this process is that function's environment, as if started for it.
    """
    _, body = client.assignment()
    try:
        env = json.loads(body)["env"]
        if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        exit_now("malformed assignment from the platform")
    for key in [k for k in os.environ if k not in env]:
        del os.environ[key]
    for key, value in env.items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    os.chdir(os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd())


def resolve_localhost_names():
    """Names under localhost are loopback (RFC 6761 6.3), as curl and browsers treat them, but
    glibc's resolver does not know them. A function calls back the server by such names (a WebSocket
    API's https://<api-id>.execute-api.localhost:<port>/<stage> for @connections), so they resolve
    to the server's listen address (AWS_ENDPOINT_URL's host when it is an IP), or loopback."""
    import ipaddress
    from urllib.parse import urlparse

    try:
        server = urlparse(os.environ.get("AWS_ENDPOINT_URL", "")).hostname or ""
        ipaddress.ip_address(server)
    except ValueError:
        server = "127.0.0.1"
    original = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if isinstance(name, str) and name.lower().rstrip(".").endswith(".localhost"):
            host = server
        return original(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def main():
    resolve_localhost_names()
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        exit_now("AWS_LAMBDA_RUNTIME_API is not set")
    # The endpoint's token is the runtime's alone: the function's code does not see it in os.environ.
    client = RuntimeClient(address, os.environ.pop("SELFLESS_RUNTIME_TOKEN", None))
    if os.environ.get("SELFLESS_ZYGOTE") == "1":
        become_assigned(client)
    read_function_settings()
    prepare_sys_path()
    setup_logging()
    processes = max_concurrency()
    if processes > 1:
        client._close()
        supervise(address, processes)
    serve(client)


def serve(client):
    handler = init(client)
    headers, body = client.next()
    while True:
        headers, body = invoke(client, handler, headers, body)


def max_concurrency():
    """Lambda Managed Instances: AWS_LAMBDA_MAX_CONCURRENCY invocations at once, one per process."""
    value = os.environ.get("AWS_LAMBDA_MAX_CONCURRENCY", "")
    return int(value) if value.isdigit() else 1


# Managed Instances: this process's slot in the supervisor's table of running request ids.
_SLOT_BYTES = 80
_slot = None


def _mark_running(request_id):
    if _slot is not None:
        table, i = _slot
        table[i * _SLOT_BYTES : (i + 1) * _SLOT_BYTES] = request_id.encode("ascii").ljust(_SLOT_BYTES, b"\0")


def _report_exit(address, request_id, status):
    """A process died running an invocation: the invocation ends with Lambda's exit error."""
    code = os.waitstatus_to_exitcode(status)
    how = f"signal: {signal_name(-code)}" if code < 0 else f"exit status {code}"
    message = f"RequestId: {request_id} Error: Runtime exited with error: {how}"
    try:
        RuntimeClient(address).post_error(request_id, make_error(message, "Runtime.ExitError", [], request_id))
    except RuntimeApiError:
        pass  # answered meanwhile, or the environment is going away


def signal_name(number):
    import signal

    try:
        return signal.Signals(number).name.lower().removeprefix("sig")
    except ValueError:
        return str(number)


def supervise(address, processes):
    """As Lambda's Python runtime on Managed Instances: one process per concurrent invocation, each
    initialising the function itself and taking one invocation at a time on a connection of its own.
    A process that dies is replaced (its invocation answered with Runtime.ExitError); the environment
    goes on with the others meanwhile."""
    table = mmap.mmap(-1, _SLOT_BYTES * processes)
    children = {}

    def spawn(i):
        global _slot
        pid = os.fork()
        if pid == 0:
            _slot = (table, i)
            try:
                serve(RuntimeClient(address))
            except RuntimeApiError as e:
                exit_now(str(e))
            except SystemExit as e:
                os._exit(e.code if isinstance(e.code, int) else 1)
            except BaseException:
                exit_now("unexpected error in the runtime loop\n" + traceback.format_exc())
        children[pid] = i

    for i in range(processes):
        spawn(i)
    while True:
        pid, status = os.wait()
        i = children.pop(pid, None)
        if i is None:
            continue
        request_id = table[i * _SLOT_BYTES : (i + 1) * _SLOT_BYTES].rstrip(b"\0").decode("ascii")
        if request_id:
            _report_exit(address, request_id, status)
        time.sleep(0.05)
        spawn(i)


if __name__ == "__main__":
    try:
        main()
    except RuntimeApiError as e:
        exit_now(str(e))
    except SystemExit:
        # sys.exit() in user code ends the process, as on Lambda (Runtime.ExitError).
        raise
    except BaseException:
        exit_now("unexpected error in the runtime loop\n" + traceback.format_exc())
