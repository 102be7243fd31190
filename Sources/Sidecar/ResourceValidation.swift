import XDSModel
import XDSWire

/// What the simulated proxy refuses, and the `error_detail` message it NACKs with. The rules and
/// the wording are Envoy 1.40's, checked by feeding a real Envoy the same responses
/// (`grpc_subscription_impl.cc` "gRPC config for … rejected"):
///
/// - a cluster with an empty name: `Proto constraint validation failed (ClusterValidationError.Name: …)`;
/// - `connect_timeout` zero: `… (ClusterValidationError.ConnectTimeout: value must be greater than 0s)`;
///   negative: `Invalid duration: Expected positive duration`;
/// - two clusters with one name: `duplicate cluster NAME found`;
/// - ORIGINAL_DST without CLUSTER_PROVIDED (and CLUSTER_PROVIDED elsewhere): Envoy's LB-policy message;
/// - an assignment with an empty `cluster_name`;
/// - a resource that does not decode, or whose `Any` holds another type.
///
/// Envoy also refuses an EDS cluster without `eds_cluster_config` ("cannot create an EDS cluster
/// without an EDS config"), but `XDSModel.Cluster` always carries an ADS EDS config for EDS
/// clusters, so that case cannot reach this proxy.
///
/// One difference from Envoy, on purpose: a response with one bad cluster is rejected whole, so
/// the proxy keeps exactly the last accepted state and version. Envoy applies the good clusters of a
/// partly bad CDS response (while still NACKing it with the old version).
enum ResourceValidation {
    /// The gRPC code Envoy puts in `error_detail` (GrpcMuxImpl: `Grpc::Status::Internal`).
    static let nackCode: Int32 = 13

    /// Decodes and checks a CDS response. Returns the clusters, or the NACK message.
    static func clusters(_ response: DiscoveryResponse) -> Result<[Cluster], Rejection> {
        var clusters: [Cluster] = []
        var seen: Set<String> = []
        var failures: [(name: String, message: String)] = []
        for any in response.resources {
            let cluster: Cluster
            do { cluster = try any.unpack(Cluster.self) } catch { return .failure(Rejection(error.message)) }
            if cluster.name.isEmpty {
                return .failure(Rejection(
                    "Proto constraint validation failed (ClusterValidationError.Name: value length must be at least 1 characters)"))
            }
            if let timeout = cluster.connectTimeout {
                if timeout.seconds < 0 || (timeout.seconds == 0 && timeout.nanos < 0) {
                    return .failure(Rejection("Invalid duration: Expected positive duration: seconds: \(timeout.seconds)"))
                }
                if timeout.seconds == 0 && timeout.nanos == 0 {
                    return .failure(Rejection(
                        "\(cluster.name): Proto constraint validation failed (ClusterValidationError.ConnectTimeout: value must be greater than 0s)"))
                }
            }
            // Per-cluster errors are collected and reported together, as Envoy's CDS does.
            if !seen.insert(cluster.name).inserted {
                failures.append((cluster.name, "duplicate cluster \(cluster.name) found"))
            } else if let message = lbPolicyError(cluster) {
                failures.append((cluster.name, message))
            }
            clusters.append(cluster)
        }
        guard failures.isEmpty else {
            let names = failures.map(\.name).joined(separator: ",")
            let messages = failures.map(\.message).joined(separator: ",")
            return .failure(Rejection("Error adding/updating cluster(s) \(names): \(messages)"))
        }
        return .success(clusters)
    }

    /// Envoy's `ClusterImplBase` check of the LB policy against the discovery type.
    private static func lbPolicyError(_ cluster: Cluster) -> String? {
        switch (cluster.type, cluster.lbPolicy) {
        case (.originalDestination, .clusterProvided):
            return nil
        case (.originalDestination, let policy):
            return "cluster: LB policy \(name(of: policy)) is not valid for Cluster type ORIGINAL_DST. "
                + "Only 'CLUSTER_PROVIDED' is allowed with cluster type 'ORIGINAL_DST'"
        case (let type, .clusterProvided):
            return "cluster: LB policy CLUSTER_PROVIDED is not valid for Cluster type \(name(of: type))"
        default:
            return nil
        }
    }

    /// Decodes and checks an EDS response. Returns the assignments, or the NACK message.
    static func assignments(_ response: DiscoveryResponse) -> Result<[ClusterLoadAssignment], Rejection> {
        var assignments: [ClusterLoadAssignment] = []
        for any in response.resources {
            let assignment: ClusterLoadAssignment
            do { assignment = try any.unpack(ClusterLoadAssignment.self) } catch {
                return .failure(Rejection(error.message))
            }
            if assignment.clusterName.isEmpty {
                return .failure(Rejection(
                    "Proto constraint validation failed (ClusterLoadAssignmentValidationError.ClusterName: value length must be at least 1 characters)"))
            }
            assignments.append(assignment)
        }
        return .success(assignments)
    }

    /// Why a response was refused: the `error_detail.message` of the NACK.
    struct Rejection: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
        var status: RPCStatus { RPCStatus(code: ResourceValidation.nackCode, message: message) }
    }

    static func name(of type: Cluster.DiscoveryType) -> String {
        switch type {
        case .static: "STATIC"
        case .strictDNS: "STRICT_DNS"
        case .logicalDNS: "LOGICAL_DNS"
        case .eds: "EDS"
        case .originalDestination: "ORIGINAL_DST"
        }
    }

    static func name(of policy: Cluster.LbPolicy) -> String {
        switch policy {
        case .roundRobin: "ROUND_ROBIN"
        case .leastRequest: "LEAST_REQUEST"
        case .ringHash: "RING_HASH"
        case .random: "RANDOM"
        case .maglev: "MAGLEV"
        case .clusterProvided: "CLUSTER_PROVIDED"
        }
    }
}

extension ResourceValidation {
    /// Decodes and checks an LDS response: a listener needs a name, and names are unique
    /// (Envoy's `ListenerManagerImpl`: "duplicate listener NAME found").
    static func listeners(_ response: DiscoveryResponse) -> Result<[Listener], Rejection> {
        var listeners: [Listener] = []
        var seen: Set<String> = []
        for any in response.resources {
            let listener: Listener
            do { listener = try any.unpack(Listener.self) } catch { return .failure(Rejection(error.message)) }
            if listener.name.isEmpty {
                return .failure(Rejection(
                    "Proto constraint validation failed (ListenerValidationError.Name: value length must be at least 1 characters)"))
            }
            if !seen.insert(listener.name).inserted {
                return .failure(Rejection(
                    "Error adding/updating listener(s) \(listener.name): duplicate listener \(listener.name) found"))
            }
            listeners.append(listener)
        }
        return .success(listeners)
    }

    /// Decodes and checks an RDS response: each route configuration must decode.
    static func routes(_ response: DiscoveryResponse) -> Result<[RouteConfiguration], Rejection> {
        var routes: [RouteConfiguration] = []
        for any in response.resources {
            do { routes.append(try any.unpack(RouteConfiguration.self)) } catch { return .failure(Rejection(error.message)) }
        }
        return .success(routes)
    }
}
