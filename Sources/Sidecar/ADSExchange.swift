import Foundation
import XDSModel

/// Where one subscribed type stands on the proxy's side of the stream.
package struct SubscriptionStatus: Hashable, Sendable {
    /// The `version_info` last accepted (sent back in ACKs, NACKs and on reconnect).
    package internal(set) var acceptedVersion: ResourceVersion = .none
    /// The nonce of the last response received on the current stream (reset per stream).
    package internal(set) var lastNonce: Nonce = .none
    /// The resource names asked for; empty with `wildcard` for CDS.
    package internal(set) var resourceNames: [String] = []
    package internal(set) var wildcard = false
    /// Whether a request for this type was sent on the current stream.
    package internal(set) var requested = false
    /// The `error_detail` of the last NACK sent; cleared by the next accepted response.
    package internal(set) var lastNack: RPCStatus?
    package internal(set) var ackCount = 0
    package internal(set) var nackCount = 0
}

/// The proxy's half of state-of-the-world ADS as a pure state machine: takes the start of a stream
/// and each response, returns the requests to send. ACK and NACK are data.
///
/// Follows Envoy's `GrpcMuxImpl`: CDS is a wildcard subscription; the EDS request for the EDS
/// clusters a CDS response brings goes out before that response's ACK (Envoy warms clusters
/// first); LDS (wildcard) is asked once the first clusters are warm (their endpoints in, or no
/// EDS cluster), as Envoy's server starts its listener manager after CDS's initial fetch; the RDS
/// request for the route names the accepted listeners' HTTP connection managers name goes out
/// before the LDS ACK, as Envoy's RDS subscriptions start while the listeners warm; every ACK or NACK repeats the full name list with the last nonce received; a NACK
/// carries the last *accepted* version; the node goes on the first request of each stream
/// (`set_node_on_first_message_only`, as Istio's bootstrap sets it). On a new stream the proxy
/// re-requests every type it holds, with the versions it holds, and no nonce.
struct ADSExchange: Sendable {
    let node: Node
    private(set) var config = ProxyConfig()
    private(set) var cds = SubscriptionStatus()
    private(set) var eds = SubscriptionStatus()
    private(set) var lds = SubscriptionStatus()
    private(set) var rds = SubscriptionStatus()
    private var nodeSent = false

    init(node: Node) { self.node = node }

    /// A new stream opened: the first requests to send on it.
    mutating func streamStarted() -> [DiscoveryRequest] {
        nodeSent = false
        cds.lastNonce = .none
        eds.lastNonce = .none
        lds.lastNonce = .none
        rds.lastNonce = .none
        cds.requested = false
        eds.requested = false
        let listenersWanted = lds.requested
        lds.requested = false
        rds.requested = false
        var out = [request(.cluster)]
        // Resync: ask again for the endpoints already held, so they are refreshed straight away.
        if !config.edsNames.isEmpty { out.append(request(.endpoint, names: config.edsNames)) }
        if listenersWanted {
            out.append(request(.listener))
            if !config.rdsNames.isEmpty { out.append(request(.route, names: config.rdsNames)) }
        }
        return out
    }

    /// A response arrived: decide ACK or NACK, update the held config, and return what to send.
    mutating func receive(_ response: DiscoveryResponse, at now: Date) -> [DiscoveryRequest] {
        switch response.typeURL {
        case .cluster:
            cds.lastNonce = response.nonce
            switch ResourceValidation.clusters(response) {
            case .failure(let rejection):
                return [nack(.cluster, rejection)]
            case .success(let clusters):
                config.acceptClusters(clusters, version: response.versionInfo, at: now)
                cds.acceptedVersion = response.versionInfo
                cds.lastNack = nil
                cds.ackCount += 1
                var out: [DiscoveryRequest] = []
                let names = config.edsNames
                if names != eds.resourceNames && (eds.requested || !names.isEmpty) {
                    out.append(request(.endpoint, names: names))
                }
                out.append(request(.cluster))
                // No cluster waits for endpoints: the initial fetch is done.
                if names.isEmpty && !lds.requested { out.append(request(.listener)) }
                return out
            }
        case .endpoint:
            eds.lastNonce = response.nonce
            switch ResourceValidation.assignments(response) {
            case .failure(let rejection):
                return [nack(.endpoint, rejection)]
            case .success(let assignments):
                config.acceptAssignments(assignments, version: response.versionInfo, at: now)
                eds.acceptedVersion = response.versionInfo
                eds.lastNack = nil
                eds.ackCount += 1
                var out = [request(.endpoint, names: config.edsNames)]
                if !lds.requested { out.append(request(.listener)) }
                return out
            }
        case .listener where lds.requested:
            lds.lastNonce = response.nonce
            switch ResourceValidation.listeners(response) {
            case .failure(let rejection):
                return [nack(.listener, rejection)]
            case .success(let listeners):
                config.acceptListeners(listeners, version: response.versionInfo, at: now)
                lds.acceptedVersion = response.versionInfo
                lds.lastNack = nil
                lds.ackCount += 1
                var out: [DiscoveryRequest] = []
                let names = config.rdsNames
                if names != rds.resourceNames && (rds.requested || !names.isEmpty) {
                    out.append(request(.route, names: names))
                }
                out.append(request(.listener))
                return out
            }
        case .route where rds.requested:
            rds.lastNonce = response.nonce
            switch ResourceValidation.routes(response) {
            case .failure(let rejection):
                return [nack(.route, rejection)]
            case .success(let routes):
                config.acceptRoutes(routes, version: response.versionInfo, at: now)
                rds.acceptedVersion = response.versionInfo
                rds.lastNack = nil
                rds.ackCount += 1
                return [request(.route, names: config.rdsNames)]
            }
        default:
            // Envoy ignores responses for types nobody watches ("Ignoring unwatched type URL").
            return []
        }
    }

    func status(of type: TypeURL) -> SubscriptionStatus {
        switch type {
        case .endpoint: eds
        case .listener: lds
        case .route: rds
        default: cds
        }
    }

    /// The status of `type`, to change in place.
    private mutating func withStatus<R>(_ type: TypeURL, _ body: (inout SubscriptionStatus) -> R) -> R {
        switch type {
        case .endpoint: body(&eds)
        case .listener: body(&lds)
        case .route: body(&rds)
        default: body(&cds)
        }
    }

    // MARK: Building requests

    /// An ACK or a (re)subscription: the accepted version, the last nonce, the full name list.
    private mutating func request(_ type: TypeURL, names: [String] = []) -> DiscoveryRequest {
        withStatus(type) { s in
            // CDS and LDS are wildcard subscriptions; EDS and RDS go by name.
            if type == .cluster || type == .listener { s.wildcard = true } else { s.resourceNames = names }
            s.requested = true
        }
        let status = self.status(of: type)
        return DiscoveryRequest(
            versionInfo: status.acceptedVersion, node: takeNode(), resourceNames: names, typeURL: type,
            responseNonce: status.lastNonce)
    }

    private mutating func nack(_ type: TypeURL, _ rejection: ResourceValidation.Rejection) -> DiscoveryRequest {
        let status = rejection.status
        let names = withStatus(type) { s in
            s.lastNack = status
            s.nackCount += 1
            return s.resourceNames
        }
        var request = request(type, names: names)
        request.errorDetail = status
        return request
    }

    private mutating func takeNode() -> Node? {
        defer { nodeSent = true }
        return nodeSent ? nil : node
    }
}
