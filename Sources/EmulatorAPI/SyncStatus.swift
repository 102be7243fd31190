/// One live istiod's `/debug/syncz` as `GET /xdsemu/v1/syncz` lists it: what its xDS server
/// knows about each connected proxy. istioctl reads it where a real one would exec
/// `pilot-discovery request GET /debug/syncz` in the istiod pod.
package struct Syncz: EmulatorListItem, Hashable {
    package static let listKind = "SyncStatusList"
    package static let path = "/xdsemu/v1/syncz"

    /// The istiod pod.
    package var istiod: String
    package var revision: String
    package var version: String
    package var proxies: [SyncStatus]

    package init(istiod: String, revision: String, version: String, proxies: [SyncStatus]) {
        self.istiod = istiod
        self.revision = revision
        self.version = version
        self.proxies = proxies
    }
}

/// What one istiod's syncz says about one proxy: `SyncStatus` in Istio 1.6's
/// `pilot/pkg/proxy/envoy/v2/debug.go`, with its flat keys (`proxy`, `istio_version`,
/// `cluster_sent`, `cluster_acked`, `cluster_nack`, … for each type).
package struct SyncStatus: Codable, Sendable, Hashable {
    /// The xDS types syncz reports, by the prefix of their keys.
    package enum XDSType: String, CaseIterable, Sendable {
        case cluster, listener, route, endpoint
    }

    /// The last nonce sent and acknowledged for one type ("" for none), and the last NACK's message.
    package struct Nonces: Sendable, Hashable {
        package var sent: String
        package var acked: String
        package var nack: String?

        package init(sent: String = "", acked: String = "", nack: String? = nil) {
            self.sent = sent
            self.acked = acked
            self.nack = nack
        }
    }

    /// The proxy's id (`details-v1-x.default`).
    package var proxy: String
    /// `ISTIO_VERSION` from the proxy's node metadata.
    package var istioVersion: String
    /// Every type is present on the wire; a missing one here reads as never sent.
    package var nonces: [XDSType: Nonces]

    package init(proxy: String, istioVersion: String, nonces: [XDSType: Nonces] = [:]) {
        self.proxy = proxy
        self.istioVersion = istioVersion
        self.nonces = nonces
    }

    package subscript(type: XDSType) -> Nonces { nonces[type] ?? Nonces() }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        proxy = try c.decode(String.self, forKey: Key("proxy"))
        istioVersion = try c.decode(String.self, forKey: Key("istio_version"))
        nonces = [:]
        for type in XDSType.allCases {
            nonces[type] = Nonces(
                sent: try c.decode(String.self, forKey: Key("\(type.rawValue)_sent")),
                acked: try c.decode(String.self, forKey: Key("\(type.rawValue)_acked")),
                nack: try c.decodeIfPresent(String.self, forKey: Key("\(type.rawValue)_nack")))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(proxy, forKey: Key("proxy"))
        try c.encode(istioVersion, forKey: Key("istio_version"))
        for type in XDSType.allCases {
            let n = self[type]
            try c.encode(n.sent, forKey: Key("\(type.rawValue)_sent"))
            try c.encode(n.acked, forKey: Key("\(type.rawValue)_acked"))
            try c.encodeIfPresent(n.nack, forKey: Key("\(type.rawValue)_nack"))
        }
    }
}
