"""The official Kubernetes Python client (PyPI `kubernetes`) against the emulator.

Usage: python_client.py KUBECONFIG builtins
       python_client.py KUBECONFIG custom PLURAL KIND   (a networking.istio.io/v1alpha3 kind)

Each step asserts what a real API server answers and prints `ok <step>: <detail>`; the first
failed assertion ends the script with exit 1 and its message. Every watch has a server-side
timeout, so the script never waits without bound.
"""
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

APPLY = "application/apply-patch+yaml"
MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"


def ok(step, detail=""):
    print(f"ok {step}: {detail}", flush=True)


def expect(cond, message):
    if not cond:
        print(f"FAILED: {message}", file=sys.stderr, flush=True)
        sys.exit(1)


def api_error(call):
    """Runs `call`, which must fail; returns the ApiException."""
    try:
        call()
    except ApiException as e:
        return e
    expect(False, "expected an ApiException")


def status_message(e):
    return json.loads(e.body)["message"] if e.body else e.reason


def deployment(replicas, image="nginx:1.25"):
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {
            "replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "nginx", "image": image}]}},
        },
    }


def pod(name):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "direct"}},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]}}


def wait_for(w, stream, want):
    """Events until one satisfies `want` (the server's timeout bounds the stream)."""
    seen = []
    for event in stream:
        seen.append(event)
        if want(event):
            w.stop()
            return event, seen
    expect(False, f"the watch ended without the expected event; saw {[e['type'] for e in seen]}")


def builtins(ns):
    core, apps = client.CoreV1Api(), client.AppsV1Api()
    core.create_namespace({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    for i in range(5):
        core.create_namespaced_pod(ns, pod(f"p{i}"))
    listed = core.list_namespaced_pod(ns)
    names = [p.metadata.name for p in listed.items]
    expect(names == [f"p{i}" for i in range(5)], f"list: {names}")
    ok("list", ",".join(names))

    # Pagination, across namespaces.
    everything = [(p.metadata.namespace, p.metadata.name) for p in core.list_pod_for_all_namespaces().items]
    paged, token, pages = [], None, 0
    while pages < 100:
        page = core.list_pod_for_all_namespaces(limit=2, _continue=token)
        pages += 1
        paged += [(p.metadata.namespace, p.metadata.name) for p in page.items]
        expect(len(page.items) <= 2, f"page of {len(page.items)}")
        token = page.metadata.var_continue
        if not token:
            break
        expect(page.metadata.remaining_item_count == len(everything) - len(paged),
               f"remainingItemCount {page.metadata.remaining_item_count}")
    expect(paged == everything, f"paged {paged} != {everything}")
    expect(pages == (len(everything) + 1) // 2, f"{pages} pages for {len(everything)} pods")
    ok("paginated list", f"{len(paged)} pods in {pages} pages")

    # Watch from a resource version: the change after it arrives.
    rv = listed.metadata.resource_version
    core.patch_namespaced_pod("p0", ns, {"metadata": {"labels": {"touched": "merge"}}}, _content_type=MERGE)
    w = watch.Watch()
    event, _ = wait_for(w, w.stream(core.list_namespaced_pod, ns, resource_version=rv, timeout_seconds=10),
                        lambda e: e["type"] == "MODIFIED" and e["object"].metadata.name == "p0"
                        and (e["object"].metadata.labels or {}).get("touched") == "merge")
    ok("watch from resourceVersion", f"MODIFIED p0 after {rv}")

    # A bookmark ends a watch that times out; its version is where to resume.
    w = watch.Watch()
    events = list(w.stream(core.list_namespaced_pod, ns, resource_version=rv, allow_watch_bookmarks=True,
                           timeout_seconds=1))
    # The client yields None for a blank line: the server's keep-alives must not be newlines.
    expect(None not in events, "a keep-alive line reached the client as a None event")
    expect(events and events[-1]["type"] == "BOOKMARK", f"bookmark: {[e['type'] for e in events]}")
    expect(int(w.resource_version) >= int(rv), "bookmark version")
    ok("bookmark", w.resource_version)

    # Too old a version: 410 Gone, surfaced as ApiException by the client's watch.
    w = watch.Watch()
    gone = api_error(lambda: list(w.stream(core.list_namespaced_pod, ns, resource_version="1", timeout_seconds=5)))
    expect(gone.status == 410, f"status {gone.status}")
    expect(gone.reason.startswith("Expired: too old resource version: 1 ("), f"reason {gone.reason}")
    ok("watch 410", gone.reason)

    # Patches of every kind.
    core.patch_namespaced_pod("p1", ns, {"metadata": {"labels": {"s": "strategic"}}}, _content_type=STRATEGIC)
    core.patch_namespaced_pod("p1", ns, [{"op": "add", "path": "/metadata/annotations", "value": {"j": "json"}}],
                              _content_type=JSON_PATCH)
    p1 = core.read_namespaced_pod("p1", ns)
    expect(p1.metadata.labels.get("s") == "strategic" and p1.metadata.annotations == {"j": "json"}, "pod patches")
    managers = sorted((m.manager, m.operation) for m in p1.metadata.managed_fields)
    expect(managers == [("OpenAPI-Generator", "Update")], f"managers {managers}")
    ok("patch pod", "merge, strategic, json; manager OpenAPI-Generator")

    # Deployments: create, strategic patch, server-side apply (with conflict and force), delete.
    apps.create_namespaced_deployment(ns, deployment(1))
    apps.patch_namespaced_deployment("web", ns, {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "image": "nginx:1.26"}]}}}}, _content_type=STRATEGIC)
    d = apps.read_namespaced_deployment("web", ns)
    expect(d.spec.template.spec.containers[0].image == "nginx:1.26", "strategic patch of a deployment")
    applied = apps.patch_namespaced_deployment("web", ns, deployment(3, "nginx:1.26"), field_manager="pyclient",
                                               force=True, _content_type=APPLY)
    expect(applied.spec.replicas == 3, "apply")
    entries = {(m.manager, m.operation) for m in applied.metadata.managed_fields}
    expect(("pyclient", "Apply") in entries, f"entries {entries}")
    conflict = api_error(lambda: apps.patch_namespaced_deployment(
        "web", ns, deployment(4, "nginx:1.26"), field_manager="other", _content_type=APPLY))
    expect(conflict.status == 409, f"status {conflict.status}")
    expect(status_message(conflict) == 'Apply failed with 1 conflict: conflict with "pyclient": .spec.replicas',
           status_message(conflict))
    ok("apply conflict", status_message(conflict))
    created = apps.patch_namespaced_deployment_with_http_info(
        "api", ns, dict(deployment(1), metadata={"name": "api"}), field_manager="pyclient", _content_type=APPLY)
    # This client version answers (data, status, headers) for *_with_http_info.
    code = created[1] if isinstance(created, tuple) else created.status_code
    expect(code == 201, f"apply create answered {code}")
    ok("apply create", "201")
    apps.delete_namespaced_deployment("web", ns)
    apps.delete_namespaced_deployment("api", ns)
    missing = api_error(lambda: apps.read_namespaced_deployment("web", ns))
    expect(missing.status == 404, f"after delete {missing.status}")
    for i in range(5):
        core.delete_namespaced_pod(f"p{i}", ns, grace_period_seconds=0)
    expect(core.list_namespaced_pod(ns, label_selector="app=direct").items == [], "pods deleted")
    ok("delete", "deployments and pods")


