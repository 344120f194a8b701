"""HTTP load test of the points suite on a real prefork Odoo server: prints figures, asserts nothing about timings.

Needs a fresh database without demo data with ``points_portal`` and ``points_pos``
installed (``-d``); the script fills it and commits freely. Run it through
``bash scripts/bench.sh http``, or by hand::

    source scripts/common.sh
    odoo_cmd -d points_bench_http -i points_portal,points_pos --without-demo=all --stop-after-init
    $PY tests/bench/load_http.py -c odoo.conf --addons-path="$(odoo_addons_path)" \\
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$DB_USER" --db_password="$PGPASSWORD" \\
        -d points_bench_http --log-level=warn

1. It prepares the main company's pool: ``--members`` members (64) holding points, each
   with a portal user and an API token, the per-member API rate limit raised for the run;
   a shop with cash and *Points* payment methods, an open session of a cashier who signs
   in with a password, two products.
2. It starts Odoo as a subprocess in prefork mode (``--workers`` 4, no cron thread) on
   127.0.0.1:``--port`` (8269) with the same addons path and database options, limited to
   this database, and always stops it at the end; the server's log goes to ``--server-log``
   (default /tmp/load_http_<database>.log). Where Odoo's websocket process cannot start
   (a virtualenv whose gevent plugins fail to load), prefork Odoo would start it again every
   second: the server then runs with an idle stand-in for it (:func:`serve`; no client uses the bus).
3. ``--clients`` threads (16) call it for ``--seconds`` (60), one call at a time each:
   half are member apps selling a few points with ``POST /points/api/v1/sell`` (each app
   serves its own members, with their Bearer tokens); half are POS terminals signed in
   once as the cashier through ``/web/session/authenticate``, syncing one new paid order
   per call with ``pos.order.sync_from_ui`` through ``/web/dataset/call_kw``, a member as
   customer; every third order asks ``points_preview_from_ui`` as the POS screen does and
   pays part with points when the customer can.
4. It prints, per endpoint, calls, calls per second, p50 / p95 latency, HTTP statuses and
   errors (any answer but 2xx and the API's expected 409 refusals, exceptions, JSON-RPC
   errors); who used the CPU meanwhile (the machine may be shared); Odoo's retries on
   concurrency errors by table, from the server's log; then, once the pool's queue is empty,
   what the pool applied and refused, its integrity breaches and the POS orders whose points
   figures never arrived, beside the goals.

``--smoke`` runs 2 clients for 5 seconds with 8 members (checks that the test still runs).
The exit status is non-zero only when the run itself could not be made (no server).
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from time import monotonic, perf_counter
from uuid import uuid4

#: ``load_http.py SERVE <Odoo options>`` runs Odoo's server command (see :func:`serve`).
SERVE = "--serve-odoo-without-websocket"


def stand_in():
    """The websocket process's stand-in: waits until Odoo's server ends it (or dies)."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)


if __name__ == "__main__" and sys.argv[1:2] == ["gevent"] and SERVE in sys.argv:
    # Before Odoo is imported: importing it as 'gevent' would patch with gevent, which fails here.
    stand_in()
    sys.exit(0)

import odoo
from odoo import Command, fields
from odoo.tools import SQL, config

from bench_pool import in_transaction  # a sibling script

MEMBERS = 64
CLIENTS = 16
SECONDS = 60
PORT = 8269
WORKERS = 4
SEED = 20260115
#: A bound on the calls of one client, whatever the duration.
MAX_CALLS_PER_CLIENT = 20_000
#: Untimed calls of each client before the clock starts, so that the workers' cold start does not count.
WARMUP_CALLS = 3
#: Seconds one HTTP call may take before the client counts it as an exception.
CALL_TIMEOUT = 120
#: Seconds the server has to answer /web/health after it starts.
START_TIMEOUT = 180
#: What members hold before the run: each made a purchase contributing this much to the pool.
MEMBER_SPEND, MEMBER_CONTRIBUTION = 1000.0, 300.0
#: The API rate limit for the run: above what the member apps can call.
RATE_LIMIT = 1_000_000
SELL_POINTS = (1, 2, 3)
PRODUCTS = (("Load package", 1000.0, 200.0), ("Load gift box", 150.0, 40.0))
POINTS_EVERY = 3  # every third POS order offers to pay part with points
POINTS_AMOUNT = 50.0
CASHIER_LOGIN = "load_cashier"
GOALS = "goals: 0 errors, 0 integrity breaches, the queue empty after the run, no POS order left without its figures"


