/// The discovery envelopes of `envoy.service.discovery.v3`, as plain values. Resources travel
/// inside them already encoded (`EncodedResource`), so a resource is serialised once per version and
/// its bytes are shared by every response that carries it.

/// One resource, serialised once: the `Any` it travels in is `typeURL` + `bytes`.
public struct EncodedResource: Hashable, Sendable {
    public var name: String
    public var version: ResourceVersion
    public var typeURL: TypeURL
    /// The serialised resource message (the `Any.value`).
    public var bytes: [UInt8]
    public init(name: String, version: ResourceVersion, typeURL: TypeURL, bytes: [UInt8]) {
        self.name = name
        self.version = version
        self.typeURL = typeURL
        self.bytes = bytes
    }
}

/// `google.protobuf.Any`.
public struct AnyMessage: Hashable, Sendable {
    public var typeURL: String
    public var value: [UInt8]
    public init(typeURL: String, value: [UInt8]) {
        self.typeURL = typeURL
        self.value = value
    }
}

/// `envoy.service.discovery.v3.DiscoveryRequest`.
public struct DiscoveryRequest: Hashable, Sendable {
    public var versionInfo: ResourceVersion
    public var node: Node?
    public var resourceNames: [String]
    public var typeURL: TypeURL
    public var responseNonce: Nonce
    public var errorDetail: RPCStatus?
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
    public var versionInfo: ResourceVersion
    public var resources: [AnyMessage]
    public var typeURL: TypeURL
    public var nonce: Nonce
    /// `control_plane.identifier` (istiod puts its pod name and version there).
    public var controlPlaneIdentifier: String
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
public struct DeltaDiscoveryRequest: Hashable, Sendable {
    public var node: Node?
    public var typeURL: TypeURL
    public var resourceNamesSubscribe: [String]
    public var resourceNamesUnsubscribe: [String]
    public var initialResourceVersions: [String: String]
    public var responseNonce: Nonce
    public var errorDetail: RPCStatus?
    public init(
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
public struct DeltaResource: Hashable, Sendable {
    public var name: String
    public var version: ResourceVersion
    public var resource: AnyMessage?
    public init(name: String, version: ResourceVersion, resource: AnyMessage?) {
        self.name = name
        self.version = version
        self.resource = resource
    }
}

/// `envoy.service.discovery.v3.DeltaDiscoveryResponse`.
public struct DeltaDiscoveryResponse: Hashable, Sendable {
    public var systemVersionInfo: String
    public var resources: [DeltaResource]
    public var typeURL: TypeURL
    public var removedResources: [String]
    public var nonce: Nonce
    public init(
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
