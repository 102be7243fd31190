/// The discovery envelopes of `envoy.service.discovery.v3`, as plain values. Resources travel
/// inside them already encoded (`EncodedResource`), so a resource is serialised once per version and
/// its bytes are shared by every response that carries it.

/// One resource, serialised once: the `Any` it travels in is `typeURL` + `bytes`.
package struct EncodedResource: Hashable, Sendable {
    package var name: String
    package var version: ResourceVersion
    package var typeURL: TypeURL
    /// The serialised resource message (the `Any.value`).
    package var bytes: [UInt8]
    package init(name: String, version: ResourceVersion, typeURL: TypeURL, bytes: [UInt8]) {
        self.name = name
        self.version = version
        self.typeURL = typeURL
        self.bytes = bytes
    }
}

/// `google.protobuf.Any`.
public struct AnyMessage: Hashable, Sendable {
    package var typeURL: String
    public var value: [UInt8]
    public init(typeURL: String, value: [UInt8]) {
        self.typeURL = typeURL
        self.value = value
    }
}

/// `envoy.service.discovery.v3.DiscoveryRequest`.
public struct DiscoveryRequest: Hashable, Sendable {
    package var versionInfo: ResourceVersion
    package var node: Node?
    package var resourceNames: [String]
    package var typeURL: TypeURL
    package var responseNonce: Nonce
    package var errorDetail: RPCStatus?
    public init(
        versionInfo: ResourceVersion = .none, node: Node? = nil, resourceNames: [String] = [],
        typeURL: TypeURL, responseNonce: Nonce = .none, errorDetail: RPCStatus? = nil
    ) {
        self.versionInfo = versionInfo
        self.node = node
        self.resourceNames = resourceNames
        self.typeURL = typeURL
        self.responseNonce = responseNonce
        self.errorDetail = errorDetail
    }
}

/// `envoy.service.discovery.v3.DiscoveryResponse`.
public struct DiscoveryResponse: Hashable, Sendable {
    package var versionInfo: ResourceVersion
    public var resources: [AnyMessage]
    package var typeURL: TypeURL
    package var nonce: Nonce
    /// `control_plane.identifier` (istiod puts its pod name and version there).
    package var controlPlaneIdentifier: String
    public init(
        versionInfo: ResourceVersion, resources: [AnyMessage], typeURL: TypeURL, nonce: Nonce,
        controlPlaneIdentifier: String = ""
    ) {
        self.versionInfo = versionInfo
        self.resources = resources
        self.typeURL = typeURL
        self.nonce = nonce
        self.controlPlaneIdentifier = controlPlaneIdentifier
    }
}

/// `envoy.service.discovery.v3.DeltaDiscoveryRequest`.
package struct DeltaDiscoveryRequest: Hashable, Sendable {
    package var node: Node?
    package var typeURL: TypeURL
    package var resourceNamesSubscribe: [String]
    package var resourceNamesUnsubscribe: [String]
    package var initialResourceVersions: [String: String]
    package var responseNonce: Nonce
    package var errorDetail: RPCStatus?
    package init(
        node: Node? = nil, typeURL: TypeURL, resourceNamesSubscribe: [String] = [],
        resourceNamesUnsubscribe: [String] = [], initialResourceVersions: [String: String] = [:],
        responseNonce: Nonce = .none, errorDetail: RPCStatus? = nil
    ) {
        self.node = node
        self.typeURL = typeURL
        self.resourceNamesSubscribe = resourceNamesSubscribe
        self.resourceNamesUnsubscribe = resourceNamesUnsubscribe
        self.initialResourceVersions = initialResourceVersions
        self.responseNonce = responseNonce
        self.errorDetail = errorDetail
    }
}

/// `envoy.service.discovery.v3.Resource`, as carried by delta responses.
package struct DeltaResource: Hashable, Sendable {
    package var name: String
    package var version: ResourceVersion
    package var resource: AnyMessage?
    package init(name: String, version: ResourceVersion, resource: AnyMessage?) {
        self.name = name
        self.version = version
        self.resource = resource
    }
}

/// `envoy.service.discovery.v3.DeltaDiscoveryResponse`.
public struct DeltaDiscoveryResponse: Hashable, Sendable {
    package var systemVersionInfo: String
    package var resources: [DeltaResource]
    package var typeURL: TypeURL
    package var removedResources: [String]
    package var nonce: Nonce
    package init(
        systemVersionInfo: String = "", resources: [DeltaResource], typeURL: TypeURL,
        removedResources: [String] = [], nonce: Nonce
    ) {
        self.systemVersionInfo = systemVersionInfo
        self.resources = resources
        self.typeURL = typeURL
        self.removedResources = removedResources
        self.nonce = nonce
    }
}
