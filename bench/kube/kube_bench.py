#!/usr/bin/env python3
"""The Kubernetes API's speed as the real kubectl sees it, on a release `xdsemu up`.

Three figures, each with the daemon's CPU seconds and RSS (from /proc) beside it:

1. `kubectl get pods -A` over N pods (default 10,000 = 20 namespaces x 5 Deployments x 100
   replicas, scaled up with `kubectl scale` as a user would): wall time of the command, median and
   max of --runs runs, with kubectl's default 500-object chunks and with --chunk-size=0; and the
   time and daemon CPU it took the controllers to bring the Deployments to N ready pods.
2. A watch delivering a rollout of --rollout-pods pods: a raw `?watch=1` client on all pods from
   the current resourceVersion, started before `kubectl rollout restart` of Deployments totalling
   that many replicas; time until it has seen every new pod Running and every old one deleted.
3. `kubectl apply -f` of 100 objects (ConfigMaps, Services, 1-replica Deployments) in one file:
   create, unchanged, and the same two with --server-side, each in fresh namespaces.

    bench/kube/kube_bench.py [--namespaces 20 --deployments 5 --replicas 100] [--runs 5]

The daemon runs in a temporary state directory with `--istio none` (no istiod, no injection, so no
simulated proxies) and `--step-ms` (default 10: a pod's life steps, so the figures measure the
emulator rather than its simulated start-up delays). If the pods are not all ready within
--limit-seconds, the run says so, reports the largest size reached and the time per 1,000 pods,
and measures the rest at that size. Writes bench/results/kube-bench.json (--out).
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
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "bench", "lib"))
from xdsemu_daemon import Daemon  # noqa: E402


def kubectl(args, env, stdin=None, timeout=3600):
    r = subprocess.run(["kubectl", "--request-timeout=300s", *args], input=stdin, env=env, timeout=timeout,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"kubectl {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def timed(daemon, fn):
    """Runs fn; returns (wall seconds, daemon CPU seconds, RSS MB after, fn's result)."""
    cpu0, t0 = daemon.cpu(), time.monotonic()
    result = fn()
    return time.monotonic() - t0, daemon.cpu() - cpu0, daemon.rss_mb(), result


def yaml_stream(objs):
    """Objects as one multi-document YAML file (each document in JSON, which YAML includes)."""
    return "".join("---\n" + json.dumps(o) + "\n" for o in objs)


def deployment(name, ns, replicas, labels=None):
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10"}]}}}}


def ready_counts(daemon):
    items = daemon.get("/apis/apps/v1/deployments")["items"]
    return {(d["metadata"]["namespace"], d["metadata"]["name"]): d.get("status", {}).get("readyReplicas", 0) for d in items}


def scale_up(daemon, env, a):
    """Namespaces of Deployments at 0 replicas, then `kubectl scale` per namespace; waits for ready pods."""
    namespaces = [f"bench-{i:02d}" for i in range(a.namespaces)]
    objs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}} for ns in namespaces]
    objs += [deployment(f"web-{j}", ns, 0) for ns in namespaces for j in range(a.deployments)]
    kubectl(["apply", "-f", "-"], env, stdin=yaml_stream(objs))
    target = a.namespaces * a.deployments * a.replicas
    cpu0, t0 = daemon.cpu(), time.monotonic()
    scaled = {}

    def scale_all():
        # From a thread: each `kubectl scale` waits behind the controllers' writes, so the ramp is
        # sampled while the later namespaces are still being scaled.
        for ns in namespaces:
            kubectl(["scale", "deployment", "--all", f"--replicas={a.replicas}", "-n", ns], env)
        scaled["seconds"] = round(time.monotonic() - t0, 2)

    scaler = threading.Thread(target=scale_all, daemon=True)
    scaler.start()
    ramp, ready, marks = [], 0, {}
    while True:
        ready = sum(n for (ns, _), n in ready_counts(daemon).items() if ns.startswith("bench-"))
        now = time.monotonic() - t0
        ramp.append({"seconds": round(now, 2), "ready": ready, "cpu_s": round(daemon.cpu() - cpu0, 2),
                     "rss_mb": round(daemon.rss_mb(), 1)})
        for k in range(1000, ready + 1, 1000):
            marks.setdefault(k, now)
        if ready >= target or now > a.limit_seconds:
            break
        time.sleep(1)
    elapsed, cpu = time.monotonic() - t0, daemon.cpu() - cpu0
    reached = ready >= target
    scaler.join(timeout=a.limit_seconds)
    result = {"target_pods": target, "ready_pods": ready, "reached": reached, "seconds": round(elapsed, 2),
              "last_scale_returned_s": scaled.get("seconds"),
              "daemon_cpu_s": round(cpu, 2), "rss_mb": round(daemon.rss_mb(), 1),
              "seconds_per_1000": round(elapsed / max(ready, 1) * 1000, 2),
              "seconds_at_each_1000": {str(k): round(v, 2) for k, v in sorted(marks.items())}, "ramp": ramp}
    if not reached:
        print(f"NOT REACHED: {ready} of {target} pods ready after {elapsed:.0f} s "
              f"({result['seconds_per_1000']} s per 1,000 pods); holding the Deployments at that size", file=sys.stderr)
        counts = ready_counts(daemon)
        for (ns, name), n in counts.items():
            if ns.startswith("bench-"):
                kubectl(["scale", "deployment", name, f"--replicas={n}", "-n", ns], env)
        settle = time.monotonic() + 120
        while sum(n for (ns, _), n in ready_counts(daemon).items() if ns.startswith("bench-")) != sum(
                n for (ns, _), n in counts.items() if ns.startswith("bench-")) and time.monotonic() < settle:
            time.sleep(1)
    return result


