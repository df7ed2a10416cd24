"""The HTTP client for the BookStack REST API: auth, request budget, retries, errors.

One :class:`BookStackClient` is shared by the worker threads of a run.  Every
request first takes a slot from the :class:`RateLimiter` (at most N requests in
any 60 s window, BookStack's ``API_REQUESTS_PER_MIN`` defaults to 180), so the
server's throttle is rarely hit; when it is, the ``Retry-After`` of the 429
pauses *all* workers.  Retries (tenacity) cover 429, 502/503/504, bare 500s and
connection errors for idempotent requests.  A POST that fails without a clear
answer raises :class:`AmbiguousWrite` instead, so the caller can look the
entity up before trying again (no duplicates after a dropped connection).

The token secret lives only in the session's ``Authorization`` header; no
message, log line or ``repr`` contains it.

The client never stores or sends cookies.  BookStack answers an API route it
does not have (``/api/system`` before v25.05, ``/api/imports`` before v25.07)
with its *web* 404 page, which sets a ``bookstack_session`` cookie; a later
request carrying that cookie is treated as the guest's web session, whatever
its token, and refused with 403 "does not have permission to make API calls".
Such an HTML answer is :class:`RouteMissing` ("this server lacks this
feature") once ``/api/books`` is seen to answer JSON, and
:class:`NotBookStack` (a wrong URL) when even ``/api/books`` answers HTML.
"""

from __future__ import annotations

import collections
import http.cookiejar
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
import tenacity

from sphinx_mosaic import __version__
from sphinx_mosaic.publish.errors import (
    AmbiguousWrite,
    AuthError,
    NotBookStack,
    PublishError,
    RequestRejected,
    RouteMissing,
    ServerUnreachable,
    SettingsError,
    redact,
)

#: HTTP statuses worth another try: throttled, or a gateway/server hiccup.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


class Clock(Protocol):
    """Time source of the rate limiter and the retries (tests inject a fake one)."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class ClientSettings:
    """Where and how to talk to the server."""

    url: str
    token_id: str
    token_secret: str = field(repr=False)
    requests_per_minute: int = 180
    concurrency: int = 4
    timeout: float = 30.0
    #: Attempts per request (the first try included).
    attempts: int = 6
    #: Longest back-off between two attempts, in seconds.
    max_backoff: float = 30.0

    @property
    def secrets(self) -> tuple[str, ...]:
        """What no message may show: the token secret and a password in the URL."""
        try:
            password = urlsplit(self.url).password or ""
        except ValueError:
            password = ""
        return (self.token_secret, password)

    def check(self) -> None:
        if not self.url:
            raise SettingsError(
                "no BookStack URL: set BOOKSTACK_URL or pass --url with the address you open "
                "BookStack at (https://wiki.example.com); a dry run needs it too, as it reads "
                "the server to show the plan"
            )
        if not self.url.startswith(("http://", "https://")):
            raise SettingsError(
                f"the BookStack URL {redact(self.url, self.secrets)!r} must start with http:// "
                "or https:// (set --url or BOOKSTACK_URL)"
            )
        if not self.token_id or not self.token_secret:
            raise SettingsError(
                "no API token: set BOOKSTACK_TOKEN_ID (or --token-id) and BOOKSTACK_TOKEN_SECRET "
                "(the secret is read from the environment only); create a token in BookStack "
                "under your profile, 'API Tokens'"
            )
        # Checked here, without showing the values: requests would otherwise refuse the
        # Authorization header with an error message that quotes it, secret and all.
        if not _is_token_part(self.token_id) or ":" in self.token_id:
            raise SettingsError(
                "the API token id has spaces, control or non-ASCII characters or a ':'; copy "
                "BOOKSTACK_TOKEN_ID (or --token-id) again from BookStack's 'API Tokens' page"
            )
        if not _is_token_part(self.token_secret):
            raise SettingsError(
                "the API token secret has spaces, control or non-ASCII characters; copy "
                "BOOKSTACK_TOKEN_SECRET again from BookStack's 'API Tokens' page"
            )
        if self.requests_per_minute < 1 or self.concurrency < 1:
            raise SettingsError("the request budget and the concurrency must be at least 1")


def _is_token_part(value: str) -> bool:
    """Printable ASCII without spaces: what BookStack's token ids and secrets are made of."""
    return all("!" <= char <= "~" for char in value)


