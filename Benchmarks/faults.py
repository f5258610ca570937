#!/usr/bin/env python3
"""Faults against a running `shomei serve` (release build), with real peers (issue #16, item 7):

  postgres  PostgreSQL stopped for 30 s and started again under EST enrollment load, with mail
            being delivered: requests in the gap get 503 with Retry-After and a message, nothing
            is written by them, the server recovers without a restart (how soon is probed every
            0.25 s), no issuance is lost or doubled, every mail is sent once, and the server still
            stops on SIGTERM.
  nodes     two `shomei serve` nodes on one PostgreSQL, one killed with SIGKILL while the
            notice and outbox jobs run: every message is sent exactly once.
  smtp      the mail relay down for 30 s while mail is due: nothing lost, each sent once when
            it is back.

    Benchmarks/faults.py postgres|nodes|smtp|all [--users N]

Needs the local PostgreSQL cluster as .ci/run sets it up (role shomei), openssl, curl, and
Python's aiosmtpd and cryptography. Prints what it saw; docs/BENCHMARKS.md holds the figures.
"""
import argparse
import base64
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import ssl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOMEI = os.environ.get("SHOMEI_SERVER", os.path.join(ROOT, ".build/release/shomei"))
SINK = os.path.join(ROOT, "Tests/ShomeiTests/Peers/smtp_sink.py")
PASSWORD = "fault-password"


def sh(*arguments, check=True, **options):
    return subprocess.run(list(arguments), check=check, capture_output=True, text=True, **options)


def cluster():
    version = sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1]
    return version, "main"


def postgres(action):
    version, name = cluster()
    sh("pg_ctlcluster", version, name, action, *(["-m", "fast"] if action == "stop" else []), check=False)
    if action == "start":
        for _ in range(60):
            if sh("pg_isready", "-q", "-h", "127.0.0.1", check=False).returncode == 0:
                return
            time.sleep(0.5)


def psql(database, query):
    out = sh("su", "postgres", "-c", f"psql -At -d {database} -c \"{query}\"")
    return out.stdout.strip()