# -- preparation (in this process, committed) --------------------------------------------------------
def prepare(env, members):
    """Members with points, portal users and tokens; a shop with an open session of a cashier; products.

    Found again when the script runs a second time on the same database (new tokens and a new
    cashier password each run: the plain values exist only when they are issued).
    """
    company = env.ref("base.main_company")
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    pool = env["points.pool"]._get_for_company(company)
    pool.api_rate_limit = RATE_LIMIT

    Users = env["res.users"].with_context(no_reset_password=True)
    users = Users.search([("login", "=like", "load_member_%")], order="id")
    missing = [n for n in range(members) if f"load_member_{n}" not in set(users.mapped("login"))]
    users |= Users.create([{
        "name": f"Load member {n}", "login": f"load_member_{n}", "email": f"load_member_{n}@example.invalid",
        "groups_id": [Command.set([env.ref("base.group_portal").id])],
        "company_id": company.id, "company_ids": [Command.set([company.id])],
    } for n in missing])
    users = users.filtered(lambda user: int(user.login.rsplit("_", 1)[1]) < members).sorted("login")
    Wallet = env["points.wallet"]
    for user in users:
        wallet = Wallet._get_for_partner(user.partner_id, company, create=False)
        if not wallet or wallet.points < 50:
            pool.contribute(user.partner_id, MEMBER_SPEND, MEMBER_CONTRIBUTION)
    pool._apply_pending()
    tokens = [env["points.api.token"].with_user(user).with_company(company)._issue("Load test")[1] for user in users]

    password = secrets.token_urlsafe(16)
    cashier = Users.search([("login", "=", CASHIER_LOGIN)], limit=1) or Users.create({
        "name": "Load cashier", "login": CASHIER_LOGIN, "company_id": company.id,
        "company_ids": [Command.set([company.id])],
        "groups_id": [Command.set([env.ref("base.group_user").id, env.ref("point_of_sale.group_pos_user").id])],
    })
    cashier.password = password

    products = env["product.product"]
    for name, price, cost in PRODUCTS:
        products |= products.search([("name", "=", name)], limit=1) or products.create({
            "name": name, "list_price": price, "standard_price": cost, "taxes_id": False, "available_in_pos": True})
    config_ = env["pos.config"].search([("name", "=", "Load shop")], limit=1)
    if not config_:
        config_ = env["pos.config"].create({"name": "Load shop"})
        if not config_.payment_method_ids.filtered("is_cash_count"):
            journal = env["account.journal"].search([("type", "=", "cash"), ("company_id", "=", company.id)], limit=1)
            config_.payment_method_ids |= env["pos.payment.method"].create({"name": "Cash", "journal_id": journal.id})
        config_.payment_method_ids |= env["pos.payment.method"].create(
            {"name": "Points", "points_payment": True, "split_transactions": True})
    session = config_.current_session_id
    if not session:
        session = env["pos.session"].create({"config_id": config_.id, "user_id": cashier.id})
        session.set_opening_control(0, None)
    env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM points_pool_request"))
    first_request = env.cr.fetchone()[0] + 1
    return {
        "company_id": company.id, "pool_id": pool.id, "member_ids": users.partner_id.ids, "tokens": tokens,
        "cashier_id": cashier.id, "cashier_password": password, "config_id": config_.id, "session_id": session.id,
        "pricelist_id": config_.pricelist_id.id,
        "products": [(product.id, product.list_price) for product in products],
        "cash_id": config_.payment_method_ids.filtered("is_cash_count")[:1].id,
        "points_id": config_.payment_method_ids.filtered("points_payment")[:1].id,
        "first_request_id": first_request,
        "sequence": max(session.order_ids.mapped("sequence_number") or [0]),
    }


