import PushCore
import XDSModel
import XDSTransport
import XDSWire

/// A request with no type URL: on an aggregated stream nothing says what it asks for, so the
/// stream ends with INVALID_ARGUMENT, as go-control-plane's ADS server ends it, rather than being
/// answered as an unknown (empty) type.
struct MissingTypeURL: Error, CustomStringConvertible {
    var description: String { "type URL is required for ADS" }
}

/// A peer that keeps asking for types the server does not serve without reading the answers.
struct UnreadReplies: Error, CustomStringConvertible {
    let limit: Int
    var description: String { "more than \(limit) responses unread; read responses before asking for more" }
}

extension XDSServer {
    static let missingTypeURL = MissingTypeURL()
    /// Answers to unknown types go out beside the push queue; this bounds what one stream that
    /// does not read can make the server hold for it.
    static let maxUnreadReplies = 4096

    /// Serves one ADS call until the client closes it, cancels it or sends something malformed.
    func serve(_ call: ServerCall) async {
        let kind: StreamKind =
            call.method == AggregatedDiscoveryService.deltaAggregatedResourcesPath ? .delta : .stateOfTheWorld
        let id = streams.add(call)
        core.open(id, kind: kind)
        var failure: (code: StatusCode, message: String)?
        for await bytes in call.messages {
            do {
                let reception: Reception<Payload>
                switch kind {
                case .stateOfTheWorld:
                    let request = try DiscoveryRequest(wireBytes: bytes)
                    guard !request.typeURL.rawValue.isEmpty else { throw Self.missingTypeURL }
                    reception = core.receive(request, on: id, now: now)
                case .delta:
                    let request = try DeltaDiscoveryRequest(wireBytes: bytes)
                    guard !request.typeURL.rawValue.isEmpty else { throw Self.missingTypeURL }
                    reception = core.receive(request, on: id, now: now)
                }
                if let reply = reception.reply {
                    guard call.pendingSendCount < Self.maxUnreadReplies else {
                        failure = (.resourceExhausted, "\(UnreadReplies(limit: Self.maxUnreadReplies))")
                        break
                    }
                    call.send(reply)
                }
                send(reception.dispatches)
            } catch let error as WireError {
                let what = kind == .delta ? "DeltaDiscoveryRequest" : "DiscoveryRequest"
                failure = (.invalidArgument, "malformed \(what): \(error.message)")
                break
            } catch {
                failure = (.invalidArgument, "\(error)")
                break
            }
        }
        streams.remove(id)
        send(core.close(id))
        if let failure {
            call.finish(failure.code, message: failure.message)
        } else {
            // The client half-closed (or went away, in which case this is ignored).
            call.finish(.ok)
        }
        _ = await call.waitForEnd()
    }

    /// Starts the sends the push core asked for. Each completion frees its slot, which may start
    /// more sends; those are started here too, without recursion.
    func send(_ dispatches: [Dispatch<Payload>]) {
        var work = dispatches
        while let dispatch = work.popLast() {
            guard let call = streams.call(dispatch.stream) else {
                work += core.sendCompleted(dispatch.stream, ok: false)
                continue
            }
            let stream = dispatch.stream
            // A refused send (the call is ending) reports itself through the same callback.
            call.send(dispatch.payload) { [self] ok in
                send(core.sendCompleted(stream, ok: ok))
            }
        }
    }

    /// Every `StallPolicy.checkInterval`, frees the global slots of stalled sends (starting the
    /// sends waiting for them) and ends the streams stalled past the limit with DEADLINE_EXCEEDED,
    /// as istiod ends a stream whose send timed out. Runs until `stop()`.
    func watchStalls() -> Task<Void, Never> {
        Task { [self] in
            let limit = configuration.stalls.endStreamAfter
            while !Task.isCancelled {
                do { try await clock.sleep(for: configuration.stalls.checkInterval) } catch { return }
                let (dispatches, expired) = core.checkStalls(now: now)
                send(dispatches)
                for id in expired {
                    streams.call(id)?.cancel(.deadlineExceeded, message: "a response stayed unread for over \(limit)")
                }
            }
        }
    }

    /// Publishes debounced changes when they are due: one timer task at a time, which sleeps to the
    /// core's next deadline and exits when nothing is waiting.
    func armDebounceTimer() {
        debounceTimer.withLock { timer in
            guard timer == nil else { return }
            timer = Task { [self] in
                while let deadline = core.nextReleaseDeadline, !Task.isCancelled {
                    try? await clock.sleep(until: origin + deadline)
                    send(core.releaseDue(now: now))
                }
                debounceTimer.withLock { $0 = nil }
                // A change staged between the last check and clearing the timer re-arms it.
                if core.nextReleaseDeadline != nil, !Task.isCancelled { armDebounceTimer() }
            }
        }
    }
}
