internal import CXDSProto

/// The gRPC method paths of `envoy.service.discovery.v3.AggregatedDiscoveryService`, read from the
/// service descriptor generated from protos/…/ads.proto (itself checked against the official
/// descriptors), so the transport never spells them by hand.
public enum AggregatedDiscoveryService {
    /// `/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources`:
    /// state-of-the-world ADS (DiscoveryRequest / DiscoveryResponse streams).
    public static let streamAggregatedResourcesPath = path(of: "StreamAggregatedResources")

    /// `/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources`:
    /// incremental ADS (DeltaDiscoveryRequest / DeltaDiscoveryResponse streams).
    package static let deltaAggregatedResourcesPath = path(of: "DeltaAggregatedResources")

    private static func path(of method: String) -> String {
        let service = discovery__aggregated_discovery_service__descriptor
        let methods = UnsafeBufferPointer(start: service.methods, count: Int(service.n_methods))
        guard methods.contains(where: { String(cString: $0.name) == method }) else {
            preconditionFailure("ads.proto lost its \(method) method")  // a broken build, not input
        }
        return "/\(String(cString: service.name))/\(method)"
    }
}