def order_payload(setup, terminal, sequence, partner_id, product, points_paid=0.0):
    """A new paid order as the POS serializes it (one line, a customer, cash and maybe points)."""
    product_id, price = product
    now = fields.Datetime.to_string(fields.Datetime.now())
    payments = [[0, 0, {"amount": price - points_paid, "payment_method_id": setup["cash_id"], "name": now}]]
    if points_paid:
        payments.append([0, 0, {"amount": points_paid, "payment_method_id": setup["points_id"], "name": now}])
    return {
        "uuid": str(uuid4()), "name": f"Order {setup['session_id']:05d}-{terminal + 1:03d}-{sequence:04d}",
        "session_id": setup["session_id"], "sequence_number": sequence, "partner_id": partner_id,
        "pricelist_id": setup["pricelist_id"], "fiscal_position_id": False, "user_id": setup["cashier_id"],
        "date_order": now, "access_token": False, "last_order_preparation_change": "{}", "to_invoice": False,
        "lines": [[0, 0, {"product_id": product_id, "qty": 1, "price_unit": price, "discount": 0,
                          "price_subtotal": price, "price_subtotal_incl": price, "tax_ids": [],
                          "pack_lot_ids": [], "uuid": str(uuid4())}]],
        "payment_ids": payments,
        "amount_paid": price, "amount_total": price, "amount_tax": 0.0, "amount_return": 0.0,
    }


# -- the server -------------------------------------------------------------------------------------
def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As Odoo binds: connections of an earlier run waiting in TIME_WAIT do not make the port busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def odoo_script():
    """The ``odoo`` script of the virtualenv (else Odoo's ``odoo-bin``).

    Not ``python -m odoo``: in prefork mode Odoo starts its websocket process as
    ``python <sys.argv[0]> gevent``, which fails, again and again, when sys.argv[0] is odoo/__main__.py.
    """
    script = os.path.join(os.path.dirname(sys.executable), "odoo")
    if os.path.isfile(script):
        return script
    return os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")


def serve(args):
    """Odoo's server command, in a virtualenv where its websocket process cannot start.

    Prefork Odoo starts that process as ``python <sys.argv[0]> gevent <arguments>``, here
    this script: it then only waits (:func:`stand_in`), and the server manages it as its own
    child (stops it with the workers). Nothing of Odoo is patched.
    """
    from odoo.cli.server import Server as ServerCommand  # noqa: PLC0415 (only in the server process)

    ServerCommand().run(args)


def websocket_problem():
    """Why Odoo's websocket (gevent) process cannot start in this virtualenv, or None if it can.

    Prefork Odoo restarts that process as soon as it dies, about once a second: each start
    imports Odoo, which costs a core's worth of CPU on a small machine.
    """
    probe = subprocess.run([sys.executable, "-c", "import gevent.monkey; gevent.monkey.patch_all()"],
                           capture_output=True, text=True, timeout=60, check=False)
    if probe.returncode == 0:
        return None
    return (probe.stderr.strip().splitlines() or [f"exit status {probe.returncode}"])[-1]