class Installation:
    """A data folder on a fresh PostgreSQL database, with `users` general users of contract F1."""

    def __init__(self, work, database, smtp_port=2525, validity_days=30):
        self.work = work
        self.database = database
        self.data = os.path.join(work, "d")
        sh("su", "postgres", "-c", f"createdb -O shomei {database}")
        self.env = dict(os.environ, SHOMEI_CA_PASSPHRASE="fault-passphrase", LANG="C.UTF-8", SHOMEI_LANG="en",
                        SHOMEI_DATABASE_URL=f"postgres://shomei:shomei@127.0.0.1:5432/{database}?sslmode=disable")
        self.shomei("init")
        config_file = os.path.join(self.data, "shomei.json")
        config = json.load(open(config_file))
        config["certificates"]["validityDays"] = validity_days
        config["lifecycle"] = {"renewalWindowDays": 30, "noticeOffsetsDays": [30, 10], "reacquisitionGraceDays": 90}
        config["mail"]["smtp"].update(host="127.0.0.1", port=smtp_port, tls="none", timeoutSeconds=2)
        config["mail"]["deliveryIntervalSeconds"] = 1
        config["mail"]["noticeIntervalSeconds"] = 1
        json.dump(config, open(config_file, "w"), indent=2)
        with open(os.path.join(work, "password"), "w") as f:
            f.write(PASSWORD + "\n")
        self.shomei("contract", "add", "--id", "F1", "--name", "Faults")

    def shomei(self, *arguments, check=True):
        return sh(SHOMEI, *arguments, "--data", self.data, env=self.env, check=check)

    def add_user(self, user):
        self.shomei("user", "add", "--contract", "F1", "--user", user, "--name", user, "--role", "general",
                    "--email", f"{user.lower()}@example.jp", "--password-file", os.path.join(self.work, "password"))

    def code(self, user):
        out = self.shomei("code", "issue", "--contract", "F1", "--user", user, "--json").stdout
        return json.loads(out)["activationCode"]

    def certify(self, user):
        key, csr = os.path.join(self.work, f"{user}.key"), os.path.join(self.work, f"{user}.csr")
        sh("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
           "-subj", "/CN=x", "-out", csr)
        self.shomei("cert", "issue", "--contract", "F1", "--user", user, "--csr", csr, "--out", os.path.join(self.work, f"{user}.pem"))

    def serve(self, port, https_port, log):
        return subprocess.Popen([SHOMEI, "serve", "--data", self.data, "--port", str(port), "--https-port", str(https_port)],
                                env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def drop(self):
        sh("su", "postgres", "-c", f"dropdb --if-exists {self.database}", check=False)


def stop(server, name="server", limit=40):
    """SIGTERM, then how long the process took to exit (SIGKILL after `limit` seconds)."""
    sent = time.time()
    server.terminate()
    try:
        server.wait(timeout=limit)
        print(f"  {name} exited {time.time() - sent:.1f} s after SIGTERM (status {server.returncode})")
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        print(f"  {name} did NOT exit within {limit} s of SIGTERM: killed")


def wait_healthy(port, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on {port} did not start")


def csr_base64(work, name):
    der = os.path.join(work, f"{name}.der")
    sh("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
       os.path.join(work, f"{name}.est.key"), "-subj", "/CN=x", "-outform", "DER", "-out", der)
    return base64.b64encode(open(der, "rb").read()).decode()


def enroll(https_port, root, user, code, csr):
    """One EST simpleenroll; returns (status, retry-after, body)."""
    context = ssl.create_default_context(cafile=root)
    request = urllib.request.Request(
        f"https://127.0.0.1:{https_port}/.well-known/est/simpleenroll", data=csr.encode(), method="POST",
        headers={"Content-Type": "application/pkcs10", "X-Shomei-Activation-Code": code, "Accept-Language": "en",
                 "Authorization": "Basic " + base64.b64encode(f"F1/{user}:{PASSWORD}".encode()).decode()})
    try:
        with urllib.request.urlopen(request, context=context, timeout=60) as response:
            return response.status, None, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After"), error.read().decode()
    except OSError as error:
        return 0, None, str(error)


def installation_with_relay(name, port):
    """A work folder, an installation on a fresh database, and an SMTP sink for it (not started)."""
    work = tempfile.mkdtemp()
    installation = Installation(work, f"shomei_faults_{name}_{os.getpid()}", smtp_port=port)
    relay = Relay(os.path.join(work, "mail"), port)
    os.makedirs(relay.folder)
    return work, installation, relay


def scenario_postgres(users):
    work, installation, relay = installation_with_relay("pg", 2528)
    server = None
    try:
        print(f"setting up {users} users with activation codes …", flush=True)
        installation.add_user("W0")
        installation.certify("W0")
        pending = queue.Queue()
        for index in range(users):
            user = f"U{index}"
            installation.add_user(user)
            pending.put((user, installation.code(user), csr_base64(work, user)))
        relay.start()
        log = open(os.path.join(work, "serve.log"), "w")
        server = installation.serve(18_092, 18_456, log)
        wait_healthy(18_092)
        root = os.path.join(installation.data, "ca/root.pem")
        results, lock, start = [], threading.Lock(), time.time()
        outage = {"stopped": None, "started": None}

        def worker():
            while True:
                try:
                    user, code, csr = pending.get(timeout=1)
                except queue.Empty:
                    if pending.empty() and time.time() - start > 5:
                        return
                    continue
                sent = time.time()
                status, retry_after, body = enroll(18_456, root, user, code, csr)
                with lock:
                    results.append({"user": user, "at": sent - start, "status": status, "retry": retry_after, "body": body[:200]})
                if status == 503:
                    # As a client should: wait what Retry-After says, then try the same request again.
                    time.sleep(min(float(retry_after or 5), 30))
                    pending.put((user, code, csr))
                time.sleep(0.25)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(10)
        outage["stopped"] = time.time() - start
        postgres("stop")
        time.sleep(15)
        def login_page():
            return sh("curl", "-s", "-o", "/dev/null", "--max-time", "5", "--cacert", root, "-D", "-", "--cert",
                      os.path.join(work, "W0.pem"), "--key", os.path.join(work, "W0.key"),
                      "https://127.0.0.1:18456/login", check=False).stdout

        probe = login_page()
        ready = sh("curl", "-s", "--max-time", "10", "-w", " %{http_code}", "http://127.0.0.1:18092/health/ready",
                   check=False).stdout.replace("\n", " ")
        time.sleep(15)
        postgres("start")
        outage["started"] = time.time() - start
        # The server's own recovery: the login page (it reads the database) polled until it answers 200.
        recovered = None
        while recovered is None and time.time() - start - outage["started"] < 120:
            if login_page().startswith("HTTP/1.1 200"):
                recovered = time.time() - start - outage["started"]
            else:
                time.sleep(0.25)
        for thread in threads:
            thread.join(timeout=240)
        alive = server.poll() is None
        issued = {row.split("|")[0]: int(row.split("|")[1]) for row in
                  psql(installation.database, "SELECT user_id, count(*) FROM certificates GROUP BY user_id").splitlines() if row}
        ok = {r["user"] for r in results if r["status"] == 200}
        in_gap = [r for r in results if outage["stopped"] <= r["at"] <= outage["started"]]
        statuses = {}
        for r in results:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        refused_after_commit = [r for r in results if r["status"] == 403 and "activation code" in r["body"].lower()
                                and issued.get(r["user"], 0) == 1 and r["user"] not in ok]
        print(f"postgres outage {outage['stopped']:.0f}–{outage['started']:.0f} s; responses by status: {statuses}")
        print(f"  in the gap: {len(in_gap)} requests, statuses {sorted({r['status'] for r in in_gap})}, "
              f"Retry-After on every 503: {all(r['retry'] for r in results if r['status'] == 503)}")
        print(f"  GET /login during the outage: {probe.splitlines()[0] if probe else 'no answer'} "
              f"({'Retry-After' if 'retry-after' in probe.lower() else 'no Retry-After'}); /health/ready: {ready}")
        after = [r for r in results if r["at"] > outage["started"] and r["status"] == 200]
        print(f"  login page 200 again {recovered if recovered is None else round(recovered, 2)} s after PostgreSQL "
              f"accepted connections; first enrollment 200 after it (clients wait Retry-After): "
              f"{min((r['at'] for r in after), default=float('nan')) - outage['started']:.1f} s; "
              f"server still the same process: {alive}")
        print(f"  issued: {len(ok)} answered 200, {sum(issued.values())} certificates stored, "
              f"users with more than one: {sum(1 for n in issued.values() if n > 1)}, "
              f"200s without a stored certificate: {len(ok - set(issued))}, "
              f"committed but answered 503 (the retry then told 'no activation code'): {len(refused_after_commit)}, "
              f"500s: {statuses.get(500, 0)}")
        deliver_and_check(installation, relay, "  mail after the outage")
        stop(server)
        server = None
    finally:
        if server:
            server.kill()
            server.wait()
        relay.stop()
        postgres("start")
        installation.drop()
        shutil.rmtree(work, ignore_errors=True)


class Relay:
    """The SMTP sink (aiosmtpd) on a fixed port, stoppable and startable."""

    def __init__(self, folder, port):
        self.folder, self.port, self.process = folder, port, None

    def start(self):
        self.process = subprocess.Popen([sys.executable, SINK, "--folder", self.folder, "--port", str(self.port)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().startswith("READY")

    def stop(self):
        if self.process:
            self.process.stdin.close()
            self.process.wait()
            self.process = None

    def received(self):
        return [json.load(open(os.path.join(self.folder, name))) for name in os.listdir(self.folder) if name.endswith(".json")]


def outbox_counts(database):
    rows = psql(database, "SELECT status, count(*) FROM outbox GROUP BY status").splitlines()
    return {row.split("|")[0]: int(row.split("|")[1]) for row in rows if row}


def deliver_and_check(installation, relay, title, deadline_seconds=240):
    deadline = time.time() + deadline_seconds
    while time.time() < deadline and outbox_counts(installation.database).get("pending", 0) > 0:
        time.sleep(1)
    received = relay.received()
    ids = [m["message_id"] for m in received]
    # A notice queued twice would have two Message-IDs: count the same subject to the same
    # address too (each user gets one mail of each kind here).
    letters = [(m["to"], m["subject"]) for m in received]
    counts = outbox_counts(installation.database)
    print(f"{title}: outbox {counts}; relay received {len(received)} messages, "
          f"{len(ids) - len(set(ids))} sent twice (same Message-ID), {len(letters) - len(set(letters))} queued twice "
          f"(same address and subject), {counts.get('sent', 0) - len(set(ids))} marked sent but not received")


def scenario_nodes(users):
    work, installation, relay = installation_with_relay("nodes", 2526)
    nodes = []
    try:
        print(f"setting up {users} users with certificates (each queues mail, and its renewal notice is due) …", flush=True)
        for index in range(users):
            installation.add_user(f"U{index}")
            installation.certify(f"U{index}")
        relay.start()
        for port, https in [(18_093, 18_457), (18_094, 18_458)]:
            nodes.append(installation.serve(port, https, open(os.path.join(work, f"node-{port}.log"), "w")))
        for port in (18_093, 18_094):
            wait_healthy(port)
        # Kill node A once delivery is under way, while it holds claimed messages.
        total = sum(outbox_counts(installation.database).values())
        deadline = time.time() + 120
        while outbox_counts(installation.database).get("sent", 0) < total // 10:
            if time.time() > deadline:
                raise SystemExit("no mail was sent within 120 s")
            time.sleep(0.05)
        claimed = psql(installation.database, "SELECT count(*) FROM outbox WHERE status = 'pending' AND claim_token IS NOT NULL")
        nodes[0].send_signal(signal.SIGKILL)
        nodes[0].wait()
        print(f"node A killed with SIGKILL once a tenth was sent: outbox then {outbox_counts(installation.database)}, "
              f"{claimed} claimed by a node just before", flush=True)
        deliver_and_check(installation, relay, "two nodes, one killed")
        stop(nodes[1], "node B")
    finally:
        for node in nodes:
            if node.poll() is None:
                node.kill()
                node.wait()
        relay.stop()
        installation.drop()
        shutil.rmtree(work, ignore_errors=True)


def scenario_smtp(users):
    work, installation, relay = installation_with_relay("smtp", 2527)
    server = None
    try:
        print(f"setting up {users} users with certificates …", flush=True)
        for index in range(users):
            installation.add_user(f"U{index}")
            installation.certify(f"U{index}")
        server = installation.serve(18_095, 18_459, open(os.path.join(work, "serve.log"), "w"))
        wait_healthy(18_095)
        time.sleep(30)
        print(f"relay down for 30 s: outbox {outbox_counts(installation.database)}", flush=True)
        relay.start()
        deliver_and_check(installation, relay, "relay back after 30 s")
        stop(server)
        server = None
    finally:
        if server:
            server.kill()
            server.wait()
        relay.stop()
        installation.drop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["postgres", "nodes", "smtp", "all"])
    parser.add_argument("--users", type=int, default=150)
    args = parser.parse_args()
    random.seed(1)
    for name, run in [("postgres", scenario_postgres), ("nodes", scenario_nodes), ("smtp", scenario_smtp)]:
        if args.scenario in (name, "all"):
            run(args.users)


if __name__ == "__main__":
    main()
