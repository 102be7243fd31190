#!/usr/bin/env python3
"""The whole emulator at scale: a release `xdsemu up` driven through its Kubernetes API.

1. World: --namespaces injected namespaces holding --services Services in all, each with a
   Deployment of --replicas pods (default 1,000 x 10 = 10,000 injected pods, one simulated proxy
   each), applied with `kubectl apply -f` as a user would. Measured: time from the apply until
   every pod is Running with its proxy connected and SYNCED (the istiod's syncz has, for CDS and
   EDS, an ACK of the last nonce sent), daemon CPU seconds, and RSS per proxy (RSS once synced
   minus RSS before the apply, over the proxies added).
2. Canary move: `istioctl install --set revision=canary` (through `xdsemu shim`), every bench
   namespace relabelled `istio.io/rev=canary`, `kubectl rollout restart deployment` in each.
   Measured: time until every bench pod is a new one on the canary istiod, SYNCED, and no old
   pod is left; daemon CPU seconds; `kubectl get pods -A` wall time, run back to back during it.

    bench/emulator/emulator_bench.py [--services 1000 --replicas 10 --namespaces 10] [--limit-seconds 1200]

`--step-ms` (default 10) is a pod's life step, so the figures measure the emulator rather than its
simulated start-up delays. A phase not done within --limit-seconds is reported with how far it got.
Writes DIR/emulator-bench-S-P.json (--out, default bench/results).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "bench", "lib"))
from xdsemu_daemon import Daemon  # noqa: E402


def run(args, env, stdin=None, timeout=1800):
    r = subprocess.run(args, input=stdin, env=env, timeout=timeout, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def kubectl(args, env, stdin=None):
    return run(["kubectl", "--request-timeout=300s", *args], env, stdin)


def objects(a, namespaces):
    """Namespaces, then a Service and a Deployment per service, spread evenly over them."""
    out = [{"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": ns, "labels": {"istio-injection": "enabled"}}} for ns in namespaces]
    for i in range(a.services):
        ns, name = namespaces[i % len(namespaces)], f"svc-{i:04d}"
        labels = {"app": name}
        out.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
                    "spec": {"selector": labels, "ports": [{"name": "http", "port": 9080}]}})
        out.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns},
                    "spec": {"replicas": a.replicas, "selector": {"matchLabels": labels},
                             "template": {"metadata": {"labels": labels},
                                          "spec": {"containers": [{"name": "app", "image": "docker.io/istio/examples-bookinfo-details-v1:1.15.0",
                                                                   "ports": [{"containerPort": 9080}]}]}}}})
    return "".join("---\n" + json.dumps(o) + "\n" for o in out)


def synced(entry):
    """istioctl proxy-status's SYNCED for CDS and EDS: the last nonce sent is the last ACKed."""
    return all(entry.get(f"{t}_sent") and entry.get(f"{t}_sent") == entry.get(f"{t}_acked")
               for t in ("cluster", "endpoint"))


def census(daemon, namespaces, revision=None):
    """(bench proxies SYNCED [on `revision`'s istiod], bench proxies connected anywhere), from syncz."""
    suffixes = tuple("." + ns for ns in namespaces)
    ok, seen = 0, 0
    for istiod in daemon.get("/xdsemu/v1/syncz")["items"]:
        for entry in istiod["proxies"]:
            if not entry["proxy"].endswith(suffixes):
                continue
            seen += 1
            if synced(entry) and (revision is None or istiod["revision"] == revision):
                ok += 1
    return ok, seen


def pods(daemon, namespaces):
    """Every bench pod as (namespace, name, Running and not terminating)."""
    out = []
    for ns in namespaces:
        for p in daemon.get(f"/api/v1/namespaces/{ns}/pods")["items"]:
            out.append((ns, p["metadata"]["name"],
                        p.get("status", {}).get("phase") == "Running" and not p["metadata"].get("deletionTimestamp")))
    return out


def wait_for(daemon, a, label, t0, cpu0, check):
    """Polls `check()` once a second until it says done or --limit-seconds pass; returns the ramp."""
    ramp = []
    while True:
        done, sample = check()
        now = time.monotonic() - t0
        sample.update(seconds=round(now, 1), cpu_s=round(daemon.cpu() - cpu0, 1), rss_mb=round(daemon.rss_mb(), 1))
        ramp.append(sample)
        print(f"  {label}: {sample}", file=sys.stderr, flush=True)
        if done or now > a.limit_seconds:
            return done, ramp
        time.sleep(1)


def build_world(daemon, env, a, namespaces):
    target = a.services * a.replicas
    rss0, cpu0, t0 = daemon.rss_mb(), daemon.cpu(), time.monotonic()
    kubectl(["apply", "-f", "-"], env, stdin=objects(a, namespaces))
    applied = time.monotonic() - t0

    def check():
        # The pod list only once syncz says done: listing 10,000 pods every second would load
        # the daemon being measured.
        ok, seen = census(daemon, namespaces)
        running = sum(r for _, _, r in pods(daemon, namespaces)) if ok == target else None
        return ok == target and seen == target and running == target, {"synced": ok, "proxies": seen, "running": running}

    done, ramp = wait_for(daemon, a, "world", t0, cpu0, check)
    elapsed, cpu, rss = time.monotonic() - t0, daemon.cpu() - cpu0, daemon.rss_mb()
    proxies = ramp[-1]["proxies"]  # connected, SYNCED or not (a run that timed out still has them)
    return {"target_proxies": target, "reached": done, "seconds": round(elapsed, 1), "apply_returned_s": round(applied, 1),
            "daemon_cpu_s": round(cpu, 1), "rss_before_mb": round(rss0, 1), "rss_mb": round(rss, 1),
            "rss_per_proxy_kib": round((rss - rss0) * 1024 / max(proxies, 1), 1), "ramp": ramp}