class NoCookies(requests.cookies.RequestsCookieJar):
    """A cookie jar that keeps nothing: every cookie a server sets is dropped.

    One web 404 page from BookStack sets ``bookstack_session``; sending it back
    turns every later API call into a refused guest request.
    """

    def set_cookie(self, cookie: http.cookiejar.Cookie, *args: Any, **kwargs: Any) -> None:
        return None


#: The route every BookStack with the REST API has: the probe for "is this the API at all?".
PROBE_PATH = "/api/books"


class _HtmlAnswer(Exception):
    def __init__(self, status: int):
        self.status = status
        super().__init__(status)


class RateLimiter:
    """At most *per_minute* requests in any window of *window* seconds, shared by threads.

    A sliding window also keeps every fixed window (Laravel's throttle) under the limit.
    """

    def __init__(self, per_minute: int, clock: Clock, window: float = 60.0):
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._sent: collections.deque[float] = collections.deque()
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self.clock.monotonic()
                while self._sent and self._sent[0] <= now - self.window:
                    self._sent.popleft()
                if self._paused_until > now:
                    wait = self._paused_until - now
                elif len(self._sent) >= self.per_minute:
                    wait = self._sent[0] + self.window - now
                else:
                    self._sent.append(now)
                    return
            self.clock.sleep(max(wait, 0.001))

    def pause(self, seconds: float) -> None:
        """Hold every request for *seconds* (the server said so with Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self.clock.monotonic() + seconds)


class RequestCounter:
    """How many requests a run sent, by method (for the summary and the budget tests)."""

    def __init__(self) -> None:
        self.by_method: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    def add(self, method: str) -> None:
        with self._lock:
            self.by_method[method] += 1

    @property
    def reads(self) -> int:
        return self.by_method["GET"]

    @property
    def writes(self) -> int:
        return sum(n for method, n in self.by_method.items() if method != "GET")

    @property
    def total(self) -> int:
        return sum(self.by_method.values())


class _Transient(Exception):
    def __init__(self, cause: str, retry_after: float | None = None):
        self.cause = cause
        self.retry_after = retry_after
        super().__init__(cause)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _server_message(response: requests.Response) -> tuple[str, dict[str, Any]]:
    """The message (and validation map) from BookStack's two error shapes.

    The API's exception handler answers ``{"error": {"message", "code"}}`` (422 adds
    ``validation``: field -> messages); a few actions (an import's create and run, a
    failed move) answer ``{"message", "status": "error"}`` instead.
    """
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip().splitlines()
        return (text[0][:200] if text else response.reason or "no message"), {}
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            validation = error.get("validation")
            return str(error.get("message", "")), validation if isinstance(validation, dict) else {}
        if "message" in body:
            return str(body["message"]), {}
    return str(body)[:200], {}


class BookStackClient:
    """A thread-safe, budgeted, retrying client for ``{url}/api/...``."""

    def __init__(
        self,
        settings: ClientSettings,
        clock: Clock | None = None,
        session: requests.Session | None = None,
    ):
        settings.check()
        self.settings = settings
        self.base_url = settings.url.rstrip("/")
        self.clock = clock or SystemClock()
        self.limiter = RateLimiter(settings.requests_per_minute, self.clock)
        self.counter = RequestCounter()
        self.session = session or requests.Session()
        self.session.cookies = NoCookies()
        #: Whether anything has answered at this address yet (a refused first connection
        #: is reported at once, not retried).
        self._answered = False
        #: Whether PROBE_PATH answers JSON: None until an HTML answer makes it worth asking.
        self._api_answers_json: bool | None = None
        self._probe_lock = threading.Lock()
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=max(settings.concurrency, 10))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update(
            {
                "Authorization": f"Token {settings.token_id}:{settings.token_secret}",
                "Accept": "application/json",
                "User-Agent": f"sphinx-mosaic/{__version__}",
            }
        )

    def __repr__(self) -> str:
        return f"BookStackClient({self.base_url!r})"

    def close(self) -> None:
        self.session.close()

    # -- the verbs -----------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post(
        self,
        path: str,
        json: Any = None,
        *,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        read_timeout: float | None = None,
    ) -> Any:
        return self.request(
            "POST",
            path,
            json=json,
            files=files,
            data=data,
            idempotent=False,
            read_timeout=read_timeout,
        )

    def put(self, path: str, json: Any) -> Any:
        return self.request("PUT", path, json=json)

    def delete(self, path: str) -> None:
        try:
            self.request("DELETE", path)
        except RequestRejected as exc:
            # A retried DELETE whose first try went through finds nothing: that is success.
            if exc.status != 404:
                raise

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        idempotent: bool = True,
        read_timeout: float | None = None,
    ) -> Any:
        """Send one API call with the budget and retries; return the decoded JSON (or None).

        *read_timeout* replaces the usual timeout for waiting on the answer, for calls that
        make the server work long (running an import).
        """
        try:
            try:
                return self._request(
                    method, path, params, json, files, data, idempotent, read_timeout
                )
            except _HtmlAnswer as html:
                raise self._html_error(method, path, html.status) from None
        except (PublishError, AmbiguousWrite) as exc:
            # Server messages and URLs are quoted in errors: never let them carry a secret.
            exc.args = tuple(self.redact(str(arg)) for arg in exc.args)
            if isinstance(exc, AmbiguousWrite):
                exc.cause = self.redact(exc.cause)
            raise

    def redact(self, text: str) -> str:
        return redact(text, self.settings.secrets)

    def _html_error(self, method: str, path: str, status: int) -> PublishError:
        """A web page where JSON was expected: a missing feature, or not the API at all."""
        url = f"{self.base_url}{path}"
        if path.split("?", 1)[0] != PROBE_PATH and self._api_works():
            return RouteMissing(
                status,
                f"{method} {path} answered with BookStack's web page (HTTP {status}), not "
                "JSON: this server has no such API route (an older BookStack version)",
            )
        return NotBookStack(
            f"{url} answered HTTP {status} with a web page, not the BookStack API: check "
            "that the URL is the BookStack base URL (the address of its home page, "
            "without /api)"
        )

    def _api_works(self) -> bool:
        """Does PROBE_PATH answer JSON?  Asked once per client, on the first HTML answer."""
        with self._probe_lock:
            if self._api_answers_json is None:
                try:
                    self._request("GET", PROBE_PATH, {"count": 1}, None, None, None, True, None)
                    self._api_answers_json = True
                except _HtmlAnswer:
                    self._api_answers_json = False
                except RequestRejected:
                    self._api_answers_json = True  # a JSON refusal is still the API
            return self._api_answers_json

    def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        files: Mapping[str, Any] | None,
        data: Mapping[str, Any] | None,
        idempotent: bool,
        read_timeout: float | None,
    ) -> Any:
        url = f"{self.base_url}{path}"
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.settings.attempts),
            wait=self._wait,
            retry=tenacity.retry_if_exception_type(_Transient),
            sleep=self.clock.sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._send(
                        method, url, params, json, files, data, idempotent, read_timeout
                    )
        except _Transient as exc:
            raise ServerUnreachable(
                f"{method} {path} failed {self.settings.attempts} times (last: {exc.cause}); "
                "the server may be down or overloaded"
            ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            # The limiter already holds every worker for Retry-After; no extra wait here.
            return 0.0
        # Exponential back-off with jitter, so parallel workers do not retry in lockstep.
        # (Written out: tenacity's wait_exponential_jitter changed its arguments in 9.2.)
        exponential: float = 0.5 * 2.0 ** (state.attempt_number - 1)
        return min(exponential, self.settings.max_backoff) + random.uniform(0, 1)

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        json: Any,
        files: Mapping[str, Any] | None,
        data: Mapping[str, Any] | None,
        idempotent: bool,
        read_timeout: float | None = None,
    ) -> Any:
        self.limiter.acquire()
        self.counter.add(method)
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=json,
                files=files,
                data=data,
                timeout=(self.settings.timeout, read_timeout or self.settings.timeout),
                allow_redirects=False,
            )
        except requests.ConnectTimeout as exc:
            # Nothing reached the server: safe to retry whatever the method.
            raise _Transient(f"connection timed out ({exc.__class__.__name__})") from None
        except requests.ConnectionError as exc:
            if self._refused(exc) and not self._answered:
                # Nothing has ever answered at this address: a wrong URL or a server that is
                # not running.  Half a minute of retries would only delay saying so.
                raise ServerUnreachable(
                    f"could not connect to {self.base_url} ({_short(exc)}): check --url or "
                    "BOOKSTACK_URL, and that BookStack is running"
                ) from None
            if self._refused(exc) or idempotent:
                raise _Transient(f"connection failed ({_short(exc)})") from None
            raise AmbiguousWrite(f"connection lost during {method} ({_short(exc)})") from None
        except requests.Timeout:
            if idempotent:
                raise _Transient("no answer within the timeout") from None
            raise AmbiguousWrite(f"no answer to {method} within the timeout") from None
        self._answered = True
        return self._decode(method, url, response, idempotent)

    @staticmethod
    def _refused(exc: requests.ConnectionError) -> bool:
        # urllib3's NewConnectionError: the TCP connection was never made.
        return "NewConnectionError" in repr(exc.args) or "Connection refused" in str(exc)

    def _decode(self, method: str, url: str, response: requests.Response, idempotent: bool) -> Any:
        status = response.status_code
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            self.limiter.pause(retry_after if retry_after is not None else 1.0)
            raise _Transient("HTTP 429 Too Many Attempts", retry_after=retry_after or 1.0)
        if status in TRANSIENT_STATUSES and not self._application_error(response):
            if idempotent:
                raise _Transient(f"HTTP {status}")
            message = self.redact(_server_message(response)[0]) if response.content else ""
            raise AmbiguousWrite(f"HTTP {status} on {method}" + (f": {message}" if message else ""))
        if 300 <= status < 400:
            location = self.redact(response.headers.get("Location", "?"))
            raise NotBookStack(
                f"the server redirected {url} to {location}: the URL "
                "is probably not the BookStack base URL (use the address you open BookStack at, "
                "without /api), or the API sits behind a login page"
            )
        if status >= 400 and "json" not in response.headers.get("Content-Type", ""):
            raise _HtmlAnswer(status)
        if status >= 400:
            message, validation = _server_message(response)
            # A server (or a proxy) may echo the Authorization header back.
            message = self.redact(message)
            validation = {
                self.redact(str(key)): [self.redact(str(m)) for m in value]
                if isinstance(value, list)
                else self.redact(str(value))
                for key, value in validation.items()
            }
            if status == 401:
                raise AuthError(
                    f"the server refused the API token ({message}); check BOOKSTACK_TOKEN_ID and "
                    "BOOKSTACK_TOKEN_SECRET, and that the token has not expired"
                )
            if status == 403 and "permission to make API calls" in message:
                raise AuthError(
                    f"{message}: give the token's user a role with the 'Access System API' "
                    "permission"
                )
            raise RequestRejected(status, message, validation)
        if status == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise NotBookStack(
                f"{url} did not answer with JSON (HTTP {status}, "
                f"{response.headers.get('Content-Type', 'no content type')}): is the URL the "
                "BookStack base URL?"
            ) from None

    @staticmethod
    def _application_error(response: requests.Response) -> bool:
        # BookStack's jsonError shape ({"message", "status": "error"}) marks a deliberate
        # refusal (failed import or move), not a hiccup: retrying would fail the same way.
        if response.status_code != 500:
            return False
        try:
            body = response.json()
        except ValueError:
            return False
        return isinstance(body, dict) and body.get("status") == "error"


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "..."