def get_pods(daemon, env, a):
    out = {}
    for label, extra in (("chunk-500", []), ("chunk-0", ["--chunk-size=0"])):
        runs = []
        for _ in range(a.runs):
            wall, cpu, rss, text = timed(daemon, lambda: kubectl(["get", "pods", "-A", *extra], env))
            runs.append({"wall_s": round(wall, 3), "daemon_cpu_s": round(cpu, 3), "rss_mb": round(rss, 1),
                         "rows": text.count("\n") - 1})
        out[label] = runs
    return out


def rollout(daemon, env, a):
    """Restarts the first Deployments totalling --rollout-pods replicas while a raw watch counts."""
    chosen, total = [], 0
    for (ns, name), n in sorted(ready_counts(daemon).items()):
        if ns.startswith("bench-") and total < a.rollout_pods and n > 0:
            chosen.append((ns, name))
            total += n
    names = {ns: set() for ns, _ in chosen}
    for ns, name in chosen:
        names[ns].add(name)
    old = set()
    for ns, deps in names.items():
        for p in daemon.get(f"/api/v1/namespaces/{ns}/pods")["items"]:
            if p["metadata"]["labels"].get("app") in deps:
                old.add((ns, p["metadata"]["name"]))
    rv = daemon.get("/api/v1/pods?limit=1")["metadata"]["resourceVersion"]
    state = {"events": 0, "deleted": set(), "running": set(), "done": threading.Event(), "t_done": None}

    def watch():
        url = f"{daemon.server}/api/v1/pods?watch=1&resourceVersion={rv}&timeoutSeconds={int(a.limit_seconds)}"
        with urllib.request.urlopen(daemon.request(url), timeout=a.limit_seconds) as r:
            for line in r:
                ev = json.loads(line)
                state["events"] += 1
                m = ev["object"]["metadata"]
                key = (m.get("namespace"), m["name"])
                if m.get("namespace") not in names or m.get("labels", {}).get("app") not in names[m["namespace"]]:
                    continue
                if ev["type"] == "DELETED" and key in old:
                    state["deleted"].add(key)
                elif key not in old and ev["type"] != "DELETED" and ev["object"].get("status", {}).get("phase") == "Running" \
                        and not m.get("deletionTimestamp"):
                    state["running"].add(key)
                if len(state["deleted"]) == len(old) and len(state["running"]) >= total:
                    state["t_done"] = time.monotonic()
                    state["done"].set()
                    return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    time.sleep(0.5)  # the watch request is on the wire before the restart (not a synchronisation: counted from t0)
    cpu0, t0 = daemon.cpu(), time.monotonic()
    for ns, deps in names.items():
        kubectl(["rollout", "restart", "deployment", *sorted(deps), "-n", ns], env)
    finished = state["done"].wait(a.limit_seconds)
    end = state["t_done"] if finished else time.monotonic()
    elapsed = end - t0
    return {"deployments": len(chosen), "pods": total, "old_pods": len(old), "finished": finished,
            "seconds": round(elapsed, 2), "events": state["events"], "events_per_s": round(state["events"] / elapsed, 1),
            "new_running_seen": len(state["running"]), "old_deleted_seen": len(state["deleted"]),
            "daemon_cpu_s": round(daemon.cpu() - cpu0, 2), "rss_mb": round(daemon.rss_mb(), 1)}


def apply_manifest(ns):
    objs = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"config-{i}", "namespace": ns},
             "data": {"key": f"value-{i}", "other": "x" * 64}} for i in range(40)]
    objs += [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"svc-{i}", "namespace": ns},
              "spec": {"selector": {"app": f"app-{i}"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}
             for i in range(30)]
    objs += [deployment(f"app-{i}", ns, 1) for i in range(30)]
    return yaml_stream(objs)