class Server:
    """Odoo in prefork mode as a subprocess on 127.0.0.1; ``stop()`` ends it and its workers."""

    def __init__(self, odoo_args, dbname, port, workers, log_path, websocket=True):
        self.port, self.log_path = port, log_path
        launcher = [odoo_script()] if websocket else [os.path.abspath(__file__), SERVE]
        self.command = [
            sys.executable, *launcher, *odoo_args, f"--workers={workers}", "--max-cron-threads=0",
            "--http-interface=127.0.0.1", f"--http-port={port}", f"--db-filter=^{re.escape(dbname)}$",
            # Odoo retries RPCs that fail on a serialization error and says so at INFO level: count them.
            "--log-handler=odoo.service.model:INFO", "--logfile=",
        ]
        self.process = None

    def start(self):
        if not port_is_free(self.port):
            raise RuntimeError(f"port {self.port} is taken on 127.0.0.1: choose another one with --port")
        with open(self.log_path, "wb") as log:
            # A session of its own: stop() signals the server and its workers together.
            self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            env=dict(os.environ, TZ="UTC"))  # as Odoo's own scripts set it
        deadline = monotonic() + START_TIMEOUT
        while monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with status {self.process.returncode}; see {self.log_path}")
            try:
                status, _body, _cookie = http_call(self.port, "GET", "/web/health", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the server did not answer /web/health within {START_TIMEOUT} s; see {self.log_path}")

    def stop(self):
        if not self.process:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # prefork: the workers finish their request and stop
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever of its session is left
        except ProcessLookupError:
            pass
        self.process.wait()


def http_call(port, method, path, body=None, headers=None, timeout=CALL_TIMEOUT):
    """(status, body bytes, Set-Cookie) of one request on a connection of its own (prefork workers close
    each connection after its answer)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Set-Cookie")
    finally:
        connection.close()


def cpu_snapshot(server_pid, dbname):
    """CPU seconds so far (Linux /proc): the machine (busy, cores), Odoo's processes (the server's
    session), PostgreSQL backends of the database, this process (the clients). None elsewhere."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        with open("/proc/stat") as stat:
            # user nice system idle iowait irq softirq: busy is all but idle and iowait
            times = [int(value) for value in stat.readline().split()[1:8]]
        busy = sum(times) - times[3] - times[4]
        server = postgres = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    values = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue  # ended meanwhile
            used = int(values[11]) + int(values[12])  # utime + stime
            if int(values[2]) == server_pid:  # its process group: the server's session
                server += used
            elif command.startswith("postgres: ") and f" {dbname} " in command:
                postgres += used
    except (OSError, ValueError, IndexError):
        return None
    return {"busy": busy / tick, "cores": os.cpu_count() or 1, "server": server / tick,
            "postgres": postgres / tick, "client": time.process_time(), "at": perf_counter()}


def cpu_figures(before, after, calls):
    """A line on who used the CPU during the run, or None without /proc."""
    if not before or not after:
        return None
    seconds = after["at"] - before["at"]
    used = {name: (after[name] - before[name]) / seconds for name in ("busy", "server", "postgres", "client")}
    others = max(0.0, used["busy"] - used["server"] - used["postgres"] - used["client"])
    return (f"  cpu during the run (cores busy on average): machine {used['busy']:.2f} of {after['cores']}; "
            f"Odoo server {used['server']:.2f} ({1000 * used['server'] * seconds / max(calls, 1):.0f} ms per call), "
            f"PostgreSQL for this database {used['postgres']:.2f}, the clients {used['client']:.2f}, "
            f"everything else {others:.2f}")


