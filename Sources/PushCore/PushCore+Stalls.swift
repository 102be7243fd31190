import XDSModel

// MARK: - Stalled sends and types the core does not serve

extension PushCore.State {
    /// A send finished or its stream left: the stream may send again, and the global slot it held
    /// (if it was not stalled) goes back.
    mutating func endSend(_ record: StreamRecord) {
        guard record.inFlight else { return }
        record.inFlight = false
        if record.holdsSlot {
            record.holdsSlot = false
            inFlight -= 1
        }
        if record.stalled {
            record.stalled = false
            metrics.stalledStreams -= 1
        }
    }

    /// Marks sends outstanding past `releaseSlotAfter` stalled and frees their global slots;
    /// returns the streams stalled past `endStreamAfter`, each once. A send is timed from the
    /// first check that saw it in flight, which needs no clock on the send path.
    mutating func checkStalls(now: Duration) -> [StreamID] {
        var expired: [StreamID] = []
        for (id, record) in streams where record.inFlight {
            guard record.observedSend == record.sendCount else {
                record.observedSend = record.sendCount
                record.observedAt = now
                continue
            }
            let outstanding = now - record.observedAt
            if !record.stalled, outstanding >= stalls.releaseSlotAfter {
                record.stalled = true
                metrics.stalledSends += 1
                metrics.stalledStreams += 1
                if record.holdsSlot {
                    record.holdsSlot = false
                    inFlight -= 1
                }
            }
            if record.stalled, !record.ending, outstanding >= stalls.endStreamAfter {
                record.ending = true
                metrics.stalledStreamsEnded += 1
                expired.append(id)
            }
        }
        return expired.sorted()
    }

    /// Whether watches of `type` are kept: the xDS types the core knows, and any type it has
    /// resources of. Anything else is a name a peer made up; remembering it would let one stream
    /// grow the server's state (and its metrics) without bound.
    func serves(_ type: TypeURL) -> Bool { type.isWellKnown || snapshots[type] != nil }

    /// What both kinds of request do first: find the stream (gone: ignore the request), take
    /// its node from the first request that carries one, and sort out types the core does not
    /// serve, which get an empty answer with a fresh nonce and leave nothing behind.
    mutating func start(_ stream: StreamID, type: TypeURL, node: Node?, nonce: Nonce) -> RequestStart {
        guard let record = streams[stream] else { return .ignored }
        if record.node == nil { record.node = node }
        guard serves(type) else { return unknownTypeRequested(nonce: nonce).map(RequestStart.unknownType) ?? .ignored }
        return .served(record)
    }

    enum RequestStart {
        case ignored
        /// Answer empty with this nonce.
        case unknownType(Nonce)
        case served(StreamRecord)
    }

    /// Counts a request for a type the core does not serve; returns the nonce of its empty
    /// answer, or nil for a request that answers one (an ACK or NACK of it needs no response).
    mutating func unknownTypeRequested(nonce: Nonce) -> Nonce? {
        metrics.unknownTypeRequests += 1
        guard nonce == .none else { return nil }
        nonceCount += 1
        return Nonce(noncePrefix + String(nonceCount))
    }
}