def apply(daemon, env, a, work):
    out = {}
    for mode, extra in (("client-side", []), ("server-side", ["--server-side"])):
        for phase in ("create", "unchanged"):
            out[f"{mode} {phase}"] = []
        for i in range(a.apply_runs):
            ns = f"apply-{mode}-{i}"
            kubectl(["create", "namespace", ns], env)
            path = os.path.join(work, f"{ns}.yaml")
            with open(path, "w") as f:
                f.write(apply_manifest(ns))
            for phase in ("create", "unchanged"):
                wall, cpu, rss, text = timed(daemon, lambda: kubectl(["apply", *extra, "-f", path], env))
                lines = text.strip().splitlines()
                if len(lines) != 100:
                    sys.exit(f"kubectl apply printed {len(lines)} lines, not 100")
                out[f"{mode} {phase}"].append({"wall_s": round(wall, 3), "daemon_cpu_s": round(cpu, 3),
                                               "rss_mb": round(rss, 1), "first_line": lines[0]})
    return out


def row(case, size, runs):
    walls = [r["wall_s"] for r in runs]
    return (f"{case:<42}| {size:>6} | {len(runs):>4} | {statistics.median(walls):>8.3f} | {max(walls):>8.3f} | "
            f"{statistics.median(r['daemon_cpu_s'] for r in runs):>10.3f} | {max(r['rss_mb'] for r in runs):>7.1f}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--xdsemu", default=os.path.join(ROOT, ".build/release/xdsemu"))
    p.add_argument("--namespaces", type=int, default=20)
    p.add_argument("--deployments", type=int, default=5)
    p.add_argument("--replicas", type=int, default=100)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--apply-runs", type=int, default=3)
    p.add_argument("--rollout-pods", type=int, default=1000)
    p.add_argument("--step-ms", type=int, default=10)
    p.add_argument("--limit-seconds", type=float, default=900)
    p.add_argument("--out", default=os.path.join(ROOT, "bench/results"))
    a = p.parse_args()
    if not os.access(a.xdsemu, os.X_OK):
        sys.exit(f"{a.xdsemu} is not an executable: build it with `swift build -c release --product xdsemu`")
    work = tempfile.mkdtemp(prefix="xdsemu-kube-bench-")
    daemon = Daemon(a.xdsemu, a.step_ms, work, extra=["--istio", "none"])
    env = dict(os.environ, KUBECONFIG=daemon.kubeconfig, HOME=work)
    load0 = os.getloadavg()
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "kube-bench.json")
    result = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": os.uname().release,
              "nproc": os.cpu_count(), "load_before": load0, "options": vars(a)}

    def save(**figures):
        """Every phase's figures are written as soon as it ends, so a run stopped later keeps them."""
        result.update(figures, load_after=os.getloadavg())
        with open(path, "w") as f:
            json.dump(result, f, indent=1)

    try:
        started = {"rss_mb": round(daemon.rss_mb(), 1), "daemon_cpu_s": round(daemon.cpu(), 2)}
        save(started=started)
        grow = scale_up(daemon, env, a)
        save(scale_up=grow)
        pods = get_pods(daemon, env, a)
        save(get_pods=pods)
        roll = rollout(daemon, env, a)
        save(rollout=roll)
        applied = apply(daemon, env, a, work)
        peak = round(daemon.rss_mb("VmHWM"), 1)
        save(apply=applied, daemon_peak_rss_mb=peak)
    finally:
        daemon.stop()
        shutil.rmtree(work, ignore_errors=True)
    size = grow["ready_pods"]
    print(f"load average before {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}, after "
          f"{result['load_after'][0]:.2f} {result['load_after'][1]:.2f} {result['load_after'][2]:.2f}; "
          f"step {a.step_ms} ms; daemon at start {started['rss_mb']} MB RSS; peak {peak} MB")
    print(f"{'case':<42}| {'pods':>6} | runs | median s |    max s | daemon CPU s | RSS MB")
    print(f"{'-' * 42}|--------|------|----------|----------|-------------|-------")
    status = "" if grow["reached"] else f" NOT REACHED (target {grow['target_pods']})"
    print(f"{'scale up to ready' + status:<42}| {size:>6} |    1 | {grow['seconds']:>8.2f} | {grow['seconds']:>8.2f} | "
          f"{grow['daemon_cpu_s']:>10.2f} | {grow['rss_mb']:>7.1f}   ({grow['seconds_per_1000']} s per 1,000 pods)")
    print(row("get pods -A (chunks of 500)", size, pods["chunk-500"]))
    print(row("get pods -A --chunk-size=0", size, pods["chunk-0"]))
    print(f"{'rollout watch' + ('' if roll['finished'] else ' NOT FINISHED'):<42}| {roll['pods']:>6} |    1 | "
          f"{roll['seconds']:>8.2f} | {roll['seconds']:>8.2f} | {roll['daemon_cpu_s']:>10.2f} | {roll['rss_mb']:>7.1f}"
          f"   ({roll['events']} events, {roll['events_per_s']}/s)")
    for case, runs in applied.items():
        print(row(f"apply 100 objects, {case}", size, runs))
    print(f"results: {path}")


if __name__ == "__main__":
    main()
