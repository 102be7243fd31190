import XDSModel

/// What to do with one request on an ADS stream. ACK and NACK are data, not errors.
package enum RequestDecision: Sendable, Equatable {
    /// Send the full subscribed set (first request, reconnect, or the subscription grew).
    case respond
    /// Send only these newly subscribed names (delta).
    case respondNames(Set<String>)
    /// The client acknowledged the last response; nothing to send.
    case ack
    /// The client rejected a response: record the error, keep the last good version, and do not
    /// send the rejected one again (it would be rejected again, forever).
    case nack(RPCStatus)
    /// The request answers a response that has since been superseded; ignore it.
    case staleNonce
    /// Nothing to do (a delta unsubscription, for instance).
    case none
}

/// The one place that decides whether a request gets a response, after Istio's `shouldRespond`
/// (pilot/pkg/xds) and the xDS protocol's ACK/NACK rules. Pure: takes the request and the
/// stream's watch for that type, returns the decision and the updated watch.
package enum ResponsePolicy {
    /// State of the world.
    package static func decide(_ request: DiscoveryRequest, watch: Watch?) -> (RequestDecision, Watch) {
        let names = Set(request.resourceNames)
        guard var watch else {
            // First request for this type on this stream, or a reconnect to a server that never
            // saw the stream: answer whatever its nonce says. An empty name list on the first
            // request is the legacy wildcard.
            let wildcard = names.isEmpty || names.contains("*")
            return (.respond, Watch(wildcard: wildcard, names: names.subtracting(["*"])))
        }
        if let error = request.errorDetail {
            watch.lastNack = error
            return (.nack(error), watch)
        }
        if request.responseNonce == .none {
            // A new request without a nonce restarts this type's exchange (Envoy does this when
            // it re-initialises a subscription).
            watch.names = names.subtracting(["*"])
            watch.wildcard = names.contains("*") || (watch.wildcard && names.isEmpty)
            return (.respond, watch)
        }
        guard request.responseNonce == watch.sentNonce else { return (.staleNonce, watch) }
        watch.ackedNonce = request.responseNonce
        watch.ackedVersion = request.versionInfo
        watch.lastNack = nil
        let wildcard = names.contains("*") || (watch.wildcard && names.isEmpty)
        let subscribed = names.subtracting(["*"])
        if wildcard == watch.wildcard && (wildcard || subscribed == watch.names) { return (.ack, watch) }
        let grew = (wildcard && !watch.wildcard) || !subscribed.isSubset(of: watch.names)
        watch.wildcard = wildcard
        watch.names = subscribed
        // A shrinking subscription needs no response: the client already dropped those names.
        return (grew ? .respond : .ack, watch)
    }

    /// Delta (incremental) xDS. Subscription changes apply whatever the nonce, so none is lost.
    package static func decide(_ request: DeltaDiscoveryRequest, watch: Watch?) -> (RequestDecision, Watch) {
        let subscribe = Set(request.resourceNamesSubscribe)
        let unsubscribe = Set(request.resourceNamesUnsubscribe)
        guard var watch else {
            let wildcard = subscribe.isEmpty || subscribe.contains("*")
            var known: [String: ResourceVersion] = [:]
            for (name, version) in request.initialResourceVersions { known[name] = ResourceVersion(version) }
            return (.respond, Watch(wildcard: wildcard, names: subscribe.subtracting(["*"]), known: known))
        }
        if let error = request.errorDetail {
            watch.lastNack = error
            return (.nack(error), watch)
        }
        var added: Set<String> = []
        for name in subscribe.subtracting(["*"]) where !watch.isSubscribed(to: name) { added.insert(name) }
        let becameWildcard = subscribe.contains("*") && !watch.wildcard
        watch.names.formUnion(subscribe.subtracting(["*"]))
        watch.names.subtract(unsubscribe)
        if subscribe.contains("*") { watch.wildcard = true }
        if unsubscribe.contains("*") { watch.wildcard = false }
        for name in unsubscribe where !watch.isSubscribed(to: name) { watch.known[name] = nil }

        var decision: RequestDecision = .none
        if request.responseNonce != .none {
            if request.responseNonce == watch.sentNonce {
                watch.ackedNonce = request.responseNonce
                watch.ackedVersion = watch.sentVersion
                watch.lastNack = nil
                decision = .ack
            } else {
                decision = .staleNonce
            }
        }
        if becameWildcard { return (.respond, watch) }
        if !added.isEmpty { return (.respondNames(added), watch) }
        return (decision, watch)
    }
}
