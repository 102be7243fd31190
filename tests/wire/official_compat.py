#!/usr/bin/env python3
"""Wire compatibility between XDSWire (protobuf-c) and the official Envoy protos (xds-protos).

Driven by Tests/XDSWireTests/OfficialCompatibilityTests.swift:
    python official_compat.py --ours ours.json --out official.json
`ours.json` is {"cases": {name: hex}}: XDSWire's encodings of the shared fixtures below (the Swift
test builds the same fixtures by name). For each one this script
  * parses our bytes with the official class and checks the fields equal the fixture,
  * checks our bytes are identical to the official deterministic serialisation,
and for every fixture it writes the official bytes to `official.json` ({"cases": {name: hex}}) for
the Swift side to decode and compare. It also checks that our encodings exercise every message
declared in protos/ (so a message cannot be added there without a compatibility case).
Exit status 1 with one line per problem on stderr.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from google.protobuf import any_pb2, descriptor_pb2, duration_pb2, struct_pb2, text_format, wrappers_pb2
from google.protobuf import symbol_database
from google.rpc import status_pb2
from envoy.config.cluster.v3 import cluster_pb2
from envoy.config.core.v3 import address_pb2, base_pb2, config_source_pb2, health_check_pb2, protocol_pb2
from envoy.config.endpoint.v3 import endpoint_pb2, endpoint_components_pb2
from envoy.extensions.upstreams.http.v3 import http_protocol_options_pb2
from envoy.config.listener.v3 import listener_pb2, listener_components_pb2
from envoy.config.route.v3 import route_pb2, route_components_pb2
from envoy.extensions.filters.http.router.v3 import router_pb2
from envoy.extensions.filters.listener.original_dst.v3 import original_dst_pb2
from envoy.extensions.filters.network.http_connection_manager.v3 import http_connection_manager_pb2 as hcm_pb2
from envoy.extensions.filters.network.tcp_proxy.v3 import tcp_proxy_pb2
from envoy.service.discovery.v3 import discovery_pb2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTOS = os.path.join(ROOT, "protos")

# ---- The shared fixtures. Keep in step with WireFixtures.swift (same names, same values). ----

def pack(message):
    a = any_pb2.Any()
    a.Pack(message, deterministic=True)
    return a


def metadata():
    s = struct_pb2.Struct()
    s.update({
        "ISTIO_VERSION": "1.24.0",
        "NAMESPACE": "default",
        "LABELS": {"app": "reviews", "version": "v1"},
        "CONCURRENCY": 2.5,
        "ENABLED": True,
        "LIST": ["a", 1.0, False],
    })
    s.fields["NOTHING"].null_value = struct_pb2.NULL_VALUE
    return s


def node():
    return base_pb2.Node(
        id="sidecar~10.0.0.1~reviews-v1-abc.default~default.svc.cluster.local",
        cluster="reviews.default",
        metadata=metadata(),
        locality=base_pb2.Locality(region="us-east1", zone="us-east1-b", sub_zone="rack-7"),
        user_agent_name="envoy",
    )


def node_with_upstream_fields():
    n = node()
    n.user_agent_version = "1.40.0"
    n.client_features.append("envoy.lb.does_not_support_overprovisioning")
    n.dynamic_parameters["x"].params["a"] = "b"
    return n


def status():
    return status_pb2.Status(code=13, message="internal: ünïcode ✓")


def address(ip, port):
    return address_pb2.Address(socket_address=address_pb2.SocketAddress(address=ip, port_value=port))


def lb_endpoint(ip, port, hostname="", health=0, weight=None):
    e = endpoint_components_pb2.LbEndpoint(
        endpoint=endpoint_components_pb2.Endpoint(address=address(ip, port), hostname=hostname),
        health_status=health)
    if weight is not None:
        e.load_balancing_weight.value = weight
    return e


def cla_full():
    first = endpoint_components_pb2.LocalityLbEndpoints(
        locality=base_pb2.Locality(region="us-east1", zone="us-east1-b"),
        lb_endpoints=[
            lb_endpoint("10.0.0.1", 9080, "reviews-v1-abc.default", health_check_pb2.HEALTHY, 5),
            lb_endpoint("10.0.0.2", 9080, health=health_check_pb2.DRAINING),
        ],
        priority=0)
    first.load_balancing_weight.value = 10
    second = endpoint_components_pb2.LocalityLbEndpoints(
        lb_endpoints=[lb_endpoint("10.0.1.1", 0)], priority=1)
    return endpoint_pb2.ClusterLoadAssignment(
        cluster_name="outbound|9080||reviews.default.svc.cluster.local", endpoints=[first, second])


def cla_empty():
    return endpoint_pb2.ClusterLoadAssignment(cluster_name="outbound|80||empty.default.svc.cluster.local")


def cluster_eds():
    name = "outbound|9080||reviews.default.svc.cluster.local"
    return cluster_pb2.Cluster(
        name=name,
        type=cluster_pb2.Cluster.EDS,
        eds_cluster_config=cluster_pb2.Cluster.EdsClusterConfig(
            eds_config=config_source_pb2.ConfigSource(
                ads=config_source_pb2.AggregatedConfigSource(),
                resource_api_version=config_source_pb2.V3),
            service_name=name),
        connect_timeout=duration_pb2.Duration(seconds=10),
        lb_policy=cluster_pb2.Cluster.LEAST_REQUEST)


def cluster_static_xds_grpc():
    c = cluster_pb2.Cluster(
        name="xds-grpc",
        type=cluster_pb2.Cluster.STATIC,
        connect_timeout=duration_pb2.Duration(seconds=1, nanos=500_000_000),
        lb_policy=cluster_pb2.Cluster.ROUND_ROBIN,
        load_assignment=endpoint_pb2.ClusterLoadAssignment(
            cluster_name="xds-grpc",
            endpoints=[endpoint_components_pb2.LocalityLbEndpoints(lb_endpoints=[
                lb_endpoint("127.0.0.1", 15012, "istiod-canary.istio-system.svc")])]))
    options = http_protocol_options_pb2.HttpProtocolOptions(
        explicit_http_config=http_protocol_options_pb2.HttpProtocolOptions.ExplicitHttpConfig(
            http2_protocol_options=protocol_pb2.Http2ProtocolOptions()))
    c.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].Pack(
        options, deterministic=True)
    return c


def cluster_with_upstream_fields():
    c = cluster_eds()
    c.alt_stat_name = "reviews"
    c.per_connection_buffer_limit_bytes.value = 32768
    c.circuit_breakers.thresholds.add().max_connections.value = 1024
    c.metadata.filter_metadata["istio"].update({"services": [{"name": "reviews"}]})
    return c


CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"


def discovery_request_full():
    return discovery_pb2.DiscoveryRequest(
        version_info="2026-11-28T12:00:00Z/7", node=node(),
        resource_names=["outbound|9080||reviews.default.svc.cluster.local", "xds-grpc"],
        type_url=ENDPOINT, response_nonce="nonce-6", error_detail=status())


def discovery_request_with_upstream_fields():
    r = discovery_request_full()
    r.node.CopyFrom(node_with_upstream_fields())
    r.resource_locators.add().name = "xdstp://example/envoy.config.cluster.v3.Cluster/a"
    return r


def discovery_response_cds():
    return discovery_pb2.DiscoveryResponse(
        version_info="2026-11-28T12:00:00Z/7",
        resources=[pack(cluster_eds()), pack(cluster_static_xds_grpc())],
        type_url=CLUSTER, nonce="nonce-7",
        control_plane=base_pb2.ControlPlane(
            identifier='{"Component":"istiod","ID":"istiod-canary-5d9f","Info":{"version":"1.24.0"}}'))


def discovery_response_eds():
    return discovery_pb2.DiscoveryResponse(
        version_info="v2", resources=[pack(cla_full()), pack(cla_empty())], type_url=ENDPOINT, nonce="n2")


def delta_request():
    r = discovery_pb2.DeltaDiscoveryRequest(
        node=base_pb2.Node(id="sidecar~10.0.0.2~ratings-v1-xyz.default~default.svc.cluster.local"),
        type_url=CLUSTER,
        resource_names_subscribe=["a", "b"], resource_names_unsubscribe=["c"],
        response_nonce="d-1", error_detail=status_pb2.Status(code=3, message="rejected"))
    r.initial_resource_versions["a"] = "1"
    r.initial_resource_versions["b"] = "2"
    return r


def delta_response():
    return discovery_pb2.DeltaDiscoveryResponse(
        system_version_info="sys-9",
        resources=[
            discovery_pb2.Resource(name="outbound|9080||reviews.default.svc.cluster.local", version="v3",
                                   resource=pack(cla_full())),
            discovery_pb2.Resource(name="no-payload", version="v4"),
        ],
        type_url=ENDPOINT, removed_resources=["gone-1", "gone-2"], nonce="d-2")


def value_list():
    v = struct_pb2.Value()
    v.list_value.extend(["x", 2.0, True])
    v.list_value.values.add().struct_value.update({"k": "v"})
    v.list_value.values.add().null_value = struct_pb2.NULL_VALUE
    return v


# name -> (builder, official_only). official_only: a message with upstream fields XDSWire does not
# model; only the official -> ours direction applies (ours must ignore the unknown fields).
def inline_route():
    return route_pb2.RouteConfiguration(
        name="inbound|9080||",
        virtual_hosts=[route_components_pb2.VirtualHost(
            name="inbound|http|9080", domains=["*"],
            routes=[route_components_pb2.Route(
                name="default", match=route_components_pb2.RouteMatch(prefix="/"),
                route=route_components_pb2.RouteAction(cluster="inbound|9080||", timeout=duration_pb2.Duration(seconds=0)),
                decorator=route_components_pb2.Decorator(operation="details.default.svc.cluster.local:9080/*"))])],
        validate_clusters=wrappers_pb2.BoolValue(value=False))


def hcm(**fields):
    router = hcm_pb2.HttpFilter(name="envoy.filters.http.router", typed_config=pack(router_pb2.Router()))
    return listener_components_pb2.Filter(
        name="envoy.filters.network.http_connection_manager",
        typed_config=pack(hcm_pb2.HttpConnectionManager(http_filters=[router], **fields)))


def listener_full():
    ads = config_source_pb2.ConfigSource(
        ads=config_source_pb2.AggregatedConfigSource(), resource_api_version=config_source_pb2.V3)
    passthrough = listener_components_pb2.Filter(
        name="envoy.filters.network.tcp_proxy",
        typed_config=pack(tcp_proxy_pb2.TcpProxy(stat_prefix="PassthroughCluster", cluster="PassthroughCluster")))
    return listener_pb2.Listener(
        name="virtualInbound", address=address("0.0.0.0", 15006),
        filter_chains=[
            listener_components_pb2.FilterChain(
                name="0.0.0.0_9080",
                filter_chain_match=listener_components_pb2.FilterChainMatch(
                    destination_port=wrappers_pb2.UInt32Value(value=9080),
                    prefix_ranges=[address_pb2.CidrRange(address_prefix="0.0.0.0", prefix_len=wrappers_pb2.UInt32Value(value=0))],
                    transport_protocol="raw_buffer", application_protocols=["http/1.1", "h2c"]),
                filters=[hcm(stat_prefix="inbound_0.0.0.0_9080", route_config=inline_route())]),
            listener_components_pb2.FilterChain(
                filter_chain_match=listener_components_pb2.FilterChainMatch(transport_protocol="raw_buffer"),
                filters=[hcm(stat_prefix="outbound_0.0.0.0_9080",
                             rds=hcm_pb2.Rds(config_source=ads, route_config_name="9080"))]),
        ],
        default_filter_chain=listener_components_pb2.FilterChain(name="PassthroughFilterChain", filters=[passthrough]),
        listener_filters=[listener_components_pb2.ListenerFilter(
            name="envoy.filters.listener.original_dst", typed_config=pack(original_dst_pb2.OriginalDst()))],
        use_original_dst=wrappers_pb2.BoolValue(value=True), bind_to_port=wrappers_pb2.BoolValue(value=False),
        traffic_direction=base_pb2.INBOUND)


def route_configuration():
    return route_pb2.RouteConfiguration(
        name="9080",
        virtual_hosts=[
            route_components_pb2.VirtualHost(
                name="details.default.svc.cluster.local:9080", domains=["details.default.svc.cluster.local", "details"],
                routes=[route_components_pb2.Route(
                    name="exact", match=route_components_pb2.RouteMatch(path="/health"),
                    route=route_components_pb2.RouteAction(cluster="outbound|9080||details.default.svc.cluster.local"))]),
            route_components_pb2.VirtualHost(name="blackhole:8080", domains=["*"]),
        ])


CASES = {
    "node": (node, False),
    "discovery_request_full": (discovery_request_full, False),
    "discovery_request_minimal": (lambda: discovery_pb2.DiscoveryRequest(type_url=CLUSTER), False),
    "discovery_response_cds": (discovery_response_cds, False),
    "discovery_response_eds": (discovery_response_eds, False),
    "delta_request": (delta_request, False),
    "delta_response": (delta_response, False),
    "cluster_eds": (cluster_eds, False),
    "cluster_static_xds_grpc": (cluster_static_xds_grpc, False),
    "cla_full": (cla_full, False),
    "cla_empty": (cla_empty, False),
    "any_cluster": (lambda: pack(cluster_eds()), False),
    "duration": (lambda: duration_pb2.Duration(seconds=5, nanos=250_000_000), False),
    "duration_negative": (lambda: duration_pb2.Duration(seconds=-3, nanos=-1), False),
    "uint32_value": (lambda: wrappers_pb2.UInt32Value(value=4294967295), False),
    "struct": (metadata, False),
    "value_list": (value_list, False),
    "status": (status, False),
    "listener_full": (listener_full, False),
    "route_configuration": (route_configuration, False),
    "cluster_with_upstream_fields": (cluster_with_upstream_fields, True),
    "discovery_request_with_upstream_fields": (discovery_request_with_upstream_fields, True),
}

# ---- Checks. ----

def our_message_names():
    """Every message full name declared in protos/ (nested and map entries included)."""
    files = sorted(os.path.relpath(os.path.join(d, f), PROTOS)
                   for d, _, fs in os.walk(PROTOS) for f in fs if f.endswith(".proto"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        subprocess.run(["protoc", "-I" + PROTOS, "-I/usr/include", "--descriptor_set_out=" + out] + files,
                       check=True)
        fds = descriptor_pb2.FileDescriptorSet.FromString(open(out, "rb").read())
    names = set()

    def walk(prefix, messages):
        for m in messages:
            names.add(prefix + m.name)
            walk(prefix + m.name + ".", m.nested_type)
    for f in fds.file:
        walk(f.package + ".", f.message_type)
    return names


def covered_messages(message, seen):
    """Full names of every message present in `message`, looking inside Any and maps."""
    d = message.DESCRIPTOR
    seen.add(d.full_name)
    if d.full_name == "google.protobuf.Any" and message.type_url:
        inner = symbol_database.Default().GetSymbol(message.type_url.split("/", 1)[1])()
        message.Unpack(inner)
        covered_messages(inner, seen)
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            seen.add(field.message_type.full_name)
            value_field = field.message_type.fields_by_name["value"]
            if value_field.message_type is not None:
                for v in value.values():
                    covered_messages(v, seen)
        elif field.is_repeated:
            for v in value:
                covered_messages(v, seen)
        else:
            covered_messages(value, seen)
    return seen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ours", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    ours = json.load(open(args.ours))["cases"]
    problems = []
    official = {}
    seen = set()
    for name, (build, official_only) in CASES.items():
        expected = build()
        expected_bytes = expected.SerializeToString(deterministic=True)
        official[name] = expected_bytes.hex()
        if official_only:
            if name in ours:
                problems.append(f"{name}: official-only case was also encoded by XDSWire")
            continue
        if name not in ours:
            problems.append(f"{name}: XDSWire sent no encoding for this case")
            continue
        data = bytes.fromhex(ours[name])
        try:
            parsed = type(expected).FromString(data)
        except Exception as e:  # the official parser rejected our bytes
            problems.append(f"{name}: official {type(expected).DESCRIPTOR.full_name} cannot parse ours: {e}")
            continue
        if parsed != expected:
            problems.append(f"{name}: fields differ\n--- ours\n{text_format.MessageToString(parsed)}"
                            f"--- expected\n{text_format.MessageToString(expected)}")
        elif data != expected_bytes:
            problems.append(f"{name}: same fields but bytes differ from the official deterministic "
                            f"serialisation\n ours     {data.hex()}\n official {expected_bytes.hex()}")
        covered_messages(parsed, seen)
    for name in sorted(set(ours) - set(CASES)):
        problems.append(f"{name}: XDSWire case has no official twin in official_compat.py")
    for name in sorted(our_message_names() - seen):
        problems.append(f"{name}: declared in protos/ but no compatibility case encodes it")
    json.dump({"cases": official}, open(args.out, "w"), indent=1, sort_keys=True)
    for p in problems:
        print("PROBLEM", p, file=sys.stderr)
    print(f"official_compat: {len(CASES)} cases, {len(seen)} message types covered, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