def canary_move(daemon, env, a, namespaces, work):
    target = a.services * a.replicas
    shim = os.path.join(work, "shim")
    run([a.xdsemu, "shim", shim, "--istio-version", a.canary_version], env)
    run([os.path.join(shim, "bin", "istioctl"), "install", "--set", "revision=canary", "-y"], env)
    old = {(ns, name) for ns, name, _ in pods(daemon, namespaces)}
    latencies, stop = [], threading.Event()

    def get_pods():
        # Back to back, as a user watching the move would: each run's wall time is one sample.
        while not stop.is_set():
            s = time.monotonic()
            kubectl(["get", "pods", "-A", "--no-headers"], env)
            latencies.append(time.monotonic() - s)

    cpu0, t0 = daemon.cpu(), time.monotonic()
    for ns in namespaces:
        kubectl(["label", "namespace", ns, "istio-injection-", "istio.io/rev=canary", "--overwrite"], env)
    sampler = threading.Thread(target=get_pods, daemon=True)
    sampler.start()
    for ns in namespaces:
        kubectl(["rollout", "restart", "deployment", "-n", ns], env)
    restarted = time.monotonic() - t0

    def check():
        ok, seen = census(daemon, namespaces, revision="canary")
        if ok != target or seen != target:
            return False, {"synced_on_canary": ok, "proxies": seen}
        now = pods(daemon, namespaces)
        left = sum(1 for ns, name, _ in now if (ns, name) in old)
        running = sum(r for _, _, r in now)
        return left == 0 and running == target, {"synced_on_canary": ok, "proxies": seen, "old_left": left,
                                                 "running": running}

    done, ramp = wait_for(daemon, a, "canary", t0, cpu0, check)
    elapsed, cpu = time.monotonic() - t0, daemon.cpu() - cpu0
    stop.set()
    sampler.join(timeout=600)
    lat = sorted(latencies)
    return {"reached": done, "seconds": round(elapsed, 1), "restarts_returned_s": round(restarted, 1),
            "daemon_cpu_s": round(cpu, 1), "rss_mb": round(daemon.rss_mb(), 1),
            "get_pods_runs": len(lat),
            "get_pods_s": {"median": round(statistics.median(lat), 2), "max": round(lat[-1], 2)} if lat else None,
            "ramp": ramp}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--services", type=int, default=1000)
    p.add_argument("--replicas", type=int, default=10)
    p.add_argument("--namespaces", type=int, default=10)
    p.add_argument("--step-ms", type=int, default=10)
    p.add_argument("--limit-seconds", type=int, default=1200, help="per phase")
    p.add_argument("--canary-version", default="1.6.0")
    p.add_argument("--xdsemu", default=os.path.join(ROOT, ".build", "release", "xdsemu"))
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    p.add_argument("--perf", help="also record the daemon with `perf record -g` into this file")
    a = p.parse_args()
    a.xdsemu = os.path.abspath(a.xdsemu)
    work = tempfile.mkdtemp(prefix="xdsemu-emulator-bench-")
    daemon = Daemon(a.xdsemu, a.step_ms, work)
    env = dict(os.environ, KUBECONFIG=daemon.kubeconfig, HOME=work)
    namespaces = [f"mesh-{i:02d}" for i in range(a.namespaces)]
    perf = subprocess.Popen(["perf", "record", "-g", "-F", "499", "-p", str(daemon.proc.pid), "-o", a.perf],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if a.perf else None
    try:
        result = {"services": a.services, "replicas": a.replicas, "namespaces": a.namespaces, "step_ms": a.step_ms,
                  "loadavg_start": open("/proc/loadavg").read().split()[:3], "nproc": os.cpu_count()}
        result["world"] = build_world(daemon, env, a, namespaces)
        if result["world"]["reached"]:
            result["canary"] = canary_move(daemon, env, a, namespaces, work)
        result["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    finally:
        if perf:
            perf.send_signal(2)
            perf.wait(timeout=120)
        daemon.stop()
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, f"emulator-bench-{a.services}-{a.replicas}.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
    w, c = result["world"], result.get("canary")
    print(f"world {a.services} services x {a.replicas} pods: {w['seconds']} s to {w['ramp'][-1]['synced']} of "
          f"{w['target_proxies']} proxies SYNCED, daemon {w['daemon_cpu_s']} CPU s, RSS {w['rss_before_mb']} -> "
          f"{w['rss_mb']} MB ({w['rss_per_proxy_kib']} KiB per connected proxy)")
    if c:
        print(f"canary move: {c['seconds']} s ({'done' if c['reached'] else 'NOT done'}), daemon {c['daemon_cpu_s']} CPU s, "
              f"kubectl get pods -A {c['get_pods_s']} over {c['get_pods_runs']} runs")
    print(f"load average at start {result['loadavg_start']}, end {result['loadavg_end']}; written to {path}")


if __name__ == "__main__":
    main()
