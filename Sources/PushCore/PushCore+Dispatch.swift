import XDSModel

// MARK: - Building a send: which response a pending push becomes, shared when equal

extension PushCore.State {
    /// A response chosen for one stream: what to send, and (delta) the version of each name sent.
    struct Planned {
        let nonce: Nonce
        let payload: Payload
        let version: ResourceVersion
        var versions: [(String, ResourceVersion?)] = []
    }

    /// Builds (or reuses) the response for one pending push to the stream of `record`. Returns
    /// nil when an incremental push turns out to carry nothing for this stream.
    mutating func makeDispatch(
        _ push: PendingPush, type: TypeURL, record: StreamRecord, _ codec: PushCodec<Payload>
    ) -> Planned? {
        guard let watch = record.watches[type] else { return nil }
        let kind = record.kind
        let view = view(of: record, type)
        let snapshot = snapshot(type, view: view)
        let key: EnvelopeKey
        var sentVersions: [(String, ResourceVersion?)] = []
        // State of the world: the whole set depends only on the snapshot and the subscription, and
        // an incremental push only on the change and the subscription it was cut for, so any
        // stream with the same subscription shares the plan (see `plans`).
        let whole = push.full || type.isSentWhole
        let subscription = record.subscribed[type]
        let planKey: PlanKey? =
            kind != .stateOfTheWorld || subscription == nil ? nil
            : whole ? PlanKey(subscription: subscription!, change: nil, view: view)
            : push.plan?.subscription == subscription ? push.plan : nil
        switch kind {
        case .stateOfTheWorld:
            if let planKey, let cached = plans[type]?[planKey] {
                guard let (nonce, payload) = cached else { return nil }
                return Planned(nonce: nonce, payload: payload, version: snapshot.version)
            }
            let candidates = whole ? (watch.wildcard ? Set(snapshot.entries.keys) : watch.names) : push.names
            let names = candidates.filter { snapshot.entries[$0] != nil && watch.isSubscribed(to: $0) }.sorted()
            if !whole && names.isEmpty {
                if let planKey { plans[type, default: [:]][planKey] = .some(nil) }
                return nil
            }
            key = EnvelopeKey(kind: .stateOfTheWorld, version: snapshot.version, names: names, versions: [], removed: [])
        case .delta:
            var scope = push.full ? (watch.wildcard ? Set(snapshot.entries.keys) : watch.names) : push.names
            if push.full && watch.wildcard { scope.formUnion(watch.known.keys) }
            var names: [String] = []
            var versions: [ResourceVersion] = []
            var removed: [String] = []
            for name in scope.sorted() where watch.isSubscribed(to: name) || watch.known[name] != nil {
                if let entry = snapshot.entries[name] {
                    if watch.known[name] != entry.encoded.version {
                        names.append(name)
                        versions.append(entry.encoded.version)
                        sentVersions.append((name, entry.encoded.version))
                    }
                } else if watch.known[name] != nil {
                    removed.append(name)
                    sentVersions.append((name, nil))
                }
            }
            // The first response of a subscription goes out even when empty: the client
            // waits for it to finish its initial fetch.
            let first = watch.sentNonce == nil
            if names.isEmpty && removed.isEmpty && !first { return nil }
            key = EnvelopeKey(
                kind: .delta, version: snapshot.version, names: names, versions: versions, removed: removed)
        }

        let (nonce, payload) = envelope(for: key, type: type, snapshot: snapshot, codec)
        if let planKey { plans[type, default: [:]][planKey] = (nonce, payload) }
        return Planned(nonce: nonce, payload: payload, version: snapshot.version, versions: sentVersions)
    }


    mutating func envelope(
        for key: EnvelopeKey, type: TypeURL, snapshot: TypeSnapshot, _ codec: PushCodec<Payload>
    ) -> (Nonce, Payload) {
        if let cached = envelopes[type]?[key] { return cached }
        nonceCount += 1
        let nonce = Nonce(noncePrefix + String(nonceCount))
        let payload: Payload
        switch key.kind {
        case .stateOfTheWorld:
            let resources = key.names.map {
                let encoded = snapshot.entries[$0]!.encoded
                return AnyMessage(typeURL: type.rawValue, value: encoded.bytes)
            }
            payload = codec.encodeResponse(
                DiscoveryResponse(
                    versionInfo: snapshot.version, resources: resources, typeURL: type, nonce: nonce,
                    controlPlaneIdentifier: controlPlaneIdentifier))
        case .delta:
            let resources = key.names.map { name -> DeltaResource in
                let encoded = snapshot.entries[name]!.encoded
                return DeltaResource(
                    name: name, version: encoded.version,
                    resource: AnyMessage(typeURL: type.rawValue, value: encoded.bytes))
            }
            payload = codec.encodeDeltaResponse(
                DeltaDiscoveryResponse(
                    systemVersionInfo: snapshot.version.rawValue, resources: resources, typeURL: type,
                    removedResources: key.removed, nonce: nonce))
        }
        metrics.envelopeEncodings += 1
        envelopes[type, default: [:]][key] = (nonce, payload)
        return (nonce, payload)
    }
}