def custom_objects(ns, plural, kind):
    core, custom = client.CoreV1Api(), client.CustomObjectsApi()
    group, version = "networking.istio.io", "v1alpha3"
    core.create_namespace({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    # A VirtualService's spec; kinds without a schema keep whatever spec they are given.
    vs = {"apiVersion": f"{group}/{version}", "kind": kind, "metadata": {"name": "reviews"},
          "spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}}
    custom.create_namespaced_custom_object(group, version, ns, plural, vs)
    listed = custom.list_namespaced_custom_object(group, version, ns, plural)
    expect([o["metadata"]["name"] for o in listed["items"]] == ["reviews"], "list")
    ok("create and list", "reviews")
    rv = listed["metadata"]["resourceVersion"]
    custom.patch_namespaced_custom_object(group, version, ns, plural, "reviews",
                                          {"spec": {"hosts": ["reviews", "reviews.default.svc"]}}, _content_type=MERGE)
    w = watch.Watch()
    event, _ = wait_for(w, w.stream(custom.list_namespaced_custom_object, group, version, ns, plural,
                                    resource_version=rv, timeout_seconds=10),
                        lambda e: e["type"] == "MODIFIED")
    expect(event["object"]["spec"]["hosts"] == ["reviews", "reviews.default.svc"], "watched patch")
    ok("watch", "MODIFIED reviews")
    applied = custom.patch_namespaced_custom_object(group, version, ns, plural, "reviews",
                                                    dict(vs, spec=dict(vs["spec"], hosts=["reviews"])),
                                                    field_manager="pyclient", force=True, _content_type=APPLY)
    expect(applied["spec"]["hosts"] == ["reviews"], "apply replaces the atomic list")
    expect(any(m["manager"] == "pyclient" and m["operation"] == "Apply" for m in applied["metadata"]["managedFields"]),
           "apply entry")
    ok("apply", "hosts replaced")
    custom.delete_namespaced_custom_object(group, version, ns, plural, "reviews")
    gone = api_error(lambda: custom.get_namespaced_custom_object(group, version, ns, plural, "reviews"))
    expect(gone.status == 404, f"after delete {gone.status}")
    ok("delete", "reviews")


if __name__ == "__main__":
    config.load_kube_config(config_file=sys.argv[1])
    if sys.argv[2] == "builtins":
        builtins("pyclient")
    else:
        custom_objects("pyclient", sys.argv[3], sys.argv[4])