# -- clients --------------------------------------------------------------------------------------------
class Stats:
    """Calls per endpoint: latencies, HTTP statuses, errors, outcomes; shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.errors = defaultdict(Counter)
        self.outcomes = defaultdict(Counter)

    def record(self, endpoint, seconds, status, error=None, outcome=None):
        with self.lock:
            self.latencies[endpoint].append(seconds)
            self.statuses[endpoint][status] += 1
            if error:
                self.errors[endpoint][error] += 1
            if outcome:
                self.outcomes[endpoint][outcome] += 1


def timed(stats, endpoint, call):
    """Runs ``call()`` → (status, error, outcome, value); records it; returns value (None on an exception)."""
    started = perf_counter()
    try:
        status, error, outcome, value = call()
    except Exception as exception:  # noqa: BLE001 (a failed call is a figure of the test)
        stats.record(endpoint, perf_counter() - started, "exception", f"{type(exception).__name__}: {exception}")
        return None
    stats.record(endpoint, perf_counter() - started, status, error, outcome)
    return value


class ApiClient:
    """A member app: sells a few points for each of its members in turn, with their Bearer tokens."""

    endpoint = "POST /points/api/v1/sell"

    def __init__(self, port, tokens, rng):
        self.port, self.tokens, self.rng = port, tokens, rng

    def setup(self, stats):
        return True

    def call(self, stats, index):
        token = self.tokens[index % len(self.tokens)]
        points = self.rng.choice(SELL_POINTS)

        def sell():
            status, raw, _cookie = http_call(self.port, "POST", "/points/api/v1/sell", json.dumps({"points": points}),
                                             {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            try:
                data = json.loads(raw)
            except ValueError:
                return status, f"{status} not JSON: {raw[:120]!r}", None, None
            if status == 201:
                return status, None, "201 applied", data
            if status == 202:
                return status, None, "202 pending", data
            error = (data.get("error") or {}) if isinstance(data, dict) else {}
            if status == 409:
                return status, None, f"409 {error.get('code')}", data  # refused: an expected answer
            return status, f"{status} {error.get('code')}: {str(error.get('message', ''))[:160]}", None, data

        timed(stats, self.endpoint, sell)


def jsonrpc(port, path, params, cookie=None):
    """(status, JSON-RPC error text or None, result, Set-Cookie)."""
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
    status, raw, set_cookie = http_call(port, "POST", path, body, headers)
    try:
        data = json.loads(raw)
    except ValueError:
        return status, f"{status} not JSON: {raw[:120]!r}", None, set_cookie
    if "error" in data:
        error = data["error"]
        name = (error.get("data") or {}).get("name") or error.get("message")
        message = ((error.get("data") or {}).get("message") or "").splitlines()[:1]
        return status, f"{status} JSON-RPC {name}: {(message or [''])[0][:160]}", None, set_cookie
    if status // 100 != 2:
        return status, f"{status}", None, set_cookie
    return status, None, data.get("result"), set_cookie


class PosClient:
    """A POS terminal: signs in once as the cashier, then syncs one new paid order per call."""

    def __init__(self, port, setup, terminal, dbname, rng, sequences):
        self.port, self.setup_data, self.terminal, self.dbname, self.rng = port, setup, terminal, dbname, rng
        self.sequences, self.cookie = sequences, None
        self.context = {"lang": "en_US", "tz": "UTC", "uid": setup["cashier_id"],
                        "allowed_company_ids": [setup["company_id"]], "login_number": terminal + 1}

    def setup(self, stats):
        """Signs in with /web/session/authenticate; False if that failed."""

        def login():
            status, error, result, set_cookie = jsonrpc(self.port, "/web/session/authenticate", {
                "db": self.dbname, "login": CASHIER_LOGIN, "password": self.setup_data["cashier_password"]})
            if not error and not (result and result.get("uid")):
                error = f"{status} signed in without a uid"
            return status, error, None, None if error else (set_cookie or "").split(";", 1)[0] or None

        self.cookie = timed(stats, "POST /web/session/authenticate", login)
        return bool(self.cookie)

    def call_kw(self, method, args):
        return jsonrpc(self.port, f"/web/dataset/call_kw/pos.order/{method}", {
            "model": "pos.order", "method": method, "args": args, "kwargs": {"context": self.context}}, self.cookie)

    def call(self, stats, index):
        setup = self.setup_data
        partner_id = self.rng.choice(setup["member_ids"])
        product = setup["products"][index % len(setup["products"])]
        points_paid = 0.0
        if index % POINTS_EVERY == 0:
            # As the POS screen does before it offers the Points method.
            lines = [{"product_id": product[0], "qty": 1, "price_subtotal": product[1]}]

            def preview():
                status, error, result, _cookie = self.call_kw(
                    "points_preview_from_ui", [setup["config_id"], partner_id, lines, POINTS_AMOUNT])
                if error:
                    return status, error, None, None
                outcome = "customer cannot pay with points" if result["error"] else "customer can pay with points"
                return status, None, outcome, result

            result = timed(stats, "call_kw pos.order.points_preview_from_ui", preview)
            if result and not result["error"]:
                points_paid = POINTS_AMOUNT
        with self.sequences["lock"]:
            self.sequences["next"] += 1
            sequence = self.sequences["next"]
        payload = order_payload(setup, self.terminal, sequence, partner_id, product, points_paid)

        def sync():
            status, error, result, _cookie = self.call_kw("sync_from_ui", [[payload]])
            if error:
                return status, error, None, None
            states = [order["state"] for order in result["pos.order"]]
            if states != ["paid"]:
                return status, f"{status} order ended {states}", None, None
            return status, None, "paid partly with points" if points_paid else "paid in cash", result

        timed(stats, "call_kw pos.order.sync_from_ui", sync)


def run_clients(setup, port, dbname, clients, seconds, server_pid):
    """Clients sign in and warm the workers up (untimed), start together, then call until the deadline.

    Returns (timed stats, warm-up stats, seconds, member apps, POS terminals, CPU line or None).
    """
    stats, warmup = Stats(), Stats()
    sequences = {"lock": threading.Lock(), "next": setup["sequence"]}
    api_clients = max(1, clients // 2)
    pos_clients = max(1, clients - api_clients)
    workers = [ApiClient(port, setup["tokens"][n::api_clients], random.Random(SEED + n))  # each app: own members
               for n in range(api_clients)]
    workers += [PosClient(port, setup, n, dbname, random.Random(SEED + 1000 + n), sequences)
                for n in range(pos_clients)]
    clock = {}
    start = threading.Barrier(len(workers) + 1, action=lambda: clock.update(
        cpu=cpu_snapshot(server_pid, dbname), started=perf_counter(), deadline=monotonic() + seconds))

    def work(client):
        ready = client.setup(warmup)
        if ready:
            for index in range(WARMUP_CALLS):
                client.call(warmup, -1 - index)
        try:
            start.wait(timeout=START_TIMEOUT)
        except threading.BrokenBarrierError:
            return
        if not ready:
            return
        for index in range(MAX_CALLS_PER_CLIENT):
            if monotonic() >= clock["deadline"]:
                return
            client.call(stats, index)

    threads = [threading.Thread(target=work, args=(client,), daemon=True) for client in workers]
    for thread in threads:
        thread.start()
    try:
        start.wait(timeout=START_TIMEOUT)
    except threading.BrokenBarrierError:
        raise RuntimeError("the clients could not sign in and warm up in time") from None
    for thread in threads:
        thread.join(timeout=max(0.0, clock["deadline"] - monotonic()) + CALL_TIMEOUT + 10)
    elapsed = perf_counter() - clock["started"]
    calls = sum(len(latencies) for latencies in stats.latencies.values())
    cpu = cpu_figures(clock["cpu"], cpu_snapshot(server_pid, dbname), calls)
    return stats, warmup, elapsed, api_clients, pos_clients, cpu


# -- figures ------------------------------------------------------------------------------------------------
def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def print_endpoints(stats, elapsed):
    print(f"  {'endpoint':42} {'calls':>6} {'calls/s':>8} {'p50 ms':>7} {'p95 ms':>7}  HTTP statuses")
    for endpoint in sorted(stats.latencies):
        latencies = stats.latencies[endpoint]
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(
            stats.statuses[endpoint].items(), key=lambda item: str(item[0])))
        print(f"  {endpoint:42} {len(latencies):>6} {len(latencies) / elapsed:>8.1f} "
              f"{1000 * percentile(latencies, 0.5):>7.0f} {1000 * percentile(latencies, 0.95):>7.0f}  {statuses}")
        outcomes = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(stats.outcomes[endpoint].items()))
        if outcomes:
            print(f"  {'':42} outcomes: {outcomes}")
        errors = sum(stats.errors[endpoint].values())
        print(f"  {'':42} errors: {errors}")
        for error, count in stats.errors[endpoint].most_common(8):
            print(f"  {'':44} {count} x {error}")


def pending_count(registry, pool_id):
    return in_transaction(registry, lambda env: env["points.pool.request"].search_count(
        [("pool_id", "=", pool_id), ("state", "=", "pending")]))


def drain(registry, pool_id):
    """Seconds until no request of the pool is pending (the drain runs in this process)."""
    Pool = type(in_transaction(registry, lambda env: env["points.pool"]))
    started = perf_counter()
    while not Pool._drain(registry.db_name, pool_id, passes=50) or pending_count(registry, pool_id):
        time.sleep(0.1)
    return perf_counter() - started


def pool_figures(env, setup):
    pool = env["points.pool"].browse(setup["pool_id"])
    requests = env["points.pool.request"]._read_group(
        [("pool_id", "=", pool.id), ("id", ">=", setup["first_request_id"])], ["kind", "state"], ["__count"])
    reasons = env["points.pool.request"]._read_group(
        [("pool_id", "=", pool.id), ("id", ">=", setup["first_request_id"]), ("state", "=", "refused")],
        ["refusal_reason"], ["__count"])
    first_row = env["points.ledger"].search([("request_id", ">=", setup["first_request_id"])], order="id", limit=1)
    events = dict(env["points.ledger"]._read_group(
        [("pool_id", "=", pool.id), ("id", ">=", first_row.id or 0)] if first_row else [("id", "=", 0)],
        ["event"], ["__count"]))
    orders = env["pos.order"].search([("session_id", "=", setup["session_id"])])
    return {
        "requests": requests, "reasons": reasons, "events": events, "breaches": pool._integrity_breaches(),
        "price": pool.price, "orders": len(orders), "orders_pending": len(orders.filtered("points_pending")),
        "orders_unkeyed": len(orders.filtered(lambda order: order.partner_id and not order.points_sync_key)),
    }


#: PostgreSQL errors Odoo's RPC loop retries (odoo.service.model.PG_CONCURRENCY_ERRORS_TO_RETRY).
CONCURRENCY_MESSAGES = ("could not serialize access", "deadlock detected", "could not obtain lock")


def server_log_counts(path):
    """What the server's log says.

    Returns a dict: ``retries`` and ``exhausted`` (Odoo's RPC loop on concurrency errors),
    ``conflicts`` (Counter of the tables whose statements failed on a concurrency error, which
    Odoo logs as ERROR before retrying), ``errors`` (the other ERROR lines), ``first_error``
    (the first of them with what follows) and ``exceptions`` (Counter of bare tracebacks by
    their last line, such as a child process dying).
    """
    figures = {"retries": 0, "exhausted": 0, "errors": 0, "first_error": None,
               "conflicts": Counter(), "exceptions": Counter()}
    with open(path, errors="replace") as log:
        lines = log.readlines()
    for number, line in enumerate(lines):
        if "tries left, try again in" in line:
            figures["retries"] += 1
        elif "maximum number of tries reached" in line:
            figures["exhausted"] += 1
        elif re.search(r" (ERROR|CRITICAL) ", line):
            following = "".join(lines[number:number + 40])
            cause = re.search(r"^ERROR:\s+(.*)$", following, re.MULTILINE)
            cause = cause.group(1) if cause else ""
            if "odoo.sql_db: bad query" in line and any(message in cause for message in CONCURRENCY_MESSAGES):
                table = re.search(r"(?:INSERT INTO|UPDATE|DELETE FROM|FROM)\s+(\w+)", following)
                figures["conflicts"][table.group(1) if table else "?"] += 1
            else:
                figures["errors"] += 1
                figures["first_error"] = figures["first_error"] or "".join(lines[number:number + 60])
        elif line.startswith("Traceback (most recent call last)"):
            # Its last line that does not start with a space names the exception.
            end = next((n for n in range(number + 1, len(lines)) if not lines[n].startswith(" ")), None)
            figures["exceptions"][lines[end].strip()[:200] if end is not None else "?"] += 1
    return figures


def parse_args(argv):
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--server-log", help="the server's log (default: /tmp/load_http_<database>.log)")
    parser.add_argument("--smoke", action="store_true", help="2 clients for 5 seconds, 8 members")
    known, rest = parser.parse_known_args(argv)
    if known.smoke:
        known.seconds, known.clients, known.members = 5, 2, 8
    if known.seconds <= 0 or known.clients < 2 or known.members < known.clients // 2:
        parser.error("--seconds must be positive, --clients at least 2, --members at least half the clients")
    return known, rest


def main():
    options, odoo_args = parse_args(sys.argv[1:])
    config.parse_config(odoo_args, setup_logging=True)
    dbname = config["db_name"]
    if not dbname or "," in dbname:
        print("load_http: name one database with -d", file=sys.stderr)
        return 2
    log_path = options.server_log or f"/tmp/load_http_{dbname}.log"
    registry = odoo.modules.registry.Registry(dbname)
    setup = in_transaction(registry, lambda env: prepare(env, options.members))
    print(f"HTTP load test on {dbname}: {options.clients} clients for {options.seconds:g} s against Odoo with "
          f"{options.workers} workers on 127.0.0.1:{options.port}; {len(setup['member_ids'])} members; "
          f"server log {log_path}")

    problem = websocket_problem()
    if problem:
        print(f"  !! Odoo's websocket process cannot start in this virtualenv ({problem}); prefork Odoo would "
              f"restart it every second, burning CPU: it runs with an idle stand-in for it (no client uses the bus)")
    server = Server(odoo_args, dbname, options.port, options.workers, log_path, websocket=not problem)
    try:
        started = perf_counter()
        server.start()
        print(f"  server answered /web/health after {perf_counter() - started:.1f} s")
        stats, warmup, elapsed, api_clients, pos_clients, cpu = run_clients(
            setup, options.port, dbname, options.clients, options.seconds, server.process.pid)
        pending_at_end = pending_count(registry, setup["pool_id"])
    except RuntimeError as error:
        print(f"load_http: {error}", file=sys.stderr)
        return 1
    finally:
        server.stop()

    print(f"  {api_clients} member apps (POST /points/api/v1/sell, {SELL_POINTS} points) and {pos_clients} POS "
          f"terminals (sync_from_ui, every {POINTS_EVERY}rd order offers {POINTS_AMOUNT:.2f} in points) "
          f"for {elapsed:.1f} s")
    print_endpoints(stats, elapsed)
    if cpu:
        print(cpu)
    warm_calls = sum(len(latencies) for latencies in warmup.latencies.values())
    warm_errors = sum(sum(counter.values()) for counter in warmup.errors.values())
    sign_ins = warmup.latencies.get("POST /web/session/authenticate", [])
    print(f"  warm-up before the clock (untimed): {len(sign_ins)} sign-ins, p95 "
          f"{1000 * percentile(sign_ins, 0.95):.0f} ms; {warm_calls - len(sign_ins)} calls; errors: {warm_errors}")
    for endpoint, counter in warmup.errors.items():
        for error, count in counter.most_common(3):
            print(f"    {count} x {endpoint}: {error}")
    log = server_log_counts(log_path)
    conflicts = ", ".join(f"{table} {count}" for table, count in log["conflicts"].most_common())
    print(f"  server: {log['retries']} retries of Odoo's RPC loop on concurrency errors ({log['exhausted']} calls "
          f"gave up; statements that failed, by table: {conflicts or 'none'}); {log['errors']} other ERROR lines "
          f"and {sum(log['exceptions'].values())} tracebacks in its log")
    for exception, count in log["exceptions"].most_common(5):
        print(f"    {count} x {exception}")

    drain_seconds = drain(registry, setup["pool_id"])
    figures = in_transaction(registry, lambda env: pool_figures(env, setup))
    by_state = Counter()
    for kind, state, count in figures["requests"]:
        by_state[state] += count
    kinds = ", ".join(f"{kind} {state}: {count}" for kind, state, count in sorted(figures["requests"]))
    print(f"  pool: {pending_at_end} requests pending when the clients stopped, queue empty {drain_seconds:.1f} s "
          f"later; price {figures['price']:.6f}")
    print(f"  pool: requests of the run (warm-up included) applied {by_state['applied']}, "
          f"refused {by_state['refused']} ({kinds})")
    for reason, count in figures["reasons"][:5]:
        print(f"  pool:   {count} refused: {reason}")
    print("  pool: ledger rows of the run: " + ", ".join(
        f"{event} {count}" for event, count in sorted(figures["events"].items())))
    print(f"  pos: {figures['orders']} orders in the session, {figures['orders_pending']} still marked pending, "
          f"{figures['orders_unkeyed']} with a customer whose points never moved")
    breaches = figures["breaches"]
    print(f"  integrity breaches: {len(breaches)}")
    for breach in breaches[:10]:
        print(f"    {breach}")
    errors = sum(sum(counter.values()) for counter in stats.errors.values()) + warm_errors
    print(f"  {GOALS}")
    print(f"  this run: {errors} errors, {len(breaches)} integrity breaches, queue empty after the run, "
          f"{figures['orders_pending']} POS orders left pending")
    if log["first_error"]:
        print(f"  first ERROR of the server log ({log_path}):")
        print("    " + log["first_error"].rstrip().replace("\n", "\n    "))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == [SERVE]:
        serve(sys.argv[2:])
    else:
        sys.exit(main())
